"""Reports: a student's progress, the organiser's cohort report and drill-down, and quiz
item statistics, as pages, CSV exports (`?format=csv`) and `camp report cohort NAME --csv`
(and `camp report gain NAME --csv`, the learning gain's page being camp.gain's).

queries.py holds the shared SQL aggregates; progress.py, cohort.py, details.py and stats.py
one report each (a fixed number of queries whatever the number of students or attempts);
export.py writes CSV, charts.py draws SVG, views.py and cli.py are the entry points;
overdue.py submits the overdue attempts a report is about to count.
gain.py computes a cohort's pre/post learning gain from scores it is given (pure code,
NumPy; gain_bootstrap.py its intervals), and gain_chart.py draws it.
"""
