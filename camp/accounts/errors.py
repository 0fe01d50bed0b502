"""Domain errors raised by account services; views turn them into form messages."""


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


class UnknownCohort(AccountError):
    pass


class DuplicateCohort(AccountError):
    pass


class InvalidRosterLine(AccountError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message
