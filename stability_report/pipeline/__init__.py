"""The run: one execution of the report, as stages. `run` orchestrates them: the inputs and their
hash (inputs), the output tree as a run sees it (output; unchanged compares a fresh clone's run
with the committed report), the notebooks executed in one kernel (kernel, inkernel, engine and
translator for papermill; notebooks cleans what they leave), the results of the previous run for
the "What changed" section (results), then the page rendered and printed (stability_report.render)
and published (stability_report.publish). progress and signals are the run's own plumbing.
"""
