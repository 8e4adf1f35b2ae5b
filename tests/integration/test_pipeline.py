"""The pipeline end to end: the tests that need a whole run (the report rendered, a kernel, a
browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_pipeline.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import nbformat
import pipeline_support as support
import pytest

from stability_report import config
from stability_report.facts.load import load_facts
from stability_report.pipeline import inputs, kernel, notebooks, output
from stability_report.publish import publish


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def done() -> support.Rendered:
    return support.published()


def test_run_publishes_report_archive_and_latest(done):
    out = done.output
    m = done.manifest
    rid = m["run_id"]
    assert publish.current_run(out) == rid and (out / "latest").is_dir()
    assert m["complete"] is True and m["as_of"] == support.AS_OF
    assert rid.startswith(f"{support.AS_OF}_")
    for name in ("report.html", "report.pdf"):
        assert sha(out / name) == sha(out / "runs" / rid / name) == m["published"][name]
        assert os.readlink(out / name) == f"latest/{name}"
    archived = sorted(p.name for p in (out / "runs" / rid / "notebooks").iterdir())
    assert archived == sorted(p.name for p in done.notebooks.glob("[0-9][0-9]-*.ipynb"))
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures and figures == sorted(m["figures"])
    assert any(f.endswith(".svg") for f in figures)
    assert os.readlink(out / "figures") == "latest/figures"
    # the staging directory moved into runs/; nothing stays but what the README lists
    assert not (out / ".work").exists() and not (out / ".lock").exists()
    assert "[1/" in done.result.stderr and "published" in done.result.stderr


def test_manifest_records_inputs_and_the_facts_digest(done):
    m = done.manifest
    assert m["facts_digest"] == load_facts().digest
    assert set(m["params"]) >= {"as_of", "burn_basis", "horizon_months"}
    assert any(k.startswith("data/facts/") for k in m["inputs"])
    assert any(k.startswith("notebooks/") for k in m["inputs"])
    assert "requirements.txt" in m["inputs"]
    for k in ("python", "pandas", "matplotlib", "nbconvert", "papermill"):
        assert m["versions"][k] not in ("", "unknown", "not installed"), k


def test_archived_notebooks_are_the_audit_record_without_timestamps(done):
    rid = done.manifest["run_id"]
    for path in (done.output / "runs" / rid / "notebooks").iterdir():
        text = path.read_text(encoding="utf-8")
        for volatile in (
            "start_time",
            "end_time",
            '"duration"',
            "iopub.",
            "shell.execute",
            str(done.output),
            str(support.ROOT),
        ):
            assert volatile not in text, (path.name, volatile)
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and injected[0].id == "injected-parameters"
        assert f'as_of = "{support.AS_OF}"' in injected[0].source
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts[0] == 1  # every notebook starts from a fresh namespace
        assert nb.metadata.papermill["input_path"] == f"notebooks/{path.name}"


def test_two_renders_are_byte_identical(done):
    again = support.published_again()
    assert again.output != done.output
    for name in ("report.html", "report.pdf"):
        assert sha(done.output / name) == sha(again.output / name), name
    a, b = done.output / "figures", again.output / "figures"
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for f in a.iterdir():
        assert sha(f) == sha(b / f.name), f.name
    rid = done.manifest["run_id"]
    assert rid == again.manifest["run_id"]
    for f in (done.output / "runs" / rid / "notebooks").iterdir():
        assert f.read_bytes() == (again.output / "runs" / rid / "notebooks" / f.name).read_bytes()
    assert done.manifest == again.manifest


def test_failing_notebook_leaves_the_published_report_intact(done):
    out = support.copy_output(done.output, "failing")
    before = {
        p.relative_to(out): sha(p) for p in out.rglob("*") if p.is_file() and p.name != ".lock"
    }
    latest = publish.current_run(out)
    leftover = out / ".work" / "2024-01-01_deadbeef00"  # as a killed run leaves it
    leftover.mkdir(parents=True)
    r = support.render(out, support.FAILING_NOTEBOOKS)
    assert r.returncode == 1, r.stderr
    assert "notebook 02-cash-runway.ipynb failed in cell 5" in r.stderr
    # the failing code of the cell, and its error with its message
    nb = nbformat.read(support.FAILING_NOTEBOOKS / "02-cash-runway.ipynb", as_version=4)
    (failing,) = [c.source for c in nb.cells if c.source.startswith("raise ValueError(")]
    assert failing in r.stderr
    assert "ValueError: fixture failure" in r.stderr
    assert "the published report is unchanged" in r.stderr
    assert "left by an interrupted run" in r.stderr and not leftover.exists()
    after = {
        p.relative_to(out): sha(p)
        for p in out.rglob("*")
        if p.is_file() and p.name != ".lock" and ".work" not in p.parts
    }
    assert after == {k: v for k, v in before.items() if ".work" not in k.parts}
    assert publish.current_run(out) == latest
    kept = list((out / ".work").glob("failed-*/notebooks/02-cash-runway.ipynb"))
    assert len(kept) == 1  # the failed run's executed notebook, for inspection


def test_missing_chromium_publishes_html_and_exits_5(tmp_path):
    out = tmp_path / "report"
    r = support.render(out, support.FIXTURE_NOTEBOOKS, "--chromium", str(tmp_path / "no-chromium"))
    assert r.returncode == 5, r.stderr
    assert "chromium not found" in r.stderr and "make system-deps" in r.stderr
    assert (out / "report.html").exists() and not (out / "report.pdf").exists()
    m = json.loads((out / "latest" / "run.json").read_text())
    assert m["complete"] is False and "report.pdf" not in m["published"]
    cfg = inputs.Config(
        params=m["params"], output=out, figures=out / "figures", notebooks=support.FIXTURE_NOTEBOOKS
    )
    assert not output.up_to_date(cfg, m["inputs_hash"])  # the next run tries again


def test_show_code_no_pdf_force_and_archive_replacement(tmp_path):
    out = tmp_path / "report"
    r = support.render(out, support.FIXTURE_NOTEBOOKS, "--show-code", "--no-pdf")
    assert r.returncode == 0, r.stderr
    html = (out / "report.html").read_text()
    assert "from_notebook" in html and "highlight hl-ipython3" in html  # code, highlighted
    assert not (out / "report.pdf").exists()
    r = support.render(out, support.FIXTURE_NOTEBOOKS, "--show-code", "--no-pdf")
    assert r.returncode == 0 and "nothing to render" in r.stderr
    r = support.render(out, support.FIXTURE_NOTEBOOKS, "--show-code", "--no-pdf", "--force")
    assert r.returncode == 0 and "publishing run" in r.stderr, r.stderr
    assert len(list((out / "runs").iterdir())) == 1  # the same run, replaced
    assert (out / "report.html").read_text() == html


def test_clean_executed_strips_volatile_metadata():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {
        "start_time": "x",
        "end_time": "y",
        "duration": 1.0,
        "input_path": "/abs/in.ipynb",
        "output_path": "/abs/out.ipynb",
    }
    injected = nbformat.v4.new_code_cell("as_of = '2024-06-04'")
    injected.metadata["tags"] = ["injected-parameters"]
    injected.metadata["papermill"] = {"start_time": "x", "duration": 0.1, "status": "completed"}
    injected.metadata["execution"] = {"iopub.status.busy": "x"}
    kept = nbformat.v4.new_markdown_cell("# T")
    kept["id"] = "title"
    nb.cells = [kept, injected]
    html = (
        '<style>#T_ab12c_row0 {color: red}</style><table id="T_ab12c">'
        '<td id="T_ab12c_row0_col0">1</td></table>'
    )
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", {"text/html": html})]
    notebooks.clean_executed(nb, ["title"], "02-x", "notebooks/02-x.ipynb", "runs/r/02-x.ipynb")
    assert nb.metadata.papermill == {
        "input_path": "notebooks/02-x.ipynb",
        "output_path": "runs/r/02-x.ipynb",
    }
    assert nb.cells[0].id == "title" and nb.cells[1].id == "injected-parameters"
    assert nb.cells[1].metadata.papermill == {"status": "completed"}
    assert "execution" not in nb.cells[1].metadata
    out = nb.cells[1].outputs[0].data["text/html"]
    assert "ab12c" not in out and 'id="T_02-x-1"' in out and "#T_02-x-1_row0" in out


def _outputs(nb) -> list[str]:
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        outs = [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.outputs]
        out.append(json.dumps(outs, sort_keys=True))
    return out


def test_one_shared_kernel_gives_what_a_fresh_kernel_per_notebook_gives(
    done, tmp_path, monkeypatch
):
    """The pipeline runs every notebook in one kernel, reset in between; papermill's plain
    route starts a kernel per notebook. The outputs must not tell them apart."""
    import papermill

    m = done.manifest
    cfg = inputs.Config(params=m["params"], notebooks=done.notebooks)
    for key, value in kernel.kernel_env(cfg, tmp_path / "figures").items():
        monkeypatch.setenv(key, value)
    # figures drawn in line, as in JupyterLab: the pipeline's background figures, once their
    # SVGs are embedded, must not be told apart from them either
    monkeypatch.delenv(config.ENV_BACKGROUND)
    rid = m["run_id"]
    for src in inputs.discover_notebooks(done.notebooks):
        fresh = papermill.execute_notebook(
            str(src),
            str(tmp_path / src.name),
            parameters=m["params"],
            kernel_name="python3",
            progress_bar=False,
            cwd=str(done.notebooks),
        )
        shared = nbformat.read(done.output / "runs" / rid / "notebooks" / src.name, 4)
        assert _outputs(fresh) == _outputs(shared), src.name


def test_run_information_names_every_file_of_the_run(done):
    """'Files of this run' lists what the run's folder holds: the linked downloads and the rest
    (report.html, run.json, figures/, notebooks/), each present in the folder."""
    import re

    from stability_report.render import html

    run = done.output / "runs" / done.manifest["run_id"]
    page = (run / "report.html").read_text(encoding="utf-8")
    listed = re.search(r'<dd class="run-files">(.*?)</dd>', page, re.S).group(1)
    for name, _ in html.ALSO_IN_RUN:
        assert name in listed and (run / name.rstrip("/")).exists(), name
    for entry in run.iterdir():
        shown = entry.name + ("/" if entry.is_dir() else "")
        if entry.is_dir() and entry.name == "attachments":
            assert all(f"attachments/{f.name}" in listed for f in entry.iterdir())
        else:
            assert shown in listed, shown
