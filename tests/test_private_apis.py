"""The two places the run relies on what other libraries do not promise, each pinned to the
version it was written against (requirements.txt); these tests fail, naming that version, when
an upgrade changes what the code relies on:

- render.html.ReportExporter repeats HTMLExporter.from_notebook_node of nbconvert 7.17.2 without
  its BeautifulSoup pass, using nbconvert's private `_init_resources` and `_nb_metadata`;
- pipeline.run hides `rfc3987_syntax` from the import system in the render process, because
  jsonschema 4.26.0 (under nbformat) imports it and compiles a grammar the report never uses.
"""

from __future__ import annotations

import hashlib
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

from stability_report.render import html as build_html

ROOT = Path(__file__).resolve().parents[1]
NBCONVERT = "7.17.2"
# sha256 of the source of HTMLExporter.from_notebook_node in nbconvert 7.17.2.
FROM_NOTEBOOK_NODE = "3dccafff45cc4e749766089c7de2f5385ac071e03f4f5a15bfb3b025f54893b9"


def test_report_exporter_repeats_the_method_of_the_pinned_nbconvert():
    import nbconvert
    from nbconvert import HTMLExporter

    source = inspect.getsource(HTMLExporter.from_notebook_node)
    assert hashlib.sha256(source.encode()).hexdigest() == FROM_NOTEBOOK_NODE, (
        f"render.html.ReportExporter was written against HTMLExporter.from_notebook_node of "
        f"nbconvert {NBCONVERT}; nbconvert {nbconvert.__version__} changed it: compare the two "
        "and update ReportExporter (or use HTMLExporter as it is)"
    )
    exporter = build_html._exporter(show_code=False)
    assert callable(exporter._init_resources) and hasattr(exporter, "_nb_metadata"), (
        f"nbconvert {nbconvert.__version__} no longer has the private members ReportExporter "
        f"uses (written against nbconvert {NBCONVERT})"
    )


def test_report_exporter_renders_as_nbconvert_without_the_beautifulsoup_pass():
    """On nbconvert's own template: the page HTMLExporter makes is this page with the pass
    applied (as nbconvert applies it)."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": "<p>one</p>"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    html, _ = build_html._exporter_class()().from_notebook_node(nb)
    plain, _ = HTMLExporter().from_notebook_node(nb)
    assert "<p>one</p>" in html and 'tabindex="0"' not in html
    soup = BeautifulSoup(html, features="html.parser")
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    assert str(soup) == plain


def _python(code: str) -> str:
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_nbformat_still_imports_rfc3987_syntax():
    """Else hiding it is no longer needed (pipeline.run._hide_rfc3987_syntax)."""
    out = _python(
        """
        import sys
        import nbformat
        print("rfc3987_syntax" in sys.modules)
        """
    )
    assert out == "True", (
        "nbformat no longer imports rfc3987_syntax (pipeline.run._hide_rfc3987_syntax was written "
        "against jsonschema 4.26.0): remove the hiding"
    )


def test_nbformat_reads_and_validates_the_notebooks_without_rfc3987_syntax():
    out = _python(
        """
        import sys
        from pathlib import Path
        from stability_report.pipeline.run import _hide_rfc3987_syntax
        _hide_rfc3987_syntax()
        import nbformat
        for path in sorted(Path("notebooks").glob("*.ipynb")):
            nbformat.validate(nbformat.read(path, as_version=4))
        print(sys.modules["rfc3987_syntax"] is None)
        """
    )
    assert out == "True", (
        "nbformat does not work with rfc3987_syntax hidden (pipeline.run._hide_rfc3987_syntax was "
        "written against jsonschema 4.26.0)"
    )
