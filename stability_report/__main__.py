"""`python -m stability_report COMMAND [options]`: see stability_report.cli."""

from .cli import main

raise SystemExit(main())
