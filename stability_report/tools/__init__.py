"""The tools around the report, which the report's own code never imports: adding an article to
the fact base (intake), the report for every combination of some parameters (sweep), what
changed between two runs (compare), and JupyterLab on the notebooks (lab).
"""
