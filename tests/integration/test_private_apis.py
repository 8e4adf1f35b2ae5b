"""The two places the run relies on what other libraries do not promise, each pinned to the version
it was written against (requirements.txt): the tests that need a whole run (the report rendered, a
kernel, a browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_private_apis.py.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
