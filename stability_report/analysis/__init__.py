"""The analysis: pure computations on the validated facts (runway, fundraising, sensitivity,
attrition, data quality, the key numbers), each returning values that carry the ids of the facts
they come from (analysis.cited). No drawing, no HTML.
"""
