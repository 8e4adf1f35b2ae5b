"""A fresh clone of this checkout for the tests of a newcomer's first hour: the files git would
commit here (tracked and new, as they are in the working tree) committed into a new repository,
so that it holds what a clone holds and nothing else (no report/runs/, no scratch/, no checked
record), after the two set-up steps: a `.venv` and git's notebook filter (`make git-filter`).

The clone's `.venv` is made in seconds rather than by pip: a venv of its own whose site-packages
reads this checkout's installed packages (not its editable install of the package: the clone's
own `stability_report` is first on the path), with the same console scripts (`stability-report`,
`papermill`, `jupyter`) and the project's kernel installed into it as `make env` installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def env(**extra: str) -> dict[str, str]:
    """The environment a newcomer's shell has: none of the project's variables set."""
    out = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("STABILITY_REPORT_", "PYTEST_", "VIRTUAL_ENV", "JUPYTER_"))
        and k not in ("PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    return {**out, **GIT_ENV, **extra}


def git(clone: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run(
        ["git", *args], cwd=clone, env=env(), capture_output=True, text=True, timeout=300
    )
    if check and r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {r.stderr}")
    return r


def status(clone: Path) -> str:
    return git(clone, "status", "--porcelain", "--untracked-files=all").stdout


def tracked_files() -> list[str]:
    r = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return sorted({n for n in r.stdout.decode().split("\0") if n})


def make_clone(dst: Path) -> Path:
    """The clone in `dst`, committed, its venv and notebook filter set up; `git status` clean."""
    dst.mkdir(parents=True)
    for name in tracked_files():
        src = ROOT / name
        if not os.path.lexists(src):
            continue  # deleted here, not yet committed
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), target)
        else:
            shutil.copy2(src, target)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "the clone")
    make_venv(dst)
    r = subprocess.run(
        ["make", "--no-print-directory", "git-filter"],
        cwd=dst,
        env=env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    return dst


def make_venv(clone: Path) -> None:
    venv = clone / ".venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    purelib = Path(sysconfig.get_paths()["purelib"])
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = venv / "lib" / version / "site-packages"
    (site / "project.pth").write_text(f"{clone}\n{purelib}\n", encoding="utf-8")
    # nbconvert's templates, JupyterLab's files and the server's configuration (not the kernels)
    prefix = Path(sys.prefix)
    for shared in ("share/jupyter", "etc/jupyter"):
        if (prefix / shared).is_dir():
            (venv / shared).mkdir(parents=True, exist_ok=True)
            for entry in (prefix / shared).iterdir():
                if entry.name != "kernels":
                    os.symlink(entry, venv / shared / entry.name)
    here = Path(sys.executable).parent
    for script in here.iterdir():
        if script.name.startswith(("python", "activate", "Activate")) or not script.is_file():
            continue
        head = script.read_bytes()[:200]
        if not head.startswith(b"#!") or b"python" not in head.split(b"\n", 1)[0]:
            continue
        text = script.read_text(encoding="utf-8")
        first, rest = text.split("\n", 1)
        (venv / "bin" / script.name).write_text(f"#!{venv}/bin/python\n{rest}", encoding="utf-8")
        (venv / "bin" / script.name).chmod(0o755)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            "python3",
            "--display-name",
            "Python 3 (stability-report)",
        ],
        check=True,
        capture_output=True,
        env=env(),
        timeout=120,
    )
    (venv / ".installed").touch()  # what `make env` leaves: make sees the venv up to date


def saved_by_jupyterlab(path: Path) -> None:
    """Rewrite the notebook at `path` as JupyterLab saves it after running every cell: outputs,
    execution counts, timings, the kernel's language_info and the widget state (nothing of its
    cells' sources, ids or tags changes)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            cell.execution_count = i
            cell.outputs = [
                nbformat.v4.new_output("display_data", data={"text/plain": "x" * 200}),
                nbformat.v4.new_output("stream", name="stdout", text="y\n"),
            ]
            cell.metadata["execution"] = {"iopub.status.busy": "2024-06-04T00:00:00Z"}
            cell.metadata["trusted"] = True
    nb.metadata.setdefault("language_info", {}).update(
        {"version": "3.11.7", "mimetype": "text/x-python", "pygments_lexer": "ipython3"}
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(nb, path)
