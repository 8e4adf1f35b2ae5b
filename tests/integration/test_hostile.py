"""Hostile and bad input: markup and script in the facts' text, parameters that are malformed,
mistyped, out of range or written as code, analysis dates outside the facts, and fact files that
are empty, carry a byte-order mark and Windows line endings, or are not UTF-8.

Already covered elsewhere and not repeated here: the loader's verdict on header-only, non-UTF-8
and BOM/CRLF files (test_facts), parameter parsing (test_params), a few bad parameters on the
command line (test_cli), and the render's refusal of markup that would run (test_render).

The report is rendered for real (notebooks/) where what it shows matters: the hostile fact base
and the two extreme analysis dates, once each per module. The refusals and the BOM/CRLF case
run the small fixture notebooks, which read the fact base through the same loader.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pipeline_support as support
import pytest
import robustness_support as rs

from stability_report import config
from stability_report.present.markdown import md
from stability_report.render import html as build_html
from stability_report.render import page as build_page
from stability_report.render import pagesetup

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MDLINK = "[click](http://evil.example)"
ANCHOR = '<a href="http://evil.example">click</a>'
# A sentence added to a copy of article S001, so that quotes containing it are verbatim.
SENTENCE = (
    f"Stability AI had less than $4 million {SCRIPT} in bank deposits {IMG} as of "
    f"October 2023 {MDLINK}"
)
S001_FILE = "001_d355905f12033a8c.txt"
# Words far wider than any table column (and than the page), in two of the report's tables.
LONG_WORD = "Lightspeed" + "X" * 240
LONG_NOTE = "Z" * 300


# ---------------------------------------------------------------------------------------------
# helpers


def copy_fact_base(dst: Path) -> tuple[Path, Path]:
    facts, raw = dst / "facts", dst / "raw"
    shutil.copytree(config.FACTS, facts)
    shutil.copytree(config.RAW, raw)
    for p in raw.iterdir():
        p.chmod(0o644)  # the articles are read-only in the repository
    return facts, raw


def edit_row(path: Path, key: str, value: str, **changes: str) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    hit = [r for r in rows if r[key] == value]
    assert len(hit) == 1, (path.name, value)
    assert set(changes) <= set(hit[0]), changes
    hit[0].update(changes)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def build_hostile_base(dst: Path) -> tuple[Path, Path]:
    """The real fact base with markup, script and a Markdown link in quotes and text fields.
    The quotes stay verbatim: the sentence is added to a copy of the article and the copy's
    sha256 recorded in sources.csv, so the loader accepts the base as it would a real one."""
    facts, raw = copy_fact_base(dst)
    article = raw / S001_FILE
    old = hashlib.sha256(article.read_bytes()).hexdigest()
    article.write_bytes(article.read_bytes() + f"\n{SENTENCE} and {ANCHOR}.\n".encode())
    new = hashlib.sha256(article.read_bytes()).hexdigest()
    sources = (facts / "sources.csv").read_text(encoding="utf-8")
    assert sources.count(old) == 1
    (facts / "sources.csv").write_text(sources.replace(old, new), encoding="utf-8")
    edit_row(
        facts / "money.csv",
        "fact_id",
        "M014",
        quote=SENTENCE,
        inference_note=f"note {SCRIPT} {MDLINK} {ANCHOR}",
    )
    # a counterparty shown in a table (the convertible instruments), with a word too long for it
    edit_row(
        facts / "money.csv",
        "fact_id",
        "M029",
        counterparty=f"Sound {SCRIPT}; Ventures {IMG}; {LONG_WORD}",
    )
    edit_row(facts / "money.csv", "fact_id", "M016", quote=SENTENCE)  # shown in a table
    edit_row(facts / "money.csv", "fact_id", "M001", inference_note=LONG_NOTE)  # its evidence
    edit_row(facts / "events.csv", "fact_id", "E062", quote=SENTENCE)
    edit_row(
        facts / "conflicts.csv", "conflict_id", "C028", quote_b=SENTENCE, reading_b=f"memo {IMG}"
    )
    # Names reach the prose (Markdown), the tables and the charts' labels.
    edit_row(facts / "persons.csv", "person_id", "P002", canonical_name=f"Robin Rombach {MDLINK}")
    edit_row(facts / "persons.csv", "person_id", "P003", canonical_name=f"Andreas {SCRIPT}")
    edit_row(facts / "persons.csv", "person_id", "P014", canonical_name=f"Ozden {IMG} Onder")
    return facts, raw


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text a reader sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def flat(text: str) -> str:
    return " ".join(text.split())


def render_real(
    name: str, *extra: str, facts: Path | None = None, raw: Path | None = None
) -> support.Rendered:
    output = support.tmpdir(name) / "report"
    args = ["run", "--output", str(output), "--figures-dir", str(output.parent / "figures"), *extra]
    if facts is not None:
        args += ["--facts", str(facts), "--raw", str(raw)]
    result = support.run_cli(*args, timeout=600)
    return support.Rendered(output, config.NOTEBOOKS, result)


# ---------------------------------------------------------------------------------------------
# markup and script in the facts


@pytest.fixture(scope="module")
def hostile() -> support.Rendered:
    base = support.tmpdir("hostile-base")
    facts, raw = build_hostile_base(base)
    done = render_real("hostile", "--as-of", support.AS_OF, facts=facts, raw=raw)
    assert done.result.returncode == 0, done.result.stderr[-5000:]
    return done


def test_hostile_fact_text_renders_as_escaped_text_in_the_html(hostile):
    html = hostile.html
    assert "<script" not in html.lower()
    assert build_page.check_html(html) == []
    page = parse(html)
    for tag, attrs in page.tags:
        handlers = [k for k in attrs if k.lower().startswith("on")]
        assert not handlers, (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:"), attrs
        # a citation's preview holds its quote as text, which the stylesheet shows as text
        # (CSS content: attr(), never markup): the only attribute where the hostile text may be
        shown = {k: v for k, v in attrs.items() if k != "data-preview"}
        assert "evil.example" not in " ".join(v or "" for v in shown.values()), (tag, attrs)
        if "data-preview" in attrs:
            assert tag == "a" and "id-ref" in (attrs.get("class") or "").split(), (tag, attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    text = flat("".join(page.text))
    for literal in (
        SCRIPT,
        IMG,
        MDLINK,
        ANCHOR,
        flat(SENTENCE),
        f"Sound {SCRIPT}; Ventures {IMG}",  # a money fact's counterparty
        f"Ozden {IMG} Onder",  # a person's name, in the tables
        f"note {SCRIPT} {MDLINK} {ANCHOR}",
    ):  # a money fact's note (its evidence)
        assert literal in text, literal
    # names in the prose go through Markdown: still plain text, not a link or markup
    assert f"Andreas {SCRIPT}, Dominik Lorenz and Robin Rombach {MDLINK} leave" in text


def test_hostile_fact_text_reads_literally_in_the_pdf(hostile):
    out = subprocess.run(
        ["pdftotext", str(hostile.output / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    squeezed = "".join(out.split())
    for literal in (
        SCRIPT,
        IMG,
        MDLINK,
        f"Sound {SCRIPT}; Ventures {IMG}",
        f"Ozden {IMG} Onder",
        f"Robin Rombach {MDLINK}",
    ):
        assert "".join(literal.split()) in squeezed, literal
    from pypdf import PdfReader

    for page in PdfReader(hostile.output / "report.pdf").pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            assert "evil.example" not in str(action.get("/URI", "")), action


def test_long_unbroken_words_wrap_in_the_pdf_and_nothing_runs_off_the_page(hostile):
    """Each table holding one stays within the page's margins, and every character of the
    words is printed (none cut off at the page's edge)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(hostile.output / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = flat("".join(parse(hostile.html).text))
    printed = {"X": 0, "Z": 0}
    right_margin = pagesetup.inches(pagesetup.PDF_MARGINS["right"]) * 72  # points
    for page in out.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" '
            r'yMax="[\d.]+">([^<]*)</word>',
            page,
        ):
            assert float(x_max) <= width - right_margin + 3, (word[:40], x_max, width)
            for ch in printed:
                if ch * 2 in word:  # a piece of one of the long words
                    printed[ch] += word.count(ch)
    # (at least: a piece of one character, or an X elsewhere, is not told apart)
    assert printed["X"] >= 240 * text.count(LONG_WORD) > 0
    assert printed["Z"] >= 300 * text.count(LONG_NOTE) > 0


def test_hostile_names_in_chart_labels_are_inert(hostile):
    figures = hostile.output.parent / "figures"
    svgs = sorted(figures.glob("*.svg"))
    assert svgs
    seen = False
    for svg in svgs:
        data = svg.read_text(encoding="utf-8")
        # (an axis label may be wrapped onto two lines: the hostile part is on the first)
        seen |= "Ozden &lt;img src=x onerror=alert(1)&gt;" in " ".join(data.split())
        for el in ET.fromstring(data).iter():
            assert not el.tag.endswith("script"), svg.name
            assert not [k for k in el.attrib if k.lower().startswith("on")], svg.name
    assert seen, "the hostile name is in no chart: the test no longer tests the charts"


def test_a_web_address_in_data_text_does_not_become_a_link():
    """The Markdown renderer links a bare http:// address; data text must stay text."""
    import nbformat

    for value in (
        f"Robin Rombach {MDLINK}",
        "see https://evil.example/x?a=1 now",
        "<http://evil.example>",
    ):
        nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}})
        cell = nbformat.v4.new_code_cell("show(...)")
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", {"text/markdown": md("Name: {x}.", x=value), "text/plain": ""}
            )
        ]
        nb.cells = [nbformat.v4.new_markdown_cell("# T"), cell]
        info = {
            "run_id": "r",
            "as_of": "2024-06-04",
            "params": {"as_of": "2024-06-04"},
            "options": {},
            "inputs_hash": "0" * 64,
            "git_commit": "u",
            "facts_digest": "1",
            "versions": {},
            "notebooks": [],
        }
        html = build_html.render_report([("01-t", nb)], info, False, Path(".")).html
        assert "evil.example" not in " ".join(
            v or "" for _, attrs in parse(html).tags for v in attrs.values()
        ), value
        assert f"Name: {value}." in flat("".join(parse(html).text)), value


# ---------------------------------------------------------------------------------------------
# parameters


CODE = [
    "__import__('os').system('touch {marker}')",
    "{{{{7*7}}}}",
    "$(touch {marker})",
    "`touch {marker}`",
    "'); __import__('os').system('touch {marker}'); ('",
]
CODE_TARGETS = [
    "as_of",
    "burn_basis",
    "extra_funding_date",
    "custom_monthly_burn_usd",
    "horizon_months",
]

# (-p arguments or --as-of, words the message must contain)
CLI_CASES = [
    # malformed or unknown
    (["-p", "burn", "feb2024"], "unknown parameter(s) 'burn'"),
    (["-p", "__import__('os').system('touch {marker}')", "1"], "unknown parameter"),
    (["-p", "as_of;import os", "2024-06-04"], "unknown parameter"),
    # wrong type
    (["-p", "horizon_months", "twelve"], "horizon_months: expected a whole number"),
    (["-p", "horizon_months", "12.5"], "horizon_months: expected a whole number"),
    (["-p", "revenue_growth", "5%"], "revenue_growth: expected a number"),
    (["-p", "pay_unpaid_bills", "maybe"], "pay_unpaid_bills: expected true or false"),
    (["-p", "extra_funding_date", "next spring"], "extra_funding_date: expected"),
    # out of range
    (["-p", "revenue_growth", "1.5"], "revenue_growth: expected a number from -0.5 to 1.0"),
    (["-p", "revenue_growth", "nan"], "revenue_growth: expected"),
    (["-p", "extra_funding_usd", "inf"], "extra_funding_usd: expected"),
    (["-p", "horizon_months", "61"], "horizon_months: expected a whole number from 3 to 60"),
    (["-p", "custom_monthly_burn_usd", "-1"], "custom_monthly_burn_usd: expected"),
    (["-p", "extra_funding_usd", "1e12"], "extra_funding_usd: expected"),
    (["-p", "extra_funding_usd", "5e6"], "extra_funding_date: expected an ISO date"),
    # unparseable or out-of-range analysis dates
    *[
        (["--as-of", v], "as_of: expected an ISO date YYYY-MM-DD from 2020-01-01 to 2100-12-31")
        for v in (
            "tomorrow",
            "2024/06/04",
            "20240604",
            "2024-6-4",
            "",
            "2024-06-04T00:00",
            "2024-02-30",
            "1999-12-31",
            "2101-01-01",
            "2024-W23-2",
            "2024-W23",
        )
    ],
    # extra funding that no projection would count as extra
    *[
        (
            ["-p", "extra_funding_usd", "5e6", "-p", "extra_funding_date", v],
            "extra_funding_date: expected an ISO date YYYY-MM-DD from 2023-11-01",
        )
        for v in ("2020-01-01", "2023-10-31", "2025-05-01")
    ],
    *[(["-p", name, code], f"{name}: expected") for name in CODE_TARGETS for code in CODE],
]

# (--params-file content, words the message must contain)
FILE_CASES = [
    (b"{not json", "cannot read parameters as JSON"),
    (b"", "cannot read parameters as JSON"),
    (b"\xff\xfe{\x00}\x00", "cannot read parameters as JSON"),  # UTF-16, not UTF-8
    (b"[" * 100_000 + b"]" * 100_000, "cannot read parameters as JSON"),  # nested too deep
    (b'{"horizon_months": ' + b"9" * 5000 + b"}", "cannot read parameters as JSON"),
    (b"[1, 2]", "expected a JSON object of name: value"),
    (b'"2024-06-04"', "expected a JSON object of name: value"),
    (b"null", "expected a JSON object of name: value"),
    (b'{"burn": 1}', "unknown parameter(s) 'burn'"),
    (b"{\"__import__('os').system('touch {marker}')\": 1}", "unknown parameter"),
    (b'{"horizon_months": [12]}', "horizon_months: expected a whole number"),
    (b'{"horizon_months": "twelve"}', "horizon_months: expected a whole number"),
    (b'{"pay_unpaid_bills": "maybe"}', "pay_unpaid_bills: expected true or false"),
    (b'{"revenue_growth": {"value": 0.1}}', "revenue_growth: expected"),
    (b'{"as_of": 20240604}', "as_of: expected an ISO date"),
    (b'{"burn_basis": null}', "burn_basis: expected one of"),
    (b'{"extra_funding_usd": true}', "extra_funding_usd: expected"),
    (b'{"horizon_months": 1000}', "horizon_months: expected a whole number from 3 to 60"),
    (b'{"revenue_growth": NaN}', "revenue_growth: expected"),
    (b'{"revenue_growth": 1e999}', "revenue_growth: expected"),
    (b'{"as_of": "1999-12-31"}', "as_of: expected an ISO date"),
    (b'{"burn_basis": "custom"}', "custom_monthly_burn_usd: expected a number above 0"),
    *[
        (json.dumps({name: code.format(marker="{marker}")}).encode(), f"{name}: expected")
        for name in CODE_TARGETS
        for code in CODE
    ],
]


def _check_refused(code: int, err: str, needle: str, out: Path, marker: Path) -> None:
    assert code == 2, err
    assert "error: bad parameter: " in err
    assert needle in err, err
    assert "starting the kernel" not in err and "rendering run" not in err
    assert "Traceback" not in err and "unexpected" not in err
    assert not out.exists()  # not even the output directory, let alone a staging directory
    assert not marker.exists()  # nothing was ever run


def _in_process(argv: list[str], capsys) -> tuple[int, str]:
    """The command line in this process (the whole matrix in a second, not a minute)."""
    from stability_report import cli

    capsys.readouterr()
    code = cli.run(cli.build_parser().parse_args(["run", *argv]))
    return code, capsys.readouterr().err


def _id(text: str) -> str:
    return text.replace("{marker}", "MARKER").replace("{{{{", "{{").replace("}}}}", "}}")[:60]


@pytest.mark.parametrize("args, needle", CLI_CASES, ids=[_id(" ".join(c[0])) for c in CLI_CASES])
def test_bad_parameter_on_the_command_line_is_refused_before_anything_runs(
    tmp_path, capsys, args, needle
):
    marker = tmp_path / "MARKER"
    args = [a.format(marker=marker) for a in args]
    out = tmp_path / "report"
    code, err = _in_process(["--output", str(out), *args], capsys)
    _check_refused(code, err, needle, out, marker)
    if "7*7" in " ".join(args):
        assert "'{{7*7}}'" in err  # shown back as the text it is


def _file_id(content: bytes) -> str:
    return (
        _id(content[:40].decode("utf-8", "replace"))
        if len(content) < 1000
        else f"{content[:3].decode()}... ({len(content)} bytes)"
    )


@pytest.mark.parametrize("content, needle", FILE_CASES, ids=[_file_id(c[0]) for c in FILE_CASES])
def test_bad_parameters_file_is_refused_before_anything_runs(tmp_path, capsys, content, needle):
    marker = tmp_path / "MARKER"
    f = tmp_path / "scenario.json"
    f.write_bytes(content.replace(b"{marker}", str(marker).encode()))
    out = tmp_path / "report"
    code, err = _in_process(["--output", str(out), "--params-file", str(f)], capsys)
    _check_refused(code, err, needle, out, marker)
    if "cannot read" in needle or "JSON object" in needle:
        assert str(f) in err  # names the file


@pytest.mark.parametrize("route", ["-p", "--params-file"])
def test_parameters_crafted_as_code_are_refused_by_the_real_command(tmp_path, route):
    """The same, end to end in a process of its own, for a few of the cases above."""
    marker = tmp_path / "MARKER"
    cases = [
        ("as_of", f"__import__('os').system('touch {marker}')"),
        ("burn_basis", "{{7*7}}"),
        ("extra_funding_date", f"$(touch {marker})"),
        ("horizon_months", "1000"),
        ("no_such_parameter", "1"),
    ]
    for name, value in cases:
        out = tmp_path / "report"
        if route == "-p":
            args = ["-p", name, value]
        else:
            f = tmp_path / "scenario.json"
            f.write_text(json.dumps({name: value}), encoding="utf-8")
            args = ["--params-file", str(f)]
        r = support.run_cli("run", "--output", str(out), *args, timeout=60)
        needle = "unknown parameter" if name == "no_such_parameter" else f"{name}: expected"
        _check_refused(r.returncode, r.stderr, needle, out, marker)


def test_bad_parameter_leaves_an_existing_report_alone(tmp_path):
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    f = tmp_path / "p.json"
    f.write_text('{"horizon_months": "$(touch x)"}', encoding="utf-8")
    for args in (["-p", "burn_basis", "{{7*7}}"], ["--params-file", str(f)]):
        r = support.run_cli("run", "--output", str(out), "--force", *args, timeout=60)
        assert r.returncode == 2, r.stderr
    assert rs.snapshot(out) == before
    assert not (out / ".lock").exists() and not rs.staging_left(out)


# ---------------------------------------------------------------------------------------------
# analysis dates outside the facts


@pytest.fixture(scope="module")
def before_the_facts() -> support.Rendered:
    done = render_real("early", "--as-of", "2023-06-30", "--no-pdf")
    assert done.result.returncode == 0, done.result.stderr[-5000:]
    return done


@pytest.fixture(scope="module")
def far_future() -> support.Rendered:
    done = render_real("late", "--as-of", "2030-01-01", "--no-pdf")
    assert done.result.returncode == 0, done.result.stderr[-5000:]
    return done


def test_as_of_before_the_first_fact_renders_and_says_nothing_is_available(before_the_facts):
    html = before_the_facts.html
    text = flat("".join(parse(html).text))
    assert "As of 30 June 2023" in text
    assert "No fact is available as of 30 June 2023." in text
    assert text.count("Not available as of 30 June 2023") >= 5  # each section says so
    titles = [h[2] for h in build_page.headings(html) if h[0] == 1]
    for title in support.notebook_titles(config.NOTEBOOKS):
        assert title in titles  # every chapter is there, if mostly empty
    assert build_page.check_html(html) == []


_TICK_YEAR = re.compile(r"<!-- (?:[A-Z][a-z]{2} )?((?:19|20)\d\d) -->")


def test_as_of_far_in_the_future_renders_without_stretching_the_time_axes(far_future):
    text = flat("".join(parse(far_future.html).text))
    assert "As of 1 January 2030" in text
    assert "The facts are more than a year old on the analysis date" in text
    figures = far_future.output.parent / "figures"
    years = {}
    for svg in sorted(figures.glob("*.svg")):
        found = [int(y) for y in _TICK_YEAR.findall(svg.read_text(encoding="utf-8"))]
        if found:
            years[svg.name] = max(found)
    assert "overview-timeline.svg" in years and "attrition-timeline.svg" in years
    # the sources end in 2024: no axis runs on to the analysis date
    assert all(y <= 2025 for y in years.values()), years


# ---------------------------------------------------------------------------------------------
# fact files: empty, BOM and CRLF, not UTF-8


def _fixture_run(out: Path, facts: Path, *extra: str):
    return support.run_cli(
        "run",
        "--output",
        str(out),
        "--notebooks",
        str(support.FIXTURE_NOTEBOOKS),
        "--as-of",
        support.AS_OF,
        "--facts",
        str(facts),
        "--raw",
        str(config.RAW),
        "--no-pdf",
        *extra,
        timeout=300,
    )


def _refused(tmp_path: Path, table: str, content: bytes, words: str) -> None:
    facts, _ = copy_fact_base(tmp_path / "base")
    (facts / table).write_bytes(content)
    out = rs.copy_previous(tmp_path / "report")
    before = rs.snapshot(out)
    r = _fixture_run(out, facts)
    assert r.returncode in (1, 2), r.stderr
    assert "invalid fact base" in r.stderr
    assert f"{facts / table}: expected {words}" in r.stderr  # names the file
    assert "the published report is unchanged" in r.stderr
    assert rs.snapshot(out) == before and not rs.staging_left(out)


def test_empty_facts_table_is_refused_naming_the_file(tmp_path):
    header = (config.FACTS / "money.csv").read_bytes().split(b"\n")[0] + b"\n"
    _refused(tmp_path, "money.csv", header, "at least one data row; got 'only a header'")


def test_facts_file_not_in_utf8_is_refused_naming_the_file(tmp_path):
    text = (config.FACTS / "persons.csv").read_text(encoding="utf-8")
    data = text.encode("cp1252")
    assert data != text.encode("utf-8")  # it has characters outside ASCII
    _refused(tmp_path, "persons.csv", data, "UTF-8 text (undecodable byte at line")


def _main_text(html: str) -> str:
    """The chapters and the evidence appendix (the note on how the report was made, which
    names the run and the fact base's directory, and the run information left out)."""
    main = html[html.index('id="report-main"') : html.index('id="report-how-made"')]
    return flat("".join(parse("<div " + main).text))


def test_facts_with_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path):
    facts, _ = copy_fact_base(tmp_path / "base")
    for path in facts.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    out = tmp_path / "report"
    r = _fixture_run(out, facts)
    assert r.returncode == 0, r.stderr
    # the same report as from the plain files: no value carries a stray BOM or carriage return
    assert _main_text((out / "report.html").read_text(encoding="utf-8")) == _main_text(
        rs.previous().html
    )
