"""`python -m stability_report COMMAND [options]`: see stability_report.build.cli."""

from .build.cli import main

raise SystemExit(main())
