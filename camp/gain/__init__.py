"""Did the camp work: a cohort's pre-test and post-test, the learning gain between them,
and what the pre-test may show before the post-test closes.

report.py turns the cohort's counted scores (cohort_scores.py, scores.py) into the gain
report of camp.reports.gain; views.py shows it with the pairing forms, export.py writes its
CSV, wording.py says its codes in words.
"""
