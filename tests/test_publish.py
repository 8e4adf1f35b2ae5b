"""Publishing and the output tree (stability_report.build.publish, build.recover), in process, on
small fake runs: a failed or killed publication never leaves half of a new report in place
without a journal that finishes it; `latest` is always one whole run; nothing the project
creates, replaces or deletes is reached through a symbolic link; pruning touches only run
folders.

The same faults are shown end to end (through the command line, on real renders) in
test_faults.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from stability_report import errors
from stability_report.build import publish, recover, safefs

R1, R2, R3 = "2024-06-01_1111111111", "2024-06-02_2222222222", "2024-06-03_3333333333"
ROOT = Path(__file__).resolve().parents[1]


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
                "figures": {f"{f}.svg": "-" for f in figures},
                "attachments": {f"{a}.csv": "-" for a in attachments},
            }
        )
    )
    return staging


def tree(out: Path) -> tuple[Path, Path]:
    figures = out.parent / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    return out, figures


def published(out: Path, figures: Path) -> dict[str, str]:
    """What a reader of the usual places finds: name -> content (links shown as links)."""
    seen = {}
    for directory, prefix in (
        (out, ""),
        (figures, "figures/"),
        (out / "attachments", "attachments/"),
    ):
        if not directory.is_dir() or directory.is_symlink():
            continue
        for p in sorted(directory.iterdir()):
            if p.name.startswith(".") or p.name in ("runs", "figures", "attachments"):
                continue
            seen[prefix + p.name] = (
                ("-> " + os.readlink(p))
                if p.is_symlink()
                else "<directory>"
                if p.is_dir()
                else p.read_text(errors="replace")
            )
    return seen


def expected(
    text: str, figures=("a", "b"), pdf=True, rid=R1, attachments=("conflicts",)
) -> dict[str, str]:
    seen = {
        "latest": f"-> runs/{rid}",
        "report.html": f"<html>{text}</html>",
        "brief.html": f"<html>brief {text}</html>",
    }
    if pdf:
        seen["report.pdf"] = f"%PDF {text}"
    seen.update({f"figures/{f}.svg": f"<svg>{text} {f}</svg>" for f in figures})
    seen.update({f"attachments/{a}.csv": f"{text},{a}\n" for a in attachments})
    return seen


def leftovers(out: Path, figures: Path) -> list[str]:
    found = [
        p.name
        for d in (out, figures, out / "attachments")
        if d.is_dir()
        for p in d.iterdir()
        if ".new-" in p.name
    ]
    found += [p.name for p in (out / "runs").rglob(".publishing-*")]
    if (out / publish.JOURNAL).exists():
        found.append(publish.JOURNAL)
    work = out / ".work"
    found += [p.name for p in work.iterdir()] if work.exists() else []
    return found


@pytest.fixture
def first(tmp_path) -> tuple[Path, Path]:
    """An output tree with run R1 published (figures a, b)."""
    out, figures = tree(tmp_path / "report")
    publish.publish(out, figures, fake_run(out, R1, "old"), R1, None)
    assert published(out, figures) == expected("old")
    return out, figures


def messages() -> tuple[list[str], callable]:
    said: list[str] = []
    return said, said.append


# ---------------------------------------------------------------------------------------------
# a publication that fails or is killed


def test_a_figure_path_that_is_a_directory_refuses_before_anything_changes(first):
    out, figures = first
    os.remove(figures / "b.svg")
    (figures / "b.svg").mkdir()
    before = published(out, figures)
    with pytest.raises(
        publish.UnsafePath,
        match=r"b\.svg: it is a directory where the "
        r"published figure b\.svg should be",
    ):
        publish.publish(out, figures, fake_run(out, R2, "new"), R2, publish.published_manifest(out))
    assert published(out, figures) == before
    assert publish.current_run(out) == R1
    assert leftovers(out, figures) == [R2]  # only the staging folder, which the caller removes


def test_a_rename_that_fails_after_the_switch_says_exactly_what_is_in_place(first, monkeypatch):
    out, figures = first
    rename, calls = publish.rename, []

    def failing(src, dst):
        calls.append(Path(dst).name)
        if Path(dst).name == "report.pdf":
            raise OSError(5, "Input/output error")
        rename(src, dst)

    monkeypatch.setattr(publish, "rename", failing)
    with pytest.raises(publish.PartlyPublished) as info:
        publish.publish(
            out,
            figures,
            fake_run(out, R2, "new", figures=("a", "c")),
            R2,
            publish.published_manifest(out),
        )
    message = str(info.value)
    assert f"publishing run {R2} stopped after {out / 'latest'} switched to it" in message
    assert "4 of 6 published files are this run's" in message  # figures, the attachment, the brief
    assert "still the previous run's: report.pdf, report.html (Input/output error" in message
    assert "the next run completes the publication" in message
    assert publish.current_run(out) == R2
    assert (out / publish.JOURNAL).exists()

    monkeypatch.setattr(publish, "rename", rename)
    said, say = messages()
    recover.recover(out, figures, say)
    assert said == [
        f"completed the publication of run {R2}, which an earlier run left "
        "unfinished (2 file(s) put in place)"
    ]
    assert published(out, figures) == expected("new", figures=("a", "c"), rid=R2)
    assert leftovers(out, figures) == []


def test_a_rename_that_fails_before_the_switch_publishes_nothing(first, monkeypatch):
    out, figures = first
    before = published(out, figures)
    rename = publish.rename

    def failing(src, dst):
        if Path(dst).parent.name == "runs":  # moving the run folder into runs/
            raise OSError(30, "Read-only file system")
        rename(src, dst)

    monkeypatch.setattr(publish, "rename", failing)
    with pytest.raises(OSError, match="Read-only"):
        publish.publish(out, figures, fake_run(out, R2, "new"), R2, publish.published_manifest(out))
    assert published(out, figures) == before
    assert not (out / publish.JOURNAL).exists() and not (out / "runs" / R2).exists()
    said, say = messages()
    recover.recover(out, figures, say)  # the leftovers have this program's names
    assert published(out, figures) == before and leftovers(out, figures) == []


# A publication run in a process of its own that kills itself (SIGKILL) just before the n-th
# of its renames or journal/marker removals: what a machine crash or kill -9 does there.
_KILLER = textwrap.dedent("""
    import json, os, signal, sys
    from pathlib import Path
    from stability_report.build import publish
    out, figures, rid, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    steps = {"n": 0}

    def step(what):
        steps["n"] += 1
        if steps["n"] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    rename, exchange, unlink = publish.rename, publish.exchange, publish.unlink
    def _rename(a, b):
        step("rename"); rename(a, b)
    def _exchange(a, b):
        step("exchange"); exchange(a, b)
    def _unlink(p):
        if (Path(p).name == publish.JOURNAL or Path(p).name.startswith(".publishing-")) \
                and os.path.lexists(p):
            step("unlink")
        unlink(p)
    publish.rename, publish.exchange, publish.unlink = _rename, _exchange, _unlink
    publish.publish(out, figures, out / ".work" / rid, rid, publish.published_manifest(out))
    print(steps["n"])
""")


def _publish_killed(
    out: Path, figures: Path, rid: str, kill_at: int
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _KILLER, str(out), str(figures), rid, str(kill_at)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


SCENARIOS = {
    # name: (run id of the new run, its text, its figures, whether it has a PDF, attachments)
    "new run": (R2, "new", ("a", "c"), True, ("conflicts", "log")),
    "new run without a pdf": (R2, "new", ("b",), False, ()),
    "the same run again (--force)": (R1, "again", ("a", "b"), True, ("conflicts",)),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_kill_at_each_step_of_publishing_leaves_a_whole_latest_and_the_next_run_finishes(
    tmp_path, scenario
):
    rid, text, figs, pdf, att = SCENARIOS[scenario]
    out, figures = tree(tmp_path / "count" / "report")
    publish.publish(out, figures, fake_run(out, R1, "old"), R1, None)
    fake_run(out, rid, text, figs, pdf, att)
    dry = _publish_killed(out, figures, rid, 0)
    assert dry.returncode == 0, dry.stderr
    steps = int(dry.stdout)
    assert steps >= 2 + len(figs) + (2 if pdf else 1)  # journal, archive, latest, each file

    old, new = expected("old"), expected(text, figs, pdf, rid, att)
    for kill_at in range(1, steps + 1):
        out, figures = tree(tmp_path / f"kill-{kill_at}" / "report")
        publish.publish(out, figures, fake_run(out, R1, "old"), R1, None)
        fake_run(out, rid, text, figs, pdf, att)
        r = _publish_killed(out, figures, rid, kill_at)
        assert r.returncode == -signal.SIGKILL, (kill_at, r.stderr)

        # what a reader finds meanwhile: `latest` names one whole run; every file at the usual
        # places is whole, the old run's or the new one's
        current = publish.current_run(out)
        assert current in (R1, rid), kill_at
        folder = out / "runs" / current
        assert {p.name for p in folder.iterdir() if not p.name.startswith(".")} >= {
            "report.html",
            "figures",
            "run.json",
        }
        seen = published(out, figures)
        for name, content in seen.items():
            if name != "latest":
                assert content in (old.get(name), new.get(name)), (kill_at, name, content)

        # the next run, before anything else, rolls the publication forward (once the journal
        # was written) or removes its temporary files (before)
        journal = (out / publish.JOURNAL).exists()
        copies = any(
            ".new-" in p.name
            for d in (out, figures, out / "attachments")
            if d.is_dir()
            for p in d.iterdir()
        )
        said, say = messages()
        recover.recover(out, figures, say)
        # killed before the journal was in place: the copies are still aside, nothing of the run
        # is published; after it, the run is; after the journal's removal, it was already
        done = journal or not copies
        assert published(out, figures) == (new if done else old), (kill_at, said)
        assert leftovers(out, figures) == [], kill_at
        if journal:
            assert said[-1].startswith(f"completed the publication of run {rid}"), said
        assert publish.read_manifest(out, publish.current_run(out))[
            "run_id"
        ] == publish.current_run(out)


def test_the_journal_is_the_commit_point(tmp_path):
    """Killed just before the journal is in place, nothing is published; just after, all."""
    out, figures = tree(tmp_path / "report")
    publish.publish(out, figures, fake_run(out, R1, "old"), R1, None)
    fake_run(out, R2, "new")
    assert _publish_killed(out, figures, R2, 1).returncode == -signal.SIGKILL
    assert not (out / publish.JOURNAL).exists()
    assert any(".new-" in p.name for p in out.iterdir())  # the copies were written
    recover.recover(out, figures, lambda _: None)
    assert published(out, figures) == expected("old")


def test_a_journal_this_program_did_not_write_is_not_acted_on(first):
    out, figures = first
    (figures.parent / "victim.txt").write_text("keep me")
    (out / publish.JOURNAL).write_text(
        json.dumps(
            {
                "format": 1,
                "run": R2,
                "tag": "1",
                "figures_dir": str(figures),
                "report_files": ["report.html"],
                "figure_files": ["../victim.txt"],
                "remove_report_files": [],
                "remove_figure_files": ["../victim.txt"],
            }
        )
    )
    said, say = messages()
    recover.recover(out, figures, say)
    assert "not a journal this program wrote" in said[0]
    assert (figures.parent / "victim.txt").read_text() == "keep me"
    assert published(out, figures) == expected("old")


def test_signals_are_held_while_publishing_and_acted_on_right_after():
    """Also with other threads running (the kernel may hand a process's signal to any)."""
    import threading

    from stability_report.build import signals

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


# ---------------------------------------------------------------------------------------------
# symbolic links and other things that are not the project's


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


@pytest.mark.parametrize(
    "slot",
    ["report.html", "report.pdf", "figures/a.svg", "latest-dir", "runs", "runs/R2", "figures"],
)
def test_a_link_or_foreign_object_where_publishing_writes_is_refused(first, tmp_path, slot):
    out, figures = first
    victim = _victim(tmp_path)
    target = {
        "report.html": out / "report.html",
        "report.pdf": out / "report.pdf",
        "figures/a.svg": figures / "a.svg",
        "latest-dir": out / "latest",
        "runs": out / "runs",
        "runs/R2": out / "runs" / R2,
        "figures": figures,
    }[slot]
    publish.remove(target)
    if slot == "latest-dir":
        target.mkdir()
        (target / "mine.txt").write_text("mine")
    else:
        target.symlink_to(victim / "precious.txt" if "." in target.name else victim)
    with pytest.raises(publish.UnsafePath) as info:
        publish.publish(out, figures, fake_run(out, R2, "new"), R2, publish.published_manifest(out))
    assert str(info.value).startswith(f"refusing to use {target}: it is a ")
    assert "nothing there was followed or changed" in str(info.value)
    assert _intact(victim)
    if slot == "latest-dir":
        assert (target / "mine.txt").read_text() == "mine"
    else:
        assert target.is_symlink()


def test_a_link_in_latest_is_replaced_not_followed(first, tmp_path):
    out, figures = first
    victim = _victim(tmp_path)
    (out / "latest").unlink()
    (out / "latest").symlink_to(victim)
    assert publish.current_run(out) is None  # not read as a published run
    publish.publish(out, figures, fake_run(out, R2, "new"), R2, None)
    assert os.readlink(out / "latest") == f"runs/{R2}" and _intact(victim)


def test_leftovers_that_are_links_are_unlinked_not_followed(first, tmp_path):
    out, figures = first
    victim = _victim(tmp_path)
    links = [
        out / ".work" / R2,
        out / ".work" / f"replaced-{R3}",
        out / ".report.html.new-99",
        out / ".latest.new-7",
        figures / ".a.svg.new-12",
        out / ".work" / f"failed-{R3}",
    ]
    (out / ".work").mkdir(exist_ok=True)
    for link in links:
        link.symlink_to(victim)
    (out / ".work" / "not-ours").mkdir()
    said, say = messages()
    recover.recover(out, figures, say)
    assert _intact(victim)
    for link in links[:-1]:
        assert not os.path.lexists(link)
        assert f"removing {link} left by an interrupted run" in said
    recover.remove_failed(out)
    assert not os.path.lexists(links[-1]) and _intact(victim)
    assert (out / ".work" / "not-ours").is_dir()  # not a name this program gives


def test_pruning_touches_only_real_run_folders(tmp_path):
    out, figures = tree(tmp_path / "report")
    victim = _victim(tmp_path)
    for i, rid in enumerate((R1, R2, R3)):
        publish.publish(
            out, figures, fake_run(out, rid, f"run{i}"), rid, publish.published_manifest(out)
        )
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


def test_pruning_refuses_a_runs_folder_that_is_a_link(first, tmp_path):
    out, figures = first
    victim = _victim(tmp_path)
    os.rename(out / "runs", tmp_path / "runs-moved")
    (out / "runs").symlink_to(victim)
    with pytest.raises(publish.UnsafePath, match="it is a symbolic link"):
        recover.prune(out, 1, R1, lambda _: None)
    assert _intact(victim)


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
