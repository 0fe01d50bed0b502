"""Domain errors of live sessions; views turn them into messages or status codes.

Each carries a default message, lazy (`_l`): str() gives it in the language of the request
that shows it. A caller may pass a more precise one.
"""

from __future__ import annotations

from flask_babel import LazyString  # type: ignore[import-untyped]
from flask_babel import lazy_gettext as _l


class LiveError(Exception):
    """A live-session action cannot be done; str() says why, in words a person understands."""

    default: LazyString | str = _l("That cannot be done in this live session.")

    def __init__(self, message: str | LazyString | None = None) -> None:
        super().__init__(self.default if message is None else message)


# -- setting a session up (organisers) --------------------------------------------------------


class BadSessionPlan(LiveError):
    """The title, settings or items of a new session cannot be used."""


class UnsuitableQuestion(BadSessionPlan):
    """A bank question of a type a live session cannot ask (essay, cloze, matching...)."""


class NotAllowedToHost(LiveError):
    default = _l("You may only run live sessions for cohorts you organise.")


# -- joining (phones) -------------------------------------------------------------------------


class SessionNotFound(LiveError):
    default = _l("No live session has this code. Check the code on the screen and try again.")


class SessionEnded(LiveError):
    default = _l("This live session has ended.")


class NotAllowedToJoin(LiveError):
    default = _l(
        "This live session is for other cohorts. If you think you should be in it, ask "
        "your organiser."
    )


class GuestsNotAllowed(LiveError):
    default = _l("This live session is only for logged-in members of its cohorts. Log in first.")


class NicknameRefused(LiveError):
    default = _l("Choose another nickname.")


class NicknameTaken(LiveError):
    default = _l("Someone in this session already has that nickname. Choose another one.")


# -- the host's controls ----------------------------------------------------------------------


class WrongPhase(LiveError):
    """A control that makes no sense now (reveal in the lobby, next while a question runs)."""

    default = _l("That control does not apply at this point of the session.")


class NoMoreItems(WrongPhase):
    default = _l("There is no question left. End the session to show the results.")


class StaleState(LiveError):
    """The host acted on a state that changed meanwhile (another organiser, a double click)."""

    default = _l("The session moved on meanwhile. The screen now shows where it is.")


# -- answering (phones) -----------------------------------------------------------------------


class NotOpen(LiveError):
    default = _l("This question is not open for answers.")


class Paused(NotOpen):
    default = _l("The question is paused. Answer when it goes on.")


class AnswerTooLate(LiveError):
    default = _l("Too late: this question closed before your answer arrived.")


class BadAnswer(LiveError):
    default = _l("This answer could not be read. Please answer again.")


# -- the question board -----------------------------------------------------------------------


class BoardClosed(LiveError):
    default = _l("The organiser has closed the question board: no new questions for now.")


class PostRefused(LiveError):
    """A question that cannot be posted as written (empty, too long, control characters)."""

    default = _l("This question cannot be posted.")


class TooManyPosts(PostRefused):
    """Over a rate limit (camp.live.board); the message says which and for how long."""


class PostNotFound(LiveError):
    """No such post on this board, or one the participant may not see."""

    default = _l("This question is not on the board.")


class VoteRefused(LiveError):
    default = _l("You cannot vote for your own question.")


class PostNotApproved(LiveError):
    default = _l("Approve the question first.")
