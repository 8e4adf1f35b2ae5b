"""CSV attachments: the tests that need a whole run (the report rendered, a kernel, a browser or the
command line in a subprocess); the others, and what they cover, are in
tests/unit/test_attachments.py.
"""

from __future__ import annotations

import pipeline_support as support

from stability_report import config


def test_run_writes_the_attachments_the_report_links_to():
    done = support.published()
    run = done.output / "latest"
    for name in ("conflicts.csv", "inference-log.csv"):
        csv = run / "attachments" / name
        assert csv.is_file(), name
        assert "\r" not in csv.read_bytes().decode("utf-8")
        assert f'href="attachments/{name}"' in done.html


def test_published_csv_appendices_match_the_fact_tables():
    """conflicts.csv is conflicts.csv of the fact base (as of the run's date: here all of it);
    inference-log.csv has one row per fact with an inference note, the note in full."""
    import pandas as pd

    run = support.published().output / "latest" / "attachments"
    conflicts = pd.read_csv(run / "conflicts.csv", dtype=str, keep_default_na=False)
    facts = pd.read_csv(config.FACTS / "conflicts.csv", dtype=str, keep_default_na=False)
    assert conflicts.equals(facts)
    log = pd.read_csv(run / "inference-log.csv", dtype=str, keep_default_na=False)
    notes = {}
    for table in ("personnel", "money", "events"):
        t = pd.read_csv(config.FACTS / f"{table}.csv", dtype=str, keep_default_na=False)
        notes.update({r.fact_id: r.inference_note for r in t.itertuples() if r.inference_note})
    assert dict(zip(log["fact_id"], log["inference_note"])) == notes
    assert log["kind"].ne("").all()
