"""The README's commands work as written on a fresh clone after the two set-up steps: every
command of its ```sh blocks is run, in the README's order, in a fresh clone (fresh_clone.py),
except `make test` (the whole suite: what CI runs). `make lab` runs until it prints its address
and answers there. What the README asks the reader to do by hand between two commands (review
the candidates in a spreadsheet) is done as the worked example does it (intake_support.review),
and the article the README registers from `~/articles/` is the fictitious one of the tests.

The README also writes each command one way: the project's programs as `.venv/bin/...` or
through `make`, never `python -m ...`.

The tests of the same that need a whole run are in tests/integration/test_readme.py.
"""

from __future__ import annotations

import re

import fresh_clone as fc

README = fc.ROOT / "README.md"


def commands(text: str) -> list[str]:
    """The commands of the README's ```sh blocks, in order: one per line (a line ending in a
    backslash continues on the next)."""
    found = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                found.append(command.strip())
    return found


def program(command: str) -> str:
    """The command without its trailing comment."""
    return command.split("  #", 1)[0].strip()


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 210
    assert commands(text), "the README shows commands"
    for link in re.findall(r"\]\(([^)#]+)", text):
        assert (fc.ROOT / link).exists(), f"the README links to {link}, which does not exist"
    assert re.search(r"!\[[^]]+\]\(docs/[^)]+\.png\)", text), "a picture of the report"


def test_each_command_is_written_one_way():
    text = README.read_text(encoding="utf-8")
    for command in commands(text):
        first = program(command).split()[0]
        assert first == "make" or first.startswith(".venv/bin/"), command
    assert "python -m stability_report" not in text and "python -m papermill" not in text


def test_the_documents_links_lead_somewhere():
    for doc in sorted((fc.ROOT / "docs").glob("*.md")):
        for link in re.findall(r"\]\(([^)#:]+)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / link).exists(), f"{doc.name} links to {link}"
