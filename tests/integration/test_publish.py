"""Publishing and the output tree (stability_report.publish.publish, publish.recover), in process,
on small fake runs: the tests that need a whole run (the report rendered, a kernel, a browser or the
command line in a subprocess); the others, and what they cover, are in tests/unit/test_publish.py.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from unit.test_publish import R1, R2, R3, _intact, _victim, fake_run, messages, tree

from stability_report import errors
from stability_report.publish import publish, recover
from stability_report.publish.lock import RunLock

ROOT = Path(__file__).resolve().parents[2]


def published(out: Path, figures: Path) -> dict[str, str]:
    """What a reader of the usual places finds, following the links: name -> content."""
    seen = {}
    for name in publish.REPORT_FILES:
        if (out / name).exists():
            seen[name] = (out / name).read_text(errors="replace")
    for directory, prefix in ((figures, "figures/"), (out / "attachments", "attachments/")):
        if directory.is_dir():
            for p in sorted(directory.iterdir()):
                if not p.name.startswith("."):
                    seen[prefix + p.name] = p.read_text()
    return seen


def expected(text: str, figures=("a", "b"), pdf=True, attachments=("conflicts",)) -> dict:
    seen = {"report.html": f"<html>{text}</html>", "brief.html": f"<html>brief {text}</html>"}
    if pdf:
        seen["report.pdf"] = f"%PDF {text}"
    seen.update({f"figures/{f}.svg": f"<svg>{text} {f}</svg>" for f in figures})
    seen.update({f"attachments/{a}.csv": f"{text},{a}\n" for a in attachments})
    return seen


def leftovers(out: Path, figures: Path) -> list[str]:
    found = [
        p.name
        for d in (out, figures.parent, out / "attachments", figures)
        if d.is_dir()
        for p in d.iterdir()
        if ".new-" in p.name
    ]
    work = out / ".work"
    found += [p.name for p in work.iterdir()] if work.exists() else []
    return found


@pytest.fixture
def first(tmp_path) -> tuple[Path, Path]:
    """An output tree with run R1 published (figures a, b)."""
    out, figures = tree(tmp_path / "report")
    publish.publish(out, figures, fake_run(out, R1, "old"), R1)
    assert published(out, figures) == expected("old")
    return out, figures


def test_every_published_path_is_a_link_into_latest(first):
    out, figures = first
    for name in publish.REPORT_FILES:
        assert os.readlink(out / name) == f"latest/{name}"
    assert os.readlink(out / "attachments") == "latest/attachments"
    assert os.readlink(figures) == "report/latest/figures"
    assert (out / "latest").is_dir() and not (out / "latest").is_symlink()
    assert publish.current_run(out) == R1
    # latest holds the archived run's own files (hard links), not copies
    a, b = out / "latest" / "report.html", out / "runs" / R1 / "report.html"
    assert os.stat(a).st_ino == os.stat(b).st_ino
    publish.publish(out, figures, fake_run(out, R2, "new", pdf=False), R2)
    assert published(out, figures) == expected("new", pdf=False)
    assert os.readlink(out / "report.pdf") == "latest/report.pdf"  # dangling: no PDF this run
    assert leftovers(out, figures) == [] and publish.current_run(out) == R2


def test_a_figure_that_is_a_directory_refuses_before_anything_changes(first):
    out, figures = first
    staging = fake_run(out, R2, "new")
    (staging / "figures" / "c").mkdir()
    before = published(out, figures)
    with pytest.raises(publish.UnsafePath, match=r"c: it is a directory where a figure"):
        publish.publish(out, figures, staging, R2)
    assert published(out, figures) == before
    assert publish.current_run(out) == R1
    assert leftovers(out, figures) == [R2]  # only the staging folder, which the caller removes


@pytest.mark.parametrize("failing", ["archive", "link copy", "switch"])
def test_a_step_that_fails_before_the_switch_publishes_nothing(first, monkeypatch, failing):
    out, figures = first
    before = published(out, figures)
    rename, swap, link = publish.rename, publish.swap, os.link

    def fail(*_):
        raise OSError(errno.EROFS, "Read-only file system")

    if failing == "archive":
        monkeypatch.setattr(
            publish,
            "rename",
            lambda a, b: fail() if Path(b).parent.name == "runs" else rename(a, b),
        )
    elif failing == "link copy":
        monkeypatch.setattr(publish.os, "link", lambda *a, **k: fail())
    else:
        monkeypatch.setattr(
            publish, "swap", lambda a, b: fail() if Path(b).name == "latest" else swap(a, b)
        )
    with pytest.raises(OSError, match="Read-only"):
        publish.publish(out, figures, fake_run(out, R2, "new"), R2)
    monkeypatch.setattr(publish, "rename", rename)
    monkeypatch.setattr(publish.os, "link", link)
    assert published(out, figures) == before and publish.current_run(out) == R1
    assert (out / ".work" / R2).is_dir() or failing == "switch"  # back where it was
    said, say = messages()
    recover.recover(out, figures, say)  # the leftovers have this program's names
    assert published(out, figures) == before and leftovers(out, figures) == []


@pytest.mark.parametrize("exchange", [True, False])
def test_a_failure_before_the_switch_keeps_the_archive_of_the_same_run(
    first, monkeypatch, exchange
):
    """The same run again (--force) failing at the switch: runs/<id> is the published run's
    folder again, and the new one is back in staging."""
    out, figures = first
    swap = publish.swap

    def failing(a, b):
        if Path(b).name == "latest":
            raise OSError(errno.EIO, "Input/output error")
        if not exchange:
            raise OSError(errno.ENOSYS, "renameat2 is not available")
        swap(a, b)

    monkeypatch.setattr(publish, "swap", failing)
    staging = fake_run(out, R1, "again")
    with pytest.raises(OSError, match="Input/output"):
        publish.publish(out, figures, staging, R1)
    assert (out / "runs" / R1 / "report.html").read_text() == "<html>old</html>"
    assert (staging / "report.html").read_text() == "<html>again</html>"
    assert published(out, figures) == expected("old")
    assert sorted(os.listdir(out / ".work")) == [R1]


# A publication run in a process of its own that kills itself (SIGKILL) just before the n-th of
# the operations that change the tree: what a machine crash or kill -9 does there.
_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from stability_report.publish import publish, safefs
    out, figures, rid, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    no_exchange = sys.argv[5] == "1"
    steps = {"n": 0}

    def step():
        steps["n"] += 1
        if steps["n"] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(fn):
        def stepped(*a, **k):
            step()
            return fn(*a, **k)
        return stepped

    def no_swap(a, b):
        step()
        raise OSError(38, "renameat2 is not available")

    publish.rename = wrap(publish.rename)
    publish.swap = no_swap if no_exchange else wrap(publish.swap)
    publish.remove, publish.unlink = wrap(publish.remove), wrap(publish.unlink)
    publish.fsync_dir = wrap(publish.fsync_dir)
    for name in ("symlink", "link", "mkdir", "rmdir"):
        setattr(publish.os, name, wrap(getattr(os, name)))
    publish.publish(out, figures, out / ".work" / rid, rid)
    print(steps["n"])
""")


def _publish_killed(
    out: Path, figures: Path, rid: str, kill_at: int, no_exchange: bool = False
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _KILLER, str(out), str(figures), rid, str(kill_at)]
        + ["1" if no_exchange else "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _earlier_layout(out: Path, figures: Path) -> None:
    """The earlier layout's tree of R1: regular copies at the usual places, latest a link."""
    staging = fake_run(out, R1, "old")
    (out / "runs").mkdir()
    os.rename(staging, out / "runs" / R1)
    (out / "latest").symlink_to(f"runs/{R1}")
    figures.mkdir()
    (out / "attachments").mkdir()
    for name, content in expected("old").items():
        (figures.parent / name if name.startswith("figures/") else out / name).write_text(content)


SCENARIOS = {
    # name: (run id of the new run, its text, its figures, whether it has a PDF, attachments)
    "new run": (R2, "new", ("a", "c"), True, ("conflicts", "log")),
    "new run without a pdf": (R2, "new", ("b",), False, ()),
    "the same run again (--force)": (R1, "again", ("a", "b"), True, ("conflicts",)),
    "new run over the earlier layout": (R2, "new", ("a", "c"), True, ("conflicts", "log")),
    "new run, no exchange": (R2, "new", ("a", "c"), False, ("conflicts",)),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_kill_at_each_step_of_publishing_leaves_one_whole_run_at_every_published_path(
    tmp_path, scenario
):
    rid, text, figs, pdf, att = SCENARIOS[scenario]
    no_exchange = "no exchange" in scenario

    def setup(where: Path) -> tuple[Path, Path]:
        out, figures = tree(where / "report")
        if "earlier layout" in scenario:
            _earlier_layout(out, figures)
        else:
            publish.publish(out, figures, fake_run(out, R1, "old"), R1)
        fake_run(out, rid, text, figs, pdf, att)
        return out, figures

    out, figures = setup(tmp_path / "count")
    dry = _publish_killed(out, figures, rid, 0, no_exchange)
    assert dry.returncode == 0, dry.stderr
    steps = int(dry.stdout)
    assert steps >= 5

    old, new = expected("old"), expected(text, figs, pdf, att)
    for kill_at in range(1, steps + 1):
        out, figures = setup(tmp_path / f"kill-{kill_at}")
        r = _publish_killed(out, figures, rid, kill_at, no_exchange)
        assert r.returncode == -signal.SIGKILL, (kill_at, r.stderr)

        # what a reader finds meanwhile: every published path gives the files of one run, the
        # one `latest` names (with no exchange, for an instant no run at all)
        seen, m = published(out, figures), publish.published_manifest(out)
        if m is None:
            assert no_exchange and seen == {}, (kill_at, seen)
        else:
            assert seen == (new if m["text"] == text else old), (kill_at, m, seen)

        said, say = messages()
        recover.recover(out, figures, say)
        m = publish.published_manifest(out)
        assert seen == {} or published(out, figures) == seen, (kill_at, said)
        assert published(out, figures) == (new if m["text"] == text else old), kill_at
        assert leftovers(out, figures) == [], (kill_at, said)
        archived = json.loads((out / "runs" / m["run_id"] / "run.json").read_text())
        assert archived["text"] in (text, "old")

        # and the next publication of the same run goes through
        fake_run(out, rid, text, figs, pdf, att)
        publish.publish(out, figures, out / ".work" / rid, rid)
        assert published(out, figures) == new and leftovers(out, figures) == [], kill_at


def test_the_earlier_layouts_journal_and_copies_are_removed(first):
    out, figures = first
    (out / publish.JOURNAL).write_text("{}")
    (out / ".report.html.new-12").write_text("half")
    (out / ".latest.new-9").symlink_to("runs/x")
    said, say = messages()
    recover.recover(out, figures, say)
    assert leftovers(out, figures) == [] and not (out / publish.JOURNAL).exists()
    assert published(out, figures) == expected("old")
    assert len(said) == 3


def test_the_earlier_layouts_figures_folder_keeps_what_is_not_the_reports(tmp_path):
    out, figures = tree(tmp_path / "report")
    _earlier_layout(out, figures)
    (figures / "notes").mkdir()
    said, say = messages()
    publish.publish(out, figures, fake_run(out, R2, "new"), R2, say)
    assert published(out, figures) == expected("new")
    kept = [p for p in figures.parent.iterdir() if p.name.endswith("-earlier")]
    assert [p.name for p in kept[0].iterdir()] == ["notes"] and "notes" not in said
    (message,) = said  # one message, naming the folder kept and saying it was left there
    assert message.startswith(f"{kept[0]} ") and "left there" in message


@pytest.mark.parametrize(
    "slot",
    [
        "report.html",
        "report.pdf",
        "attachments",
        "figures",
        "latest",
        "latest-dir",
        "runs",
        "runs/R2",
        "figures-parent",
    ],
)
def test_a_link_or_foreign_object_where_publishing_writes_is_refused(first, tmp_path, slot):
    out, figures = first
    victim = _victim(tmp_path)
    target = {
        "report.html": out / "report.html",
        "report.pdf": out / "report.pdf",
        "attachments": out / "attachments",
        "figures": figures,
        "latest": out / "latest",
        "latest-dir": out / "latest",
        "runs": out / "runs",
        "runs/R2": out / "runs" / R2,
        "figures-parent": tmp_path / "elsewhere",
    }[slot]
    if slot == "figures-parent":
        figures = target / "figures"
    publish.remove(target)
    if slot == "latest-dir":  # a folder that is not a run's
        target.mkdir()
        (target / "mine.txt").write_text("mine")
    else:
        target.symlink_to(victim / "precious.txt" if "." in target.name else victim)
    with pytest.raises(publish.UnsafePath) as info:
        publish.publish(out, figures, fake_run(out, R2, "new"), R2)
    assert str(info.value).startswith(f"refusing to use {target}: it is a ")
    assert "nothing there was followed or changed" in str(info.value)
    assert _intact(victim)
    if slot == "latest-dir":
        assert (target / "mine.txt").read_text() == "mine"
    else:
        assert target.is_symlink()


def test_leftovers_that_are_links_are_unlinked_not_followed(first, tmp_path):
    out, figures = first
    victim = _victim(tmp_path)
    links = [
        out / ".work" / R2,
        out / ".work" / f"replaced-{R3}",
        out / ".work" / f"next-{R3}",
        out / ".work" / "retired-12",
        out / ".report.html.new-99",
        out / ".latest.new-7",
        figures.parent / ".figures.new-12-earlier",
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


def test_pruning_refuses_a_runs_folder_that_is_a_link(first, tmp_path):
    out, figures = first
    victim = _victim(tmp_path)
    os.rename(out / "runs", tmp_path / "runs-moved")
    (out / "runs").symlink_to(victim)
    with pytest.raises(publish.UnsafePath, match="it is a symbolic link"):
        recover.prune(out, 1, R1, lambda _: None)
    assert _intact(victim)


# ---------------------------------------------------------------------------------------------
# the run's lock (publish.lock, an flock taken through filelock)

HOLD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stability_report.publish.lock import RunLock
    with RunLock(Path(sys.argv[1]), print):
        print("held", flush=True)
        sys.stdin.read()  # until the test closes it, or kills this process
    """
)


def _holder(lock: Path) -> subprocess.Popen:
    """Another process holding the lock (as another run would)."""
    p = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert p.stdout.readline().strip() == "held"
    return p


def test_the_lock_holds_the_runs_pid_and_is_gone_after_it(tmp_path):
    said: list[str] = []
    with RunLock(tmp_path / ".lock", said.append):
        assert (tmp_path / ".lock").read_text() == f"{os.getpid()}\n"
    assert not (tmp_path / ".lock").exists() and said == []


def test_a_second_run_is_refused_by_the_lock_naming_the_holder_and_truncating_nothing(tmp_path):
    lock = tmp_path / ".lock"
    holder = _holder(lock)
    try:
        with pytest.raises(errors.LockedError, match=rf"another run \(pid {holder.pid}\) is in"):
            with RunLock(lock, lambda _: None):
                pass
        assert lock.read_text() == f"{holder.pid}\n"  # the refused run truncated nothing
    finally:
        holder.stdin.close()
        holder.wait()
    assert not lock.exists()


def test_a_killed_runs_lock_blocks_nothing_and_its_pid_is_said(tmp_path):
    lock = tmp_path / ".lock"
    holder = _holder(lock)
    holder.kill()
    holder.wait()
    assert lock.read_text() == f"{holder.pid}\n"  # left by the killed run
    said: list[str] = []
    with RunLock(lock, said.append):
        assert lock.read_text() == f"{os.getpid()}\n"
    assert said == [f"stale lock from pid {holder.pid} cleared"] and not lock.exists()


@pytest.mark.parametrize(
    "kind, found",
    [
        ("hard link", "a file with other hard links"),
        ("symbolic link", "a symbolic link"),
        ("dangling link", "a symbolic link"),
        ("folder", "a directory"),
        ("fifo", "a device, pipe or socket"),
    ],
)
def test_a_lock_file_that_is_not_the_projects_is_refused_untouched(tmp_path, kind, found):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    victim.chmod(0o600)
    lock = tmp_path / "out" / ".lock"
    lock.parent.mkdir()
    make = {
        "hard link": lambda: os.link(victim, lock),
        "symbolic link": lambda: lock.symlink_to(victim),
        "dangling link": lambda: lock.symlink_to(tmp_path / "nowhere"),
        "folder": lock.mkdir,
        "fifo": lambda: os.mkfifo(lock),
    }
    make[kind]()
    with pytest.raises(errors.UnsafePath, match=f"{lock}: it is {found}"):
        with RunLock(lock, lambda _: None):
            pass
    assert victim.read_text() == "precious\n" and victim.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "nowhere").exists() and os.path.lexists(lock)
