"""Faults: what the machine does to a run. Each test starts from a good published report and
shows that nothing of it is lost (report.html, report.pdf, figures, runs/ and latest
byte-identical), that no half-made report is published, and that the user gets a clear message
and the documented exit code.

Already covered elsewhere and not repeated here: a notebook raising in the middle of the run
(test_pipeline), a stale lock on the no-op path (test_cli), the disk filling between two copies
of publish.publish (test_pipeline, in-process), an output path under a regular file (test_cli) and
`--chromium` naming a missing file on a fresh output (test_pipeline).

The fixture notebooks (tests/fixtures/notebooks) are used throughout: a fault test needs a run,
not the analysis. Read-only and full file systems are real tmpfs mounts (the tests run as root
in CI); where mounting is not permitted the same faults are injected in-process instead.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import pipeline_support as support
import pytest
import robustness_support as rs

from stability_report import cli
from stability_report.pipeline import inputs, output
from stability_report.publish import publish

UNCHANGED = "the published report is unchanged"


@pytest.fixture(scope="module")
def previous() -> support.Rendered:
    return rs.previous()


@pytest.fixture
def tmpfs(tmp_path):
    """mount(name, size) -> a fresh tmpfs, or None if this machine does not allow mounting."""
    mounted: list[Path] = []
    state = {"why": None}

    def mount(name: str, size: str = "4m") -> Path | None:
        target = tmp_path / name
        why = rs.mount_tmpfs(target, size)
        if why:
            state["why"] = why
            return None
        mounted.append(target)
        return target

    mount.why = lambda: state["why"]  # type: ignore[attr-defined]
    yield mount
    for target in reversed(mounted):
        rs.unmount(target)


def render(output: Path, notebooks: Path, *extra: str, **env: str):
    return support.run_cli(
        "run",
        "--output",
        str(output),
        "--notebooks",
        str(notebooks),
        "--as-of",
        rs.AS_OF,
        *extra,
        timeout=300,
        **env,
    )


def assert_nothing_lost(output: Path, before: dict, figures: Path | None = None) -> None:
    after = rs.snapshot(output, figures)
    assert after == before, {
        k: (before.get(k), after.get(k))
        for k in set(before) | set(after)
        if before.get(k) != after.get(k)
    }
    assert not rs.temporaries(output, *([figures] if figures else []))


# ---------------------------------------------------------------------------------------------
# killed


def test_sigkill_mid_render_loses_nothing_and_the_next_run_recovers(previous, tmp_path):
    """kill -9 while a notebook runs: the last good report stays whole; the same command run
    again clears the stale lock and the dead run's staging directory, says so, and publishes."""
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    notebooks = tmp_path / "notebooks"
    rs.notebooks_with(
        notebooks,
        "02-cash-runway.ipynb",
        "import os, time\ntime.sleep(float(os.environ.get('SR_TEST_PAUSE_SECONDS', '0')))",
        position=3,
    )
    args = [
        "run",
        "--output",
        str(out),
        "--notebooks",
        str(notebooks),
        "--as-of",
        rs.AS_OF,
        "--force",
    ]

    run = rs.Streamed(args, SR_TEST_PAUSE_SECONDS="120")
    left: list[tuple[int, int]] = []
    try:
        run.wait_for("running 02-cash-runway.ipynb", timeout=600)
        time.sleep(0.5)  # inside the paused cell
        left = rs.descendants(run.proc.pid)  # the kernel, Playwright's driver, chromium
        assert left, "the run has started no kernel"
        os.kill(run.proc.pid, signal.SIGKILL)
        assert run.finish() == -signal.SIGKILL
        # The orphans go too (the kernel polls its parent, the driver reads a closed pipe): a
        # kernel left running could still write into the staging directory.
        deadline = time.monotonic() + 120  # a hang detector, not a measure of speed
        while any(rs.alive(p) for p in left) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in left if rs.alive(p)], "processes outlived the killed run"
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.finish()
        rs.kill_left(left)

    assert "publishing" not in run.stderr
    assert_nothing_lost(out, before)
    staged = rs.staging_left(out)
    assert len(staged) == 1 and (staged[0] / "notebooks").is_dir()  # killed mid-render
    assert (out / ".lock").read_text().strip() == str(run.proc.pid)  # the dead run's pid
    cfg = inputs.Config(
        params=previous.manifest["params"],
        output=out,
        figures=out / "figures",
        notebooks=previous.notebooks,
    )
    assert output.up_to_date(cfg, previous.manifest["inputs_hash"])  # still whole

    again = support.run_cli(*args, timeout=300)  # the same command, no pause
    assert again.returncode == 0, again.stderr
    assert f"stale lock from pid {run.proc.pid} cleared" in again.stderr
    assert f"removing {staged[0]} left by an interrupted run" in again.stderr
    assert "published report.html and report.pdf" in again.stderr
    assert not rs.staging_left(out) and not rs.temporaries(out)
    assert not (out / ".lock").exists() and not (out / ".work").exists()
    m = json.loads((out / "latest" / "run.json").read_text())
    assert m["complete"] and m["run_id"] != previous.manifest["run_id"]
    assert (out / "runs" / previous.manifest["run_id"] / "report.pdf").read_bytes() == (
        previous.output / "report.pdf"
    ).read_bytes()  # the old run stays in the archive


# ---------------------------------------------------------------------------------------------
# notebooks that fail


FAILURES = {
    # name: (notebook, code, cell position (None: last), extra options, what the error says)
    "raises in the last notebook": (
        "04-sources-and-data-quality.ipynb",
        "raise RuntimeError('fixture: the appendix cannot be built')",
        None,
        [],
        "RuntimeError: fixture: the appendix cannot be built",
    ),
    "kernel killed (out of memory)": (
        "01-overview.ipynb",
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
        3,
        [],
        "DeadKernelError: the kernel died (it was killed, or ran out of memory)",
    ),
    "cell exceeds --timeout": (
        "01-overview.ipynb",
        "import time\ntime.sleep(300)",
        3,
        ["--timeout", "3"],
        "CellTimeoutError: the cell did not finish within 3 s (--timeout)",
    ),
    "warning on stderr": (
        "01-overview.ipynb",
        "import warnings\nwarnings.warn('the fixture is unsure')",
        3,
        [],
        "UserWarning: the fixture is unsure",
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_failing_notebook_names_cell_and_error_and_keeps_the_report(previous, tmp_path, case):
    notebook, code, position, extra, error = FAILURES[case]
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    notebooks = tmp_path / "notebooks"
    cell = rs.notebooks_with(notebooks, notebook, code, position)
    r = render(out, notebooks, "--no-pdf", *extra)
    assert r.returncode == 1, r.stderr
    assert f"error: notebook {notebook} failed in cell {cell}" in r.stderr
    assert f"    | {code.splitlines()[-1]}" in r.stderr  # the failing cell's source
    assert error in r.stderr
    assert UNCHANGED in r.stderr
    assert "Traceback" not in r.stderr and "unexpected" not in r.stderr  # not reported as a bug
    assert_nothing_lost(out, before)
    assert not rs.staging_left(out)
    assert not (out / ".lock").exists()  # released: the next run is not blocked
    kept = re.search(r"the executed notebook is kept in (\S+)", r.stderr)
    if kept:
        assert Path(kept.group(1)).is_file()


# ---------------------------------------------------------------------------------------------
# output not writable


def test_output_directory_not_writable_exits_4_before_running(previous, tmp_path, tmpfs):
    if os.geteuid() != 0:  # permissions mean something
        out = rs.copy_previous(tmp_path / "report")
        out.chmod(0o555)
        reason = "permission denied"
    else:  # root ignores permissions: a read-only file system does not
        mnt = tmpfs("ro")
        if mnt is None:
            pytest.skip(
                f"running as root and cannot mount a tmpfs ({tmpfs.why()}); "
                "see test_unwritable_or_full_output_injected"
            )
        out = rs.copy_previous(mnt / "report")
        rs.remount_read_only(mnt)
        reason = "the file system is read-only"
    before = rs.snapshot(out)
    try:
        t0 = time.monotonic()
        r = render(out, previous.notebooks, "--force")
        assert r.returncode == 4, r.stderr
        assert f"error: cannot write the output directory {out}: {reason}" in r.stderr
        assert "nothing was published; " + UNCHANGED in r.stderr
        assert "starting the kernel" not in r.stderr and time.monotonic() - t0 < 15
        assert_nothing_lost(out, before)
        assert not rs.staging_left(out)
    finally:
        if os.geteuid() != 0:
            out.chmod(0o755)


def test_figures_directory_not_writable_publishes_nothing(previous, tmp_path, tmpfs):
    """The output is writable, the figures directory is not: the run gets as far as publishing,
    and then publishes nothing, not even report.html."""
    out = rs.copy_previous(tmp_path / "report")
    if os.geteuid() != 0:
        figures = tmp_path / "figures"
        figures.mkdir()
        for f in (out / "figures").iterdir():
            (figures / f.name).write_bytes(f.read_bytes())
        figures.chmod(0o555)
        reason = "Permission denied"
    else:
        mnt = tmpfs("ro-figures")
        if mnt is None:
            pytest.skip(
                f"running as root and cannot mount a tmpfs ({tmpfs.why()}); "
                "see test_unwritable_or_full_output_injected"
            )
        figures = mnt / "figures"
        figures.mkdir()
        for f in (out / "figures").iterdir():
            (figures / f.name).write_bytes(f.read_bytes())
        rs.remount_read_only(mnt)
        reason = "the file system is read-only"
    before = rs.snapshot(out, figures)
    try:
        r = render(out, previous.notebooks, "--figures-dir", str(figures), "--no-pdf")
        assert r.returncode == 4, r.stderr
        assert f"error: cannot write the published report in {out}" in r.stderr
        assert reason in r.stderr
        assert "nothing was published; " + UNCHANGED in r.stderr
        assert "publishing run" in r.stderr  # it got that far
        assert_nothing_lost(out, before, figures)
        assert not rs.staging_left(out)
    finally:
        if os.geteuid() != 0:
            figures.chmod(0o755)


# ---------------------------------------------------------------------------------------------
# disk full


def _publish_need(output: Path) -> int:
    """What the published files take: report.html, report.pdf and the figures."""
    names = [output / "report.html", output / "report.pdf", *(output / "figures").iterdir()]
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in names)


def test_a_disk_with_room_for_the_run_publishes_it_whole(previous, tmpfs):
    """Publishing writes no data (the published folder is hard links to the run's files): a
    disk with room for the run's staging and half as much again as its published files, where
    publishing by copies ran out of space, publishes it."""
    mnt = tmpfs("room", "4m")
    if mnt is None:
        pytest.skip(f"cannot mount a tmpfs ({tmpfs.why()})")
    out = rs.copy_previous(mnt / "report")
    rs.fill(
        mnt, rs.disk_usage(out / "runs" / previous.manifest["run_id"]) + _publish_need(out) // 2
    )
    r = render(out, previous.notebooks, "--force", "-p", "horizon_months", "24")
    assert r.returncode == 0, r.stderr
    m = published_is_one_run(out)
    assert m["params"]["horizon_months"] == 24 and not rs.staging_left(out)


@pytest.mark.parametrize("stage", ["no space at all", "while the notebooks run"])
def test_disk_full_exits_4_and_publishes_nothing(previous, tmp_path, tmpfs, stage):
    mnt = tmpfs("full", "4m")
    if mnt is None:
        pytest.skip(
            f"cannot mount a tmpfs ({tmpfs.why()}); see test_unwritable_or_full_output_injected"
        )
    out = rs.copy_previous(mnt / "report")
    leave = {
        "no space at all": 0,
        "while the notebooks run": 64 * 1024,
    }[stage]
    rs.fill(mnt, leave)
    before = rs.snapshot(out)

    r = render(out, previous.notebooks, "--force")
    assert r.returncode == 4, r.stderr
    assert "the disk is full" in r.stderr or "No space left on device" in r.stderr
    assert UNCHANGED in r.stderr
    if stage == "no space at all":
        assert "starting the kernel" not in r.stderr
    assert_nothing_lost(out, before)
    assert not rs.staging_left(out)  # removed: keeping it would hold on to the space
    assert not list((out / ".work").glob("failed-*"))  # nothing kept that holds the space

    if stage != "no space at all":  # the published report still matches its manifest
        ok = render(out, previous.notebooks)
        assert ok.returncode == 0 and "nothing to render" in ok.stderr, ok.stderr


def test_unwritable_or_full_output_injected(previous, tmp_path, tmpfs, monkeypatch, capfd):
    """Where no tmpfs can be mounted: the same faults, injected in-process as the OSError the
    file system would raise while the report is published."""
    probe = tmpfs("probe", "64k")
    if probe is not None:
        pytest.skip(
            "tmpfs mounts work here: the real read-only and full file systems are tested above"
        )
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    link = os.link
    for code, words in (
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "the file system is read-only"),
    ):
        calls = {"n": 0}

        def failing(src, dst, code=code, calls=calls, **kw):
            calls["n"] += 1
            if calls["n"] == 2:  # the folder that becomes `latest`: one file in, the next not
                raise OSError(code, os.strerror(code))
            link(src, dst, **kw)

        monkeypatch.setattr(publish.os, "link", failing)
        rc = cli.main(
            [
                "run",
                "--output",
                str(out),
                "--notebooks",
                str(previous.notebooks),
                "--as-of",
                rs.AS_OF,
                "--force",
            ]
        )
        err = capfd.readouterr().err
        assert rc == 4, err
        assert words in err and "nothing was published" in err
        assert_nothing_lost(out, before)


# ---------------------------------------------------------------------------------------------
# chromium missing


def test_chromium_missing_publishes_the_html_and_says_how_to_install_it(previous, tmp_path):
    """A new run (a parameter changed) on a machine without chromium, on top of a complete
    report: the new HTML is published, the old PDF does not stay beside it (it would not match
    the HTML), the archive keeps the old run whole, and the run exits 5."""
    out = rs.copy_previous(tmp_path / "report")
    missing = tmp_path / "no" / "chromium"
    r = render(
        out,
        previous.notebooks,
        "-p",
        "horizon_months",
        "24",
        STABILITY_REPORT_CHROMIUM=str(missing),
    )
    assert r.returncode == 5, r.stderr
    assert f"chromium not found ({missing})" in r.stderr
    assert "make system-deps" in r.stderr and "apt-get install chromium" in r.stderr
    assert "report.html published" in r.stderr and "report.pdf was not made" in r.stderr
    assert "Traceback" not in r.stderr
    m = json.loads((out / "latest" / "run.json").read_text())
    assert m["complete"] is False and set(m["published"]) == {"report.html", "results.json"}
    assert m["params"]["horizon_months"] == 24
    assert rs.snapshot(out)["latest/report.html"] == m["published"]["report.html"]
    assert not (out / "report.pdf").exists()
    old = out / "runs" / previous.manifest["run_id"]
    assert (old / "report.pdf").read_bytes() == (previous.output / "report.pdf").read_bytes()
    assert (old / "report.html").read_bytes() == (previous.output / "report.html").read_bytes()
    assert not rs.staging_left(out) and not rs.temporaries(out)


def test_chromium_that_does_not_start_exits_5(previous, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'chromium: cannot open display' >&2\nexit 1\n")
    fake.chmod(0o755)
    out = rs.copy_previous(tmp_path / "report")
    r = render(out, previous.notebooks, "-p", "horizon_months", "24", "--chromium", str(fake))
    assert r.returncode == 5, r.stderr
    assert f"cannot print report.pdf: chromium ({fake}) did not start" in r.stderr
    assert "make system-deps" in r.stderr and "Traceback" not in r.stderr
    m = json.loads((out / "latest" / "run.json").read_text())
    assert m["complete"] is False and set(m["published"]) == {"report.html", "results.json"}
    assert not (out / "report.pdf").exists()


# ---------------------------------------------------------------------------------------------
# publishing that fails or is cut short


def test_a_published_path_made_a_directory_publishes_nothing_and_says_so(previous, tmp_path):
    out = rs.copy_previous(tmp_path / "report")
    path = out / "report.html"
    path.unlink()
    path.mkdir()
    before = rs.snapshot(out)
    r = render(out, previous.notebooks, "--force", "-p", "horizon_months", "24")
    assert r.returncode == 4, r.stderr
    # the path refused, what is there, and what belongs there
    (line,) = [ln for ln in r.stderr.splitlines() if f"error: refusing to use {path}:" in ln]
    assert "a directory" in line and "symbolic link" in line and "latest/report.html" in line
    assert "nothing was published; " + UNCHANGED in r.stderr
    assert_nothing_lost(out, before)
    assert not rs.staging_left(out)
    assert publish.current_run(out) == previous.manifest["run_id"]


_KILL_AT_STEP = """
import os, signal, sys
from stability_report.publish import publish
count = [0]
def stepped(fn):
    def step(*a, **k):
        count[0] += 1
        if count[0] == int(os.environ["KILL_AT_STEP"]):
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*a, **k)
    return step
publish.rename, publish.swap = stepped(publish.rename), stepped(publish.swap)
from stability_report.cli import main
sys.exit(main(sys.argv[1:]))
"""


def published_is_one_run(out: Path) -> dict:
    """Every published path, read through its link, is a file of the run `latest` names."""
    m = publish.published_manifest(out)
    snap = rs.snapshot(out)
    for name, sha in m["published"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
        assert snap[f"latest/{name}"] == sha
    for name, sha in m["figures"].items():
        assert hashlib.sha256((out / "figures" / name).read_bytes()).hexdigest() == sha, name
    for name, sha in m["attachments"].items():
        assert hashlib.sha256((out / "attachments" / name).read_bytes()).hexdigest() == sha
    assert sorted(p.name for p in (out / "figures").iterdir()) == sorted(m["figures"])
    return m


@pytest.mark.parametrize("kill_at", [1, 2, 3])
def test_killed_at_each_rename_of_publishing_a_reader_sees_one_whole_run(
    previous, tmp_path, kill_at
):
    """kill -9 at each rename or exchange of the publication (1: the run folder into runs/,
    2: the exchange of `latest`, 3: the previous run's folder moved aside): every published
    path shows one whole run, the one `latest` names; the next run removes what is left."""
    import subprocess

    out = rs.copy_previous(tmp_path / "report")
    args = [
        "run",
        "--output",
        str(out),
        "--notebooks",
        str(previous.notebooks),
        "--as-of",
        rs.AS_OF,
        "-p",
        "horizon_months",
        "24",
    ]
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AT_STEP, *args],
        cwd=support.ROOT,
        env=support.cli_env(KILL_AT_STEP=str(kill_at)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    m = published_is_one_run(out)
    assert (m["run_id"] == previous.manifest["run_id"]) == (kill_at <= 2)

    again = support.run_cli(*args, timeout=300)
    assert again.returncode == 0, again.stderr
    assert ("nothing to render" in again.stderr) == (kill_at > 2), again.stderr[:3000]
    m = published_is_one_run(out)
    assert m["params"]["horizon_months"] == 24 and m["run_id"] != previous.manifest["run_id"]
    assert not rs.temporaries(out) and not (out / ".work").exists()


# ---------------------------------------------------------------------------------------------
# symbolic links and foreign objects in the output tree


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("precious\n")
    for name in ("2024-01-01_aaaaaaaaaa", "2024-01-02_bbbbbbbbbb", "2024-01-03_cccccccccc"):
        (victim / name).mkdir()
        (victim / name / "data").write_text("data\n")
    return victim


def _victim_intact(victim: Path) -> None:
    assert (victim / "precious.txt").read_text() == "precious\n"
    assert sorted(p.name for p in victim.iterdir()) == [
        "2024-01-01_aaaaaaaaaa",
        "2024-01-02_bbbbbbbbbb",
        "2024-01-03_cccccccccc",
        "precious.txt",
    ]


# path in the output tree -> what the link points to (the victim folder or its file)
LINKED = {
    ".lock": "file",
    "runs": "dir",
    ".work": "dir",
    "report.html": "file",
    "report.pdf": "file",
    "results.json": "file",
    "attachments": "dir",
    "figures": "dir",
    "latest": "dir",
}


@pytest.mark.parametrize("name", list(LINKED))
def test_a_symbolic_link_in_the_output_tree_is_refused_and_never_followed(previous, tmp_path, name):
    """Each path the project creates, truncates, renames over or deletes in, as a link to
    someone else's file or folder: the run (a no-op one, and with --keep-runs 1) stops with
    exit 4 naming the link, and the link's target is untouched."""
    out = rs.copy_previous(tmp_path / "report")
    victim = _victim(tmp_path)
    path = out / name
    publish.remove(path)
    path.symlink_to(victim / "precious.txt" if LINKED[name] == "file" else victim)
    before = rs.snapshot(out)
    for extra in ([], ["--keep-runs", "1", "-p", "horizon_months", "24"]):
        r = render(out, previous.notebooks, *extra)
        assert r.returncode == 4, r.stderr
        assert f"error: refusing to use {path}: it is a symbolic link (to {victim}" in r.stderr
        assert "nothing was published; " + UNCHANGED in r.stderr
        assert "starting the kernel" not in r.stderr
        _victim_intact(victim)
        assert rs.snapshot(out) == before


def test_an_output_directory_that_is_a_link_is_refused(previous, tmp_path):
    victim = _victim(tmp_path)
    link = tmp_path / "report"
    link.symlink_to(victim)
    r = render(link, previous.notebooks)
    assert r.returncode == 4, r.stderr
    assert f"refusing to use {link}: it is a symbolic link (to {victim})" in r.stderr
    assert "give the directory itself" in r.stderr
    _victim_intact(victim)


def test_a_lock_file_with_another_hard_link_is_not_truncated(previous, tmp_path):
    out = rs.copy_previous(tmp_path / "report")
    victim = _victim(tmp_path)
    (out / ".lock").unlink(missing_ok=True)
    os.link(victim / "precious.txt", out / ".lock")
    r = render(out, previous.notebooks)
    assert r.returncode == 4, r.stderr
    (line,) = [ln for ln in r.stderr.splitlines() if "refusing to use" in ln]
    assert f"{out / '.lock'}:" in line and "hard links" in line and "lock file" in line
    _victim_intact(victim)


def test_a_latest_that_is_a_real_folder_is_refused_not_deleted(previous, tmp_path):
    out = rs.copy_previous(tmp_path / "report")
    publish.remove(out / "latest")
    (out / "latest").mkdir()
    (out / "latest" / "notes.txt").write_text("mine")
    r = render(out, previous.notebooks, "--force")
    assert r.returncode == 4, r.stderr
    assert f"refusing to use {out / 'latest'}: it is a directory without a run.json" in r.stderr
    assert (out / "latest" / "notes.txt").read_text() == "mine"


# ---------------------------------------------------------------------------------------------
# a chromium that hangs, an unusable temporary directory, signals


def test_a_chromium_that_hangs_mid_print_is_cut_short_by_the_print_timeout(previous, tmp_path):
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    pids = tmp_path / "pids"
    r = render(
        out,
        previous.notebooks,
        "-p",
        "horizon_months",
        "24",
        "--print-timeout",
        "3",
        "--chromium",
        str(rs.fake_chromium(tmp_path)),
        FAKE_CHROMIUM_MODE="hang-print",
        FAKE_CHROMIUM_PIDS=str(pids),
    )
    assert r.returncode == 1, r.stderr
    assert all(w in r.stderr for w in ("report.pdf", "within 3 s", "--print-timeout"))
    assert UNCHANGED in r.stderr and "Traceback" not in r.stderr
    assert_nothing_lost(out, before)
    assert pids.read_text().split() and rs.pids_alive(pids) == []


@pytest.mark.parametrize("tmpdir", ["missing", "a file", "read-only"])
def test_an_unusable_temporary_directory_is_named_and_publishes_nothing(
    previous, tmp_path, tmpfs, tmpdir
):
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    if tmpdir == "missing":
        where = tmp_path / "no-such-dir"
    elif tmpdir == "a file":
        where = tmp_path / "a-file"
        where.write_text("x")
    else:
        where = tmpfs("ro-tmp", "1m")
        if where is None:
            pytest.skip(f"cannot mount a tmpfs ({tmpfs.why()})")
        rs.remount_read_only(where)
    r = render(out, previous.notebooks, "-p", "horizon_months", "24", TMPDIR=str(where))
    assert r.returncode == 4, r.stderr
    assert f"error: cannot write TMPDIR={where}: " in r.stderr
    assert "set TMPDIR to a writable directory" in r.stderr
    assert "chromium" not in r.stderr.lower() and "make system-deps" not in r.stderr
    assert "nothing was published; " + UNCHANGED in r.stderr
    assert_nothing_lost(out, before)  # report.pdf included
    assert (out / "report.pdf").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_notebook_ends_the_run_with_one_line(previous, tmp_path, signum):
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    notebooks = tmp_path / "notebooks"
    rs.notebooks_with(
        notebooks,
        "02-cash-runway.ipynb",
        "import os, time\ntime.sleep(float(os.environ.get('SR_TEST_PAUSE_SECONDS', '0')))",
        position=3,
    )
    run = rs.Streamed(
        [
            "run",
            "--output",
            str(out),
            "--notebooks",
            str(notebooks),
            "--as-of",
            rs.AS_OF,
            "--force",
        ],
        SR_TEST_PAUSE_SECONDS="120",
    )
    left: list[tuple[int, int]] = []
    try:
        run.wait_for("running 02-cash-runway.ipynb", timeout=600)
        time.sleep(0.5)
        left = rs.descendants(run.proc.pid)
        os.kill(run.proc.pid, signum)
        code = run.finish()
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.finish()
        rs.kill_left(left)
    name = signal.Signals(signum).name
    assert code == 128 + signum, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f"stability-report: stopped by {name}"), run.stderr
    assert "nothing was published" in last and last.endswith(UNCHANGED), run.stderr
    assert "Traceback" not in run.stderr and "Task exception" not in run.stderr
    assert "error:" not in run.stderr
    deadline = time.monotonic() + 120  # a hang detector, not a measure of speed
    while any(rs.alive(p) for p in left) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in left if rs.alive(p)], "the kernel outlived the stopped run"
    assert_nothing_lost(out, before)
    assert not rs.staging_left(out)


def test_a_signal_while_printing_stops_chromium_too(previous, tmp_path):
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    pids = tmp_path / "pids"
    run = rs.Streamed(
        [
            "run",
            "--output",
            str(out),
            "--notebooks",
            str(previous.notebooks),
            "--as-of",
            rs.AS_OF,
            "-p",
            "horizon_months",
            "24",
            "--chromium",
            str(rs.fake_chromium(tmp_path)),
        ],
        FAKE_CHROMIUM_MODE="hang-print",
        FAKE_CHROMIUM_PIDS=str(pids),
    )
    try:
        run.wait_for("printing report.pdf", timeout=600)
        time.sleep(1)
        os.kill(run.proc.pid, signal.SIGTERM)
        code = run.finish()
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.finish()
    assert code == 128 + signal.SIGTERM, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("stability-report: stopped by SIGTERM")
    assert "nothing was published" in last and last.endswith("the published report is unchanged")
    assert "Traceback" not in run.stderr
    assert rs.pids_alive(pids) == []
    assert_nothing_lost(out, before)


def test_a_kernel_start_up_beyond_the_timeout_is_named_not_a_traceback(previous, tmp_path):
    """The kernel loads the packages and the fact base before the first notebook; a fact base
    of 100,000 rows a table with --timeout 1 does not load in time: the step is named."""
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    facts = rs.scaled_facts(tmp_path / "facts", 100_000)
    r = render(out, previous.notebooks, "--facts", str(facts), "--timeout", "1", "--no-pdf")
    assert r.returncode == 1, r.stderr
    # the step that failed, what it was doing, the limit and the option that sets it
    (line,) = [ln for ln in r.stderr.splitlines() if "error: starting the kernel failed" in ln]
    assert "fact base" in line and "within 1 s" in line and "(--timeout)" in line
    assert UNCHANGED in r.stderr
    assert "Traceback" not in r.stderr and "unexpected" not in r.stderr
    assert_nothing_lost(out, before)
