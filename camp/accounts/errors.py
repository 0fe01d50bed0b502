"""Domain errors raised by account services; views turn them into form messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # type: ignore[import-untyped]


class AccountError(Exception):
    """A request about accounts or cohorts cannot be carried out; str() says why."""


class DuplicateEmail(AccountError):
    pass


class WeakPassword(AccountError):
    pass


class UnknownJoinCode(AccountError):
    pass


class JoinRefused(AccountError):
    """The email has an account and the password given is not its own; str() says so
    without saying that the account exists."""

    def __init__(self) -> None:
        super().__init__(
            _l(
                "We could not add you with this email and password. If you have a Camp account, "
                "type its password here to join with it; otherwise check the email address."
            )
        )


class UnknownCohort(AccountError):
    pass


class DuplicateCohort(AccountError):
    pass


class InvalidRosterLine(AccountError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(_l("line %(line)s: %(message)s", line=line, message=message))
        self.line = line
        self.message = message
