"""What the test modules share. tests/ is on sys.path (pyproject.toml: pythonpath), so the helper
modules beside this file are imported by name: pipeline_support (the command line in a
subprocess, the report rendered once per session), robustness_support (a report to break,
snapshots, tmpfs mounts), facts_fixture (small fact bases built in memory), intake_support (the
worked example of adding an article), browser_support (headless Chromium and JupyterLab) and
pdf_links (what a PDF's links point to).

tests/unit holds the tests that need no kernel, no browser and no render (`make test-fast`, in
seconds); tests/integration those that render or break whole runs, execute notebooks, start the
command line in a subprocess or drive real browsers. `make test` runs both on two workers
(pytest-xdist, each test module on one worker: a module's fixtures are built once); the report
rendered once per session is rendered once per worker.
"""

from __future__ import annotations

import pytest
from intake_support import third_article_base


@pytest.fixture(scope="module")
def third_article(tmp_path_factory) -> dict:
    """A copy of the fact base with the fictitious third article registered, extracted and
    accepted (intake_support.third_article_base), built once per test module."""
    return third_article_base(tmp_path_factory.mktemp("third-article"))
