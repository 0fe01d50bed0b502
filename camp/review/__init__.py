"""Spaced review: after (and during) the camp, each student answers again the questions of
their own quiz history, one at a time, when the FSRS scheduler (the `fsrs` package) says
they are about to forget them. Practice only: never part of a grade, never a score shown to
organisers (they see how many students review and the share of due reviews answered right).
"""
