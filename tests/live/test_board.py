"""The question board: posting (length, characters, rate limits, the session's end), what
participants and organisers see (pending, hidden, anonymous), one vote each, moderation by
the session's organisers only, the order, the cost of a board, and its version in the
phones' state."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from camp.extensions import db
from camp.live import board
from camp.live import services as live
from camp.live.board_models import POST_MAX, BoardPost, BoardVote, PostStatus
from camp.live.errors import (
    BoardClosed,
    NotAllowedToHost,
    PostNotApproved,
    PostNotFound,
    PostRefused,
    SessionEnded,
    TooManyPosts,
    VoteRefused,
)
from camp.live.plan import LiveSettings
from tests.live.conftest import T0, at, joined, new_session


def post(participant, text="What is a trademark?", *, anonymous=False, now=T0):
    made = board.post_question(participant, text, anonymous=anonymous, now=now)
    db.session.commit()
    return made


def posts_count():
    return db.session.scalar(select(func.count(BoardPost.id)))


def votes_count():
    return db.session.scalar(select(func.count(BoardVote.id)))


def texts(views):
    return [view.text for view in views]


@pytest.fixture
def room(world):
    """A session with the default (moderated) board, two students in it, and a guest."""
    session = new_session(world, settings=LiveSettings(allow_guests=True))
    guest, _token = live.join(session, nickname="Ada", now=T0)
    db.session.commit()
    return SimpleNamespace(
        session=session,
        sam=joined(session, world.student),
        cleo=joined(session, world.classmate),
        ada=guest,
        host=world.organiser,
    )


def approved(room, participant, text, *, now=T0, anonymous=False):
    made = post(participant, text, anonymous=anonymous, now=now)
    board.approve(made.id, room.host, now)
    db.session.commit()
    return made


# -- posting ---------------------------------------------------------------------------------


def test_a_post_is_stored_as_the_plain_text_typed_trimmed(room):
    made = post(room.sam, "   <b>Why</b> & <script>alert(1)</script>?  ")
    assert made.text == "<b>Why</b> & <script>alert(1)</script>?"  # never turned into HTML
    assert (made.session_id, made.participant_id) == (room.session.id, room.sam.id)
    assert (made.status, made.pinned, made.answered, made.anonymous) == (
        PostStatus.PENDING,
        False,
        False,
        False,
    )
    assert made.created_at == T0
    assert made.moderated_at is None and made.moderated_by is None


@pytest.mark.parametrize("text", ["", "    ", "\n\n", None, 42])
def test_an_empty_post_is_refused(room, text):
    with pytest.raises(PostRefused):
        board.post_question(room.sam, text, anonymous=False, now=T0)
    assert posts_count() == 0


def test_a_post_has_at_most_280_characters_after_trimming(room):
    assert POST_MAX == 280
    assert post(room.sam, "  " + "é" * 280 + "  ").text == "é" * 280
    with pytest.raises(PostRefused, match="280"):
        board.post_question(room.cleo, "a" * 281, anonymous=False, now=T0)
    assert posts_count() == 1


@pytest.mark.parametrize(
    "text",
    [
        "Null\x00byte",
        "Bell\x07",
        "Escape \x1b[31mred",
        "Right-to-left \u202eoverride",
        "Zero\u200bwidth",
        "Vertical\x0btab",
    ],
)
def test_control_and_formatting_characters_are_refused(room, text):
    with pytest.raises(PostRefused):
        board.post_question(room.sam, text, anonymous=False, now=T0)
    assert posts_count() == 0


def test_line_breaks_tabs_emoji_and_other_scripts_are_kept_tidy(room):
    made = post(room.sam, "Line one\r\n\r\n\r\n\r\nLine\ttwo   here\rthree 👩\u200d💻 商标?")
    assert made.text == "Line one\n\nLine two here\nthree 👩\u200d💻 商标?"


def test_three_posts_a_minute_then_wait(room):
    for second in (0, 1, 2):
        post(room.sam, f"Question {second}", now=at(second))
    for second in (3, 59.9):
        with pytest.raises(TooManyPosts, match="Try again in"):
            board.post_question(room.sam, "One more", anonymous=False, now=at(second))
    assert posts_count() == 3
    post(room.cleo, "Someone else may post", now=at(3))  # the limit is per participant
    post(room.sam, "A minute after the first", now=at(60))
    assert posts_count() == 5


def test_ten_posts_a_session_at_most(room):
    for n in range(board.POSTS_PER_SESSION):
        post(room.sam, f"Question {n}", now=at(60 * n))
    with pytest.raises(TooManyPosts):
        board.post_question(room.sam, "Eleven", anonymous=False, now=at(3600))
    post(room.cleo, "My first", now=at(3600))
    assert posts_count() == board.POSTS_PER_SESSION + 1


def test_hidden_posts_count_towards_the_limits(room):
    for second in (0, 1, 2):
        board.hide(post(room.sam, f"Spam {second}", now=at(second)).id, room.host, at(2))
    with pytest.raises(TooManyPosts):
        board.post_question(room.sam, "More spam", anonymous=False, now=at(3))


def test_posts_are_refused_once_the_session_ended(room):
    live.end(room.session, at(10))
    with pytest.raises(SessionEnded):
        board.post_question(room.sam, "Too late?", anonymous=False, now=at(11))
    assert posts_count() == 0


def test_the_host_may_close_the_board_to_new_posts_and_open_it_again(room, world):
    with pytest.raises(NotAllowedToHost):
        board.configure_board(room.session, world.student, board_open=False)
    board.configure_board(room.session, room.host, board_open=False)
    db.session.commit()
    assert room.session.board_open is False
    with pytest.raises(BoardClosed):
        board.post_question(room.sam, "Closed?", anonymous=False, now=T0)
    board.configure_board(room.session, room.host, board_open=True)
    assert post(room.sam, "Open again").status == PostStatus.PENDING


# -- moderated or not ------------------------------------------------------------------------


def test_on_a_moderated_board_a_pending_post_is_seen_by_its_author_and_the_hosts(room):
    made = post(room.sam, "Is a logo a trademark?")
    assert room.session.board_moderated is True  # the default
    mine = board.board_for_participant(room.session, room.sam)
    assert [(v.text, v.pending, v.mine) for v in mine] == [("Is a logo a trademark?", True, True)]
    assert board.board_for_participant(room.session, room.cleo) == []
    assert board.top_questions(room.session) == []
    hosts = board.board_for_host(room.session)
    assert [(v.id, v.status, v.author) for v in hosts] == [
        (made.id, PostStatus.PENDING, "Sam Student")
    ]
    board.approve(made.id, room.host, at(5))
    db.session.commit()
    assert texts(board.board_for_participant(room.session, room.cleo)) == [made.text]
    assert board.board_for_participant(room.session, room.sam)[0].pending is False


def test_on_a_board_without_moderation_posts_are_shown_at_once(world):
    session = new_session(world, settings=LiveSettings(board_moderated=False))
    sam, cleo = joined(session, world.student), joined(session, world.classmate)
    made = post(sam, "Straight on the board")
    assert made.status == PostStatus.APPROVED and made.moderated_by is None
    assert texts(board.board_for_participant(session, cleo)) == ["Straight on the board"]
    assert texts(board.top_questions(session)) == ["Straight on the board"]


def test_without_moderation_a_post_with_a_blocked_word_waits_for_an_organiser(world):
    session = new_session(world, settings=LiveSettings(board_moderated=False))
    sam, cleo = joined(session, world.student), joined(session, world.classmate)
    held = post(sam, "Is this sh1t legal?", now=at(0))
    assert held.status == PostStatus.PENDING
    assert post(sam, "Can I register a shitake logo?", now=at(1)).status == PostStatus.APPROVED
    assert texts(board.board_for_participant(session, cleo)) == ["Can I register a shitake logo?"]


def test_turning_moderation_off_shows_new_posts_at_once_and_keeps_the_queue(room):
    waiting = post(room.sam, "Before")
    board.configure_board(room.session, room.host, board_moderated=False)
    after = post(room.cleo, "After")
    assert (waiting.status, after.status) == (PostStatus.PENDING, PostStatus.APPROVED)


def test_a_hidden_post_is_shown_to_nobody_but_the_hosts(room):
    made = approved(room, room.sam, "Rude words")
    board.hide(made.id, room.host, at(9))
    db.session.commit()
    for participant in (room.sam, room.cleo, room.ada):
        assert board.board_for_participant(room.session, participant) == []
    assert [(v.text, v.status) for v in board.board_for_host(room.session)] == [
        ("Rude words", PostStatus.HIDDEN)
    ]
    board.approve(made.id, room.host, at(10))  # an organiser may change their mind
    assert texts(board.board_for_participant(room.session, room.cleo)) == ["Rude words"]


def test_a_pending_post_hidden_by_an_organiser_disappears_for_its_author_too(room):
    made = post(room.sam, "Off topic")
    board.hide(made.id, room.host, at(1))
    assert board.board_for_participant(room.session, room.sam) == []


# -- anonymous posts -------------------------------------------------------------------------


def test_anonymous_posts_hide_the_author_from_peers_never_from_the_hosts(room):
    secret = approved(room, room.sam, "Anonymous question", anonymous=True, now=at(0))
    named = approved(room, room.ada, "Named question", now=at(1))
    for participant in (room.sam, room.cleo):
        authors = {v.id: v.author for v in board.board_for_participant(room.session, participant)}
        assert authors == {secret.id: None, named.id: "Ada"}  # a guest by their nickname
    own = board.board_for_participant(room.session, room.sam)
    assert [v.mine for v in own if v.id == secret.id] == [True]
    hosts = {v.id: (v.author, v.anonymous, v.guest) for v in board.board_for_host(room.session)}
    assert hosts == {secret.id: ("Sam Student", True, False), named.id: ("Ada", False, True)}
    assert [v.author for v in board.top_questions(room.session)] == [None, "Ada"]


def test_the_projector_shows_no_names_when_the_session_is_anonymous(world):
    session = new_session(world, settings=LiveSettings(anonymous=True, board_moderated=False))
    post(joined(session, world.student), "Shown without a name")
    assert [v.author for v in board.top_questions(session)] == [None]


# -- votes -----------------------------------------------------------------------------------


def test_one_vote_each(room):
    made = approved(room, room.sam, "Vote for me")
    assert board.vote(room.cleo, made.id, at(1)) is True
    assert board.vote(room.cleo, made.id, at(2)) is False
    db.session.commit()
    assert votes_count() == 1
    seen = board.board_for_participant(room.session, room.cleo)
    assert [(v.votes, v.voted, v.mine) for v in seen] == [(1, True, False)]
    seen = board.board_for_participant(room.session, room.sam)
    assert [(v.votes, v.voted, v.mine) for v in seen] == [(1, False, True)]
    assert board.unvote(room.cleo, made.id, at(3)) is True
    assert board.unvote(room.cleo, made.id, at(4)) is False
    assert board.vote(room.ada, made.id, at(5)) is True
    db.session.commit()
    assert [v.votes for v in board.board_for_host(room.session)] == [1]


def test_nobody_votes_for_their_own_post(room):
    made = approved(room, room.sam, "Mine")
    with pytest.raises(VoteRefused):
        board.vote(room.sam, made.id, at(1))
    assert votes_count() == 0


def test_only_approved_posts_of_ones_own_session_take_votes(room, world):
    pending = post(room.sam, "Waiting")
    hidden = approved(room, room.sam, "Hidden", now=at(1))
    board.hide(hidden.id, room.host, at(2))
    elsewhere = new_session(world, settings=LiveSettings(board_moderated=False))
    foreign = post(joined(elsewhere, world.student), "In another session")
    for post_id in (pending.id, hidden.id, foreign.id, 10_000):
        with pytest.raises(PostNotFound):
            board.vote(room.cleo, post_id, at(3))
    assert votes_count() == 0


def test_votes_are_refused_once_the_session_ended(room):
    made = approved(room, room.sam, "Late vote")
    live.end(room.session, at(10))
    with pytest.raises(SessionEnded):
        board.vote(room.cleo, made.id, at(11))


# -- moderation ------------------------------------------------------------------------------

MODERATORS = {
    "organiser": True,  # the host
    "co_organiser": True,  # organises the session's cohort
    "admin": True,
    "other_organiser": False,  # organises another cohort
    "student": False,
}
ACTIONS = ("approve", "hide", "pin", "unpin", "mark_answered", "unmark_answered")


@pytest.mark.parametrize(("who", "allowed"), sorted(MODERATORS.items()))
@pytest.mark.parametrize("action", ACTIONS)
def test_only_the_sessions_organisers_moderate(room, world, who, allowed, action):
    made = approved(room, room.cleo, "Moderate me")
    do = getattr(board, action)
    if allowed:
        assert do(made.id, getattr(world, who), at(1)).id == made.id
    else:
        before = (made.status, made.pinned, made.answered, made.moderated_at)
        with pytest.raises(NotAllowedToHost):
            do(made.id, getattr(world, who), at(1))
        db.session.rollback()
        db.session.refresh(made)
        assert (made.status, made.pinned, made.answered, made.moderated_at) == before


def test_moderation_records_who_and_when(room, world):
    made = post(room.sam, "Record me")
    board.approve(made.id, world.co_organiser, at(7))
    assert (made.moderated_by, made.moderated_at) == (world.co_organiser.id, at(7))


def test_moderating_through_another_session_finds_no_post(room, world):
    made = post(room.sam, "Mine is here")
    other = new_session(world)
    with pytest.raises(PostNotFound):
        board.approve(made.id, room.host, at(1), session_id=other.id)
    with pytest.raises(PostNotFound):
        board.approve(10_000, room.host, at(1))


def test_pinning_and_answering(room):
    made = post(room.sam, "Pin me")
    for action in (board.pin, board.mark_answered):
        with pytest.raises(PostNotApproved):
            action(made.id, room.host, at(1))
    board.approve(made.id, room.host, at(1))
    assert board.pin(made.id, room.host, at(2)).pinned is True
    board.mark_answered(made.id, room.host, at(3))
    assert (made.answered, made.pinned) == (True, False)  # answered: off the projector
    board.pin(made.id, room.host, at(4))
    assert (made.answered, made.pinned) == (False, True)  # back on to discuss it again
    board.hide(made.id, room.host, at(5))
    assert (made.status, made.pinned) == (PostStatus.HIDDEN, False)
    board.approve(made.id, room.host, at(6))
    board.mark_answered(made.id, room.host, at(7))
    board.unmark_answered(made.id, room.host, at(8))
    board.pin(made.id, room.host, at(9))
    board.unpin(made.id, room.host, at(10))
    assert (made.status, made.pinned, made.answered) == (PostStatus.APPROVED, False, False)


def test_moderation_may_go_on_after_the_session_ended(room):
    made = approved(room, room.sam, "Answer me after")
    live.end(room.session, at(10))
    assert board.mark_answered(made.id, room.host, at(11)).answered is True


# -- order -----------------------------------------------------------------------------------


def test_pinned_first_then_most_votes_then_oldest_and_answered_apart(room, world):
    voters = [joined(room.session, world.co_organiser), room.ada, room.cleo]
    old = approved(room, room.sam, "Old, no votes", now=at(0))
    young = approved(room, room.sam, "Young, no votes", now=at(1))
    liked = approved(room, room.sam, "Two votes", now=at(2))
    pinned = approved(room, room.cleo, "Pinned, no votes", now=at(60))
    done = approved(room, room.sam, "Answered, three votes", now=at(61))
    hidden = approved(room, room.cleo, "Hidden", now=at(62))
    mine = post(room.sam, "My pending one", now=at(63))
    for voter in voters:
        board.vote(voter, done.id, at(70))
    for voter in voters[:2]:
        board.vote(voter, liked.id, at(70))
    board.pin(pinned.id, room.host, at(71))
    board.mark_answered(done.id, room.host, at(72))
    board.hide(hidden.id, room.host, at(73))
    db.session.commit()
    assert texts(board.board_for_participant(room.session, room.sam)) == [
        "Pinned, no votes",
        "Two votes",
        "Old, no votes",
        "Young, no votes",
        "My pending one",
        "Answered, three votes",
    ]
    assert texts(board.top_questions(room.session)) == [
        "Pinned, no votes",
        "Two votes",
        "Old, no votes",
        "Young, no votes",
    ]
    assert texts(board.top_questions(room.session, limit=2)) == ["Pinned, no votes", "Two votes"]
    hosts = board.board_for_host(room.session)
    assert [(v.id, v.votes) for v in hosts] == [
        (mine.id, 0),  # the queue first, to moderate
        (pinned.id, 0),
        (liked.id, 2),
        (old.id, 0),
        (young.id, 0),
        (done.id, 3),
        (hidden.id, 0),
    ]


# -- cost ------------------------------------------------------------------------------------


@pytest.fixture
def statements(app):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def fill(session, participants, count):
    """`count` approved posts spread over `participants`, each voted for by the others."""
    rows = [
        BoardPost(
            session_id=session.id,
            participant_id=participants[n % len(participants)].id,
            text=f"Question {n}",
            anonymous=n % 2 == 0,
            status=PostStatus.APPROVED,
            created_at=at(n),
        )
        for n in range(count)
    ]
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all(
        BoardVote(post_id=row.id, participant_id=voter.id, created_at=at(count))
        for row in rows
        for voter in participants
        if voter.id != row.participant_id
    )
    db.session.commit()


@pytest.mark.parametrize("reader", ["participant", "host", "projector"])
def test_reading_the_board_costs_the_same_few_queries_for_5_or_50_posts(
    room, world, statements, reader
):
    big = new_session(world, settings=LiveSettings(allow_guests=True))
    guests = [live.join(big, nickname=f"Guest {n}", now=T0)[0] for n in range(5)]
    fill(room.session, [room.sam, room.cleo, room.ada], 5)
    fill(big, [*guests, joined(big, world.student)], 50)
    costs = {}
    for session, participant in ((room.session, room.cleo), (big, guests[0])):
        db.session.expire_all()
        db.session.refresh(session)  # as a request loads them
        db.session.refresh(participant)
        statements.clear()
        if reader == "participant":
            seen = board.board_for_participant(session, participant)
        elif reader == "host":
            seen = board.board_for_host(session)
        else:
            seen = board.top_questions(session, limit=100)
        costs[len(seen)] = len(statements)
    assert sorted(costs) == [5, 50]
    assert costs[5] == costs[50] <= 2, costs


# -- the version phones poll -----------------------------------------------------------------


def test_every_change_of_the_board_bumps_its_version_in_the_phones_state(room):
    def version():
        db.session.commit()
        return live.state(room.session, room.cleo, now=at(1))["board_version"]

    seen = [version()]
    made = post(room.sam, "Bump")
    seen.append(version())
    board.approve(made.id, room.host, at(1))
    seen.append(version())
    board.approve(made.id, room.host, at(2))  # nothing changes: no bump
    seen.append(version())
    board.vote(room.cleo, made.id, at(3))
    seen.append(version())
    board.vote(room.cleo, made.id, at(3))  # counted already
    seen.append(version())
    board.unvote(room.cleo, made.id, at(4))
    seen.append(version())
    board.pin(made.id, room.host, at(5))
    seen.append(version())
    board.configure_board(room.session, room.host, board_open=False)
    seen.append(version())
    assert seen == [0, 1, 2, 2, 3, 3, 4, 5, 6]


def test_board_changes_leave_the_quiz_state_version_alone(room):
    """Hundreds of votes must not make every phone refetch the question, nor make a host's
    "next" fail its version check."""
    live.start(room.session, T0)
    db.session.commit()
    before = room.session.state_version
    made = approved(room, room.sam, "Quiet")
    board.vote(room.cleo, made.id, at(1))
    live.reveal(room.session, at(2), seen_version=before)
    db.session.commit()
    assert room.session.state_version == before + 1
    assert room.session.board_version == 3
