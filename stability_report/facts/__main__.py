"""`python -m stability_report.facts [--dictionary]`: validate the fact base, or print the data
dictionary (see stability_report.facts.load.main)."""

from .load import main

raise SystemExit(main())
