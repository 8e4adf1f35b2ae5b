"""The two places the run relies on what other libraries do not promise, each tested by what it
does, not by the library's source: these tests fail, naming the version the code was written
against (requirements.txt), when an upgrade changes what the code relies on:

- render.html.ReportExporter repeats HTMLExporter.from_notebook_node of nbconvert 7.17.2 without
  its BeautifulSoup pass, using nbconvert's private `_init_resources` and `_nb_metadata`: the
  page it makes must be nbconvert's page but for that pass;
- pipeline.run hides `rfc3987_syntax` from the import system in the render process, because
  jsonschema 4.26.0 (under nbformat) imports it and compiles a grammar the report never uses.

The tests of the same that need a whole run are in tests/integration/test_private_apis.py.
"""

from __future__ import annotations

import nbformat

from stability_report.render import html as build_html

NBCONVERT = "7.17.2"


def test_report_exporter_finds_the_private_members_it_uses():
    import nbconvert

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
