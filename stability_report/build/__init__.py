"""The build: from the command line to a published run (see each module's opening comment)."""
