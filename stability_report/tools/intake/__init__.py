"""Adding an article to the fact base: the intake commands (sources add, extract, accept, facts
check), registering a source, accepting reviewed candidates with safe writes and the next ids,
the review checks, and the extraction assistant that proposes candidate facts.
"""
