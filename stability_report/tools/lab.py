"""`make lab` (`python -m stability_report.tools.lab [JupyterLab options]`): JupyterLab on
notebooks/ with the project's kernel, as root (with --allow-root) or as a user, printing the address
to open once the server answers; and the hook that keeps `git status` clean after JupyterLab saves a
notebook.

JupyterLab saves a notebook with its outputs. git's notebook filter (.gitattributes, set up by
`make env`) stages it without them, so what would be committed does not change; but git compares
a file's size with the index's before it runs a filter, and a notebook saved with its outputs is
larger: `git status` would list it as modified although `git diff` shows nothing. After each
save, `refresh_git_index` (the server's post-save hook) asks git for the filtered notebook's blob
id, and when it is the one the index holds, `git add` records the file's new size and time (the
staged content stays the same blob). A notebook whose cells changed stays modified, as it is.
Nothing in the package imports this module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from .. import config

HOOK = "stability_report.tools.lab.refresh_git_index"


def refresh_git_index(model=None, os_path=None, contents_manager=None, **kw) -> None:
    """JupyterLab's post-save hook: the index learns the saved notebook's size and time when
    its filtered content is the committed one (in a thread: a save does not wait for git)."""
    if os_path and str(os_path).endswith(".ipynb"):
        threading.Thread(target=refresh, args=(Path(os_path),), daemon=True).start()


def _git(cwd: Path, *args: str) -> str | None:
    try:
        r = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def refresh(path: Path) -> bool:
    """Record `path`'s size and time in git's index when its content, through git's filters,
    is the blob the index holds; True when it did. A notebook changed meanwhile is left as
    git sees it."""
    folder = path.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return False
    rel = os.path.relpath(path.resolve(), Path(top).resolve())
    staged = _git(folder, "rev-parse", "--verify", "--quiet", f":{rel}")
    try:
        before = path.stat()
    except OSError:
        return False
    if staged is None or _git(Path(top), "hash-object", "--path", rel, rel) != staged:
        return False
    if _git(Path(top), "add", "--", rel) is None:
        return False
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        # saved again while git looked: put back what the index held (its content, unchanged)
        if _git(folder, "rev-parse", "--verify", "--quiet", f":{rel}") != staged:
            _git(Path(top), "update-index", "--cacheinfo", f"100644,{staged},{rel}")
        return False
    return True


def _address(info: dict) -> str:
    url = str(info.get("url") or f"http://localhost:{info.get('port')}/")
    token = info.get("token")
    return f"{url.rstrip('/')}/lab" + (f"?token={token}" if token else "")


def main(argv: list[str] | None = None) -> int:
    """Start JupyterLab with the options given after the project's own, print where to open it
    once it answers, and wait for it to stop (its exit code)."""
    from jupyter_core.paths import jupyter_runtime_dir

    args = list(sys.argv[1:] if argv is None else argv)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={config.NOTEBOOKS}",
        f"--FileContentsManager.post_save_hook={HOOK}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        cmd.append("--allow-root")  # the set-up assumes root or sudo; JupyterLab refuses root
    proc = subprocess.Popen([*cmd, *args])
    info_file = Path(jupyter_runtime_dir()) / f"jpserver-{proc.pid}.json"
    try:
        while proc.poll() is None:
            try:
                info = json.loads(info_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                time.sleep(0.2)
                continue
            print(
                f"\nJupyterLab is running on notebooks/: open {_address(info)}\n"
                "(Ctrl+C twice stops it)\n",
                flush=True,
            )
            break
        return proc.wait()
    except KeyboardInterrupt:  # JupyterLab has the signal too, and shuts down
        try:
            return proc.wait(timeout=30)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            proc.terminate()
            return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
