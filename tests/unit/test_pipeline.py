"""The pipeline end to end: what a run publishes, its audit record, atomic publication when a
notebook fails, reproducibility, and a missing chromium.

The tests of the same that need a whole run are in tests/integration/test_pipeline.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from stability_report import errors
from stability_report.pipeline import notebooks, progress
from stability_report.publish import publish, recover


def test_stderr_output_fails_the_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("warnings.warn('careful')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful")]
    nb.cells = [cell]
    src = tmp_path / "01-x.ipynb"
    nbformat.write(nb, src)
    with pytest.raises(errors.NotebookFailed, match="wrote to stderr") as e:
        notebooks.check_outputs(nb, src)
    assert "UserWarning: careful" in str(e.value)


def test_keep_runs_prunes_the_oldest_but_never_the_current(tmp_path):
    runs = tmp_path / "runs"
    names = [
        "2024-06-01_aaaaaaaaaa",
        "2024-06-02_bbbbbbbbbb",
        "2024-06-03_cccccccccc",
        "2024-06-04_dddddddddd",
    ]
    for i, name in enumerate(names):
        (runs / name).mkdir(parents=True)
        os.utime(runs / name, (1_700_000_000 + i, 1_700_000_000 + i))
    recover.prune(tmp_path, 2, names[0], progress.Progress(0).say)
    assert sorted(p.name for p in runs.iterdir()) == [names[0], names[3]]


def _fake_run(root: Path, rid: str, text: str) -> Path:
    staging = root / ".work" / rid
    (staging / "figures").mkdir(parents=True)
    (staging / "notebooks").mkdir()
    (staging / "report.html").write_text(f"<html>{text}</html>")
    (staging / "report.pdf").write_bytes(b"%PDF " + text.encode())
    (staging / "figures" / f"{text}.svg").write_text("<svg/>")
    (staging / "run.json").write_text(json.dumps({"run_id": rid, "figures": {f"{text}.svg": "x"}}))
    return staging


R1, R2 = "2024-06-01_1111111111", "2024-06-02_2222222222"


def test_publishing_is_all_or_nothing_when_the_disk_fills(tmp_path, monkeypatch):
    out = tmp_path / "report"
    out.mkdir()
    publish.publish(out, out / "figures", _fake_run(out, R1, "old"), R1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    link = os.link
    calls = {"n": 0}

    def full_disk(src, dst, **kw):
        calls["n"] += 1
        if calls["n"] == 3:  # the folder that becomes `latest` does not fit
            raise OSError(28, "No space left on device")
        link(src, dst, **kw)

    monkeypatch.setattr(publish.os, "link", full_disk)
    staging = _fake_run(out, R2, "new")
    with pytest.raises(OSError):
        publish.publish(out, out / "figures", staging, R2)
    after = {
        p.relative_to(out): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and ".work" not in p.parts
    }
    assert after == {k: v for k, v in before.items() if ".work" not in k.parts}
    assert not [p for p in out.rglob("*") if ".new-" in p.name]
    assert publish.current_run(out) == R1 and sorted(os.listdir(out / ".work")) == [R2]

    monkeypatch.setattr(publish.os, "link", link)
    publish.publish(out, out / "figures", staging, R2)
    assert (out / "report.html").read_text() == "<html>new</html>"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["new.svg"]
    assert publish.current_run(out) == R2 and (out / "runs" / R1).is_dir()
