"""`python -m stability_report run [options]`: see stability_report.cli."""

from .cli import main

raise SystemExit(main())
