"""CSV attachments: written reproducibly into the run's attachments/ directory only when the
pipeline runs the notebook, shown as a link on screen and as plain text in print.

The tests of the same that need a whole run are in tests/integration/test_attachments.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from stability_report import config
from stability_report.pipeline import inputs, kernel
from stability_report.present import attachments


def test_link_is_relative_to_the_report_and_plain_in_print():
    html = attachments.link_html("conflicts.csv", "The <conflict> register")
    soup = BeautifulSoup(html, "html.parser")
    (link,) = soup.find_all("a")
    assert link["href"] == "attachments/conflicts.csv" and link.has_attr("download")
    assert set(link["class"]) == {"attachment-link", "screen-only"}
    assert link.get_text() == "conflicts.csv"
    (plain,) = soup.find_all(class_="print-only")
    assert plain.name == "span" and "attachment-name" in plain["class"]
    assert plain.get_text() == "conflicts.csv"
    assert "The <conflict> register" in soup.get_text()  # the label is text, not markup
    assert not soup.find("conflict")


@pytest.mark.parametrize("name", ["../x.csv", "x.txt", "X.csv", "a/b.csv", ".x.csv", ""])
def test_names_are_plain_csv_file_names(name):
    with pytest.raises(ValueError, match="attachment name"):
        attachments.check_name(name)


def test_csv_bytes_are_fixed(tmp_path):
    df = pd.DataFrame({"b": ["é", "x,y", None], "a": [1.5, 2.0, float("nan")]})
    attachments.write_csv(df, tmp_path / "t.csv")
    data = (tmp_path / "t.csv").read_bytes()
    assert data == 'b,a\né,1.5\n"x,y",2.0\n,\n'.encode()
    attachments.write_csv(df, tmp_path / "u.csv")
    assert (tmp_path / "u.csv").read_bytes() == data
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_save_csv_writes_only_in_a_run(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    df = pd.DataFrame({"x": [1]})
    monkeypatch.delenv(config.ENV_ATTACHMENTS, raising=False)
    assert attachments.save_csv(df, "a.csv") is None
    assert not list(tmp_path.iterdir()) and "attachments/a.csv" in shown[-1].data
    monkeypatch.setenv(config.ENV_ATTACHMENTS, str(tmp_path / "attachments"))
    attachments.save_csv(df, "a.csv", "A")
    assert (tmp_path / "attachments" / "a.csv").read_text() == "x\n1\n"


def test_kernel_gets_the_run_s_attachments_directory(tmp_path):
    cfg = inputs.Config(params={"as_of": "2024-06-04"})
    env = kernel.kernel_env(cfg, tmp_path / "figures", tmp_path / "attachments")
    assert env[config.ENV_ATTACHMENTS] == str(tmp_path / "attachments")
