"""Presentation: the chapters' prose, tables and the display API the notebooks call. Importing it
gives the names a notebook needs to show the analysis:

    from stability_report.present import MissingFact, cite, needs_facts, show, show_table

`show(template, **values)` displays Markdown filled with Cited values (present.markdown),
`show_table` and `show_details` a table for reading (present.tables), `save_csv` a CSV attachment
(present.attachments), and `with needs_facts(P.as_of):` replaces a section whose facts are not
available as of the analysis date by one sentence saying so. Each chapter's sentences are in
one place: present.overview (1), present.money (2: a package, one module per section),
present.people (3), present.quality (4); present.story is the machinery of their statements and
present.phrases the phrases they share.
"""

from ..analysis.cited import cite
from ..errors import MissingFact
from .attachments import save_csv
from .markdown import md, needs_facts, show
from .tables import show_details, show_table

__all__ = [
    "MissingFact",
    "cite",
    "md",
    "needs_facts",
    "save_csv",
    "show",
    "show_details",
    "show_table",
]
