"""The bank's one error: an operation that cannot be done, said in words a teacher
understands. Its own module so that the bank's services and what they call (the question
files) can both raise it."""

from __future__ import annotations


class BankError(Exception):
    """A bank operation cannot be done; str() says why in words a teacher understands."""
