"""Publishing and the output tree (stability_report.publish.publish, publish.recover), in process,
on small fake runs: every published path (report files, attachments, figures) resolves through
`latest`, which one exchange switches, so that a kill at any step leaves one whole run to read,
the one `latest` names; nothing the project creates, replaces or deletes is reached through a
symbolic link it did not make; pruning touches only run folders.

The same faults are shown end to end (through the command line, on real renders) in
test_faults.py.

The tests of the same that need a whole run are in tests/integration/test_publish.py.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from stability_report import errors
from stability_report.publish import publish, recover, safefs

R1, R2, R3 = "2024-06-01_1111111111", "2024-06-02_2222222222", "2024-06-03_3333333333"


def fake_run(
    out: Path,
    rid: str,
    text: str,
    figures: tuple[str, ...] = ("a", "b"),
    pdf: bool = True,
    attachments: tuple[str, ...] = ("conflicts",),
) -> Path:
    """A staging folder as a render leaves it: report.html, report.pdf, brief.html, figures,
    attachments, run.json."""
    staging = out / ".work" / rid
    (staging / "figures").mkdir(parents=True)
    (staging / "notebooks").mkdir()
    (staging / "attachments").mkdir()
    (staging / "report.html").write_text(f"<html>{text}</html>")
    (staging / "brief.html").write_text(f"<html>brief {text}</html>")
    if pdf:
        (staging / "report.pdf").write_bytes(b"%PDF " + text.encode())
    for f in figures:
        (staging / "figures" / f"{f}.svg").write_text(f"<svg>{text} {f}</svg>")
    for a in attachments:
        (staging / "attachments" / f"{a}.csv").write_text(f"{text},{a}\n")
    (staging / "run.json").write_text(
        json.dumps(
            {
                "run_id": rid,
                "text": text,
                "figures": {f"{f}.svg": "-" for f in figures},
                "attachments": {f"{a}.csv": "-" for a in attachments},
            }
        )
    )
    return staging


def tree(out: Path) -> tuple[Path, Path]:
    figures = out.parent / "figures"
    out.mkdir(parents=True, exist_ok=True)
    return out, figures


def messages() -> tuple[list[str], callable]:
    said: list[str] = []
    return said, said.append


def test_signals_are_held_while_publishing_and_acted_on_right_after():
    """Also with other threads running (the kernel may hand a process's signal to any)."""
    import threading

    from stability_report.pipeline import signals

    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    old = signal.signal(signal.SIGTERM, signals._on_signal)
    reached = []
    try:
        with pytest.raises(errors.Interrupted) as info:
            with signals.signals_deferred():
                signal.pthread_kill(other.ident, signal.SIGTERM)  # as the kernel may deliver it
                time.sleep(0.5)  # delivered and handled (by the main thread) meanwhile
                reached.append("end of the block")
        assert reached == ["end of the block"] and info.value.signum == signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is signals._on_signal
    finally:
        signal.signal(signal.SIGTERM, old)
        stop.set()


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("precious")
    for rid in (R1, R2, R3):  # folders named like runs, so that only the link protects them
        (victim / rid).mkdir()
        (victim / rid / "data").write_text("data")
    return victim


def _intact(victim: Path) -> bool:
    return (victim / "precious.txt").read_text() == "precious" and all(
        (victim / rid / "data").read_text() == "data" for rid in (R1, R2, R3)
    )


def test_pruning_touches_only_real_run_folders(tmp_path):
    out, figures = tree(tmp_path / "report")
    victim = _victim(tmp_path)
    for i, rid in enumerate((R1, R2, R3)):
        publish.publish(out, figures, fake_run(out, rid, f"run{i}"), rid)
        os.utime(out / "runs" / rid, (1_700_000_000 + i, 1_700_000_000 + i))
    (out / "runs" / "2024-05-01_aaaaaaaaaa").symlink_to(victim)  # named like a run, a link
    (out / "runs" / "notes").mkdir()  # not named like a run
    (out / "runs" / "2024-05-02_bbbbbbbbbb").write_text("a file")
    said, say = messages()
    recover.prune(out, 1, R3, say)
    assert sorted(p.name for p in (out / "runs").iterdir()) == [
        "2024-05-01_aaaaaaaaaa",
        "2024-05-02_bbbbbbbbbb",
        R3,
        "notes",
    ]
    assert said == ["pruned 2 old run(s) from runs/ (keeping 1)"] and _intact(victim)


def test_open_nofollow_refuses_links_devices_and_folders(tmp_path):
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    for name, found in (
        ("link", "a symbolic link"),
        ("dir", "a directory"),
        ("fifo", "a device, pipe or socket"),
    ):
        with pytest.raises(publish.UnsafePath, match=found):
            safefs.open_nofollow(tmp_path / name, os.O_RDWR | os.O_CREAT, "the lock file")
    assert (tmp_path / "file").read_text() == "x"
