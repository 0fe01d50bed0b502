"""A session's results: per item the answers as the room saw the item (options in the order
shown, the most common typed answers, the open answers and their words), per participant
their points and rank, and the table as CSV; in a fixed number of queries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from camp.bank.services import QuestionDraft
from camp.bank.translation_models import QuestionTranslation
from camp.extensions import db
from camp.live import services as live
from camp.live.models import LiveItem
from camp.live.plan import ItemDraft, LiveSettings
from camp.live.results import results_csv, session_results
from camp.live.tallies import word_counts
from tests.live.conftest import T0, at, joined, letter_of, new_session
from tests.reports.conftest import counting_queries

GUESTS = LiveSettings(allow_guests=True)


def guest(session, nickname):
    participant, _token = live.join(session, nickname=nickname, now=T0)
    db.session.commit()
    return participant


def play(session, answers):
    """Ask every item in turn: `answers[n]` lists (participant, posted fields, seconds after
    the item opened) for the item at position n + 1; each item is revealed after them."""
    clock = 0.0
    for position, given in enumerate(answers, 1):
        item = (live.start if position == 1 else live.next_item)(session, at(clock))
        for participant, fields, after in given:
            fields = fields(session) if callable(fields) else fields
            live.answer(
                participant, item.id, fields, f"{participant.id}-{item.id}", at(clock + after)
            )
        live.reveal(session, at(clock + 25))
        db.session.commit()
        clock += 30


def pick(text):
    """The posted fields choosing the option shown with `text` (its letter, found then)."""
    return lambda session: {"answer": letter_of(session, text, at(0))}


def numerical(make, value=366):
    return make.question(
        QuestionDraft(
            type="numerical",
            text="How many days has a leap year?",
            spec={"answers": [{"kind": "exact", "value": value, "weight": 100, "feedback": ""}]},
        )
    )


def short_answer(make):
    return make.question(
        QuestionDraft(
            type="short_answer",
            text="Where is WIPO?",
            spec={"answers": [{"text": "Geneva", "weight": 100, "feedback": ""}]},
        )
    )


def test_a_choice_question_counts_each_option_in_the_order_shown_with_the_right_one_marked(
    world,
):
    session = new_session(world, [ItemDraft.question(world.geneva.id)], settings=GUESTS)
    session_items(session)[0].option_order = [2, 0, 1]  # not left to chance: not as listed
    db.session.commit()
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    ada = guest(session, "Ada")
    item = live.start(session, T0)
    shown = [str(o["html"]) for o in live.state(session, now=T0)["item"]["view"]["options"]]
    assert shown == ["Paris", "Geneva", "Beijing"]
    for who, text, seconds in ((student, "Geneva", 2), (classmate, "Paris", 4), (ada, "Paris", 6)):
        fields = {"answer": letter_of(session, text)}
        live.answer(who, item.id, fields, f"k{who.id}", at(seconds))
    live.reveal(session, at(20))
    db.session.commit()

    (item,) = session_results(session, "en").items
    assert [o.text for o in item.options] == shown  # the room's order, not the bank's
    assert [o.letter for o in item.options] == ["A", "B", "C"]
    counts = {o.text: (o.count, o.correct) for o in item.options}
    assert counts == {"Geneva": (1, True), "Paris": (2, False), "Beijing": (0, False)}
    assert item.shows == "options" and item.kind == "question" and item.type == "single_choice"
    assert (item.text, item.title) == ("Where is WIPO?", "Where is WIPO?")
    assert item.right_answer == "The correct answer is: Geneva"
    assert (item.participants, item.answers, item.right, item.partly) == (3, 3, 1, 0)
    assert item.share_right == pytest.approx(1 / 3) and item.wrong == 2
    assert item.mean_seconds == pytest.approx(4.0)
    assert item.mean_points == pytest.approx(950 / 3)  # only the right answer scores
    assert item.asked and not item.skipped and item.scored


def test_true_false_counts_true_and_false_with_the_right_one_marked(world):
    session = new_session(world, [ItemDraft.question(world.true_false.id)])
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    play(session, [[(student, {"answer": "true"}, 1), (classmate, {"answer": "false"}, 1)]])
    (item,) = session_results(session, "en").items
    assert [(o.letter, o.text, o.count, o.correct) for o in item.options] == [
        ("A", "True", 1, True),
        ("B", "False", 1, False),
    ]


def test_polls_count_options_in_their_order_without_a_right_one(world):
    items = [
        ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea", "Water"]),
        ItemDraft.poll("Which talks?", ["Patents", "Marks", "Designs"], multiple=True),
    ]
    session = new_session(world, items, settings=GUESTS)
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    ada = guest(session, "Ada")
    play(
        session,
        [
            [
                (student, {"answer": "B"}, 1),
                (classmate, {"answer": "B"}, 2),
                (ada, {"answer": "A"}, 3),
            ],
            [(student, {"answer": ["A", "C"]}, 1), (ada, {"answer": ["C"]}, 2)],
        ],
    )
    single, several = session_results(session, "en").items
    assert [(o.letter, o.text, o.count, o.correct) for o in single.options] == [
        ("A", "Coffee", 1, None),
        ("B", "Tea", 2, None),
        ("C", "Water", 0, None),
    ]
    assert [o.count for o in several.options] == [1, 0, 2]
    assert (several.answers, several.participants) == (2, 3)
    assert single.right is None and single.share_right is None and single.mean_points is None
    assert single.shows == "options" and single.type == "poll" and single.text == "Coffee or tea?"


def test_open_answers_are_listed_newest_first_with_their_most_used_words(world):
    session = new_session(world, [ItemDraft.open_text("What did you like?")], settings=GUESTS)
    people = [joined(session, world.student), joined(session, world.classmate)]
    people += [guest(session, "Ada"), guest(session, "Bo")]
    texts = ["Coffee and tea", "TEA, tea, please!", "咖啡，茶", "我喜欢咖啡 tea"]
    play(
        session,
        [[(p, {"answer": t}, n + 1) for n, (p, t) in enumerate(zip(people, texts, strict=True))]],
    )

    (item,) = session_results(session, "en").items
    assert item.shows == "open" and item.answers == 4
    assert [a.text for a in item.open_answers] == texts[::-1]  # newest first
    assert [(a.name, a.guest) for a in item.open_answers[:2]] == [("Bo", True), ("Ada", True)]
    words = {w.word: w.count for w in item.words}
    assert words["tea"] == 3  # once per answer, whatever the case
    assert words["咖啡"] == 1 and words["茶"] == 1  # Chinese split at its punctuation
    assert words["我喜欢咖啡"] == 1  # a run of Chinese characters is one word
    assert "and" not in words  # a common English word is left out
    assert item.words[0].word == "tea"


def test_word_counts_keep_the_top_twenty_and_split_on_punctuation():
    answers = [f"word{n} " * 2 + "common" for n in range(30)] + ["知识产权。专利、商标"]
    counted = word_counts(answers)
    assert len(counted) == 20
    assert (counted[0].word, counted[0].count) == ("common", 30)
    assert {w.word for w in word_counts(["知识产权。专利、商标"])} == {"知识产权", "专利", "商标"}
    counted = word_counts(["Don't   stop", "don\u2019t"])  # a curly apostrophe too
    assert [(w.word, w.count) for w in counted] == [("don't", 2), ("stop", 1)]


def test_typed_answers_are_grouped_as_the_type_compares_them_top_ten_first(world, make):
    days, city = numerical(make), short_answer(make)
    session = new_session(world, [ItemDraft.question(days.id), ItemDraft.question(city.id)])
    session.allow_guests = True
    db.session.commit()
    people = [guest(session, f"Guest {n}") for n in range(15)]
    typed = ["366", "366.0", " 366 ", "365", "365", "3,5", "3.5", "lots"] + [
        str(n) for n in range(100, 107)
    ]
    cities = ["Geneva", "geneva", "  GENEVA ", "Genf", "Bern"]
    play(
        session,
        [
            [(p, {"answer": t}, 1) for p, t in zip(people, typed, strict=True)],
            [(p, {"answer": t}, 1) for p, t in zip(people[:5], cities, strict=True)],
        ],
    )
    number, text = session_results(session, "en").items
    assert number.shows == "answers"
    top = [(a.text, a.count, a.correct) for a in number.top_answers]
    assert top[:3] == [("366", 3, True), ("3.5", 2, False), ("365", 2, False)]
    assert len(top) == 10 and number.other_answers == 1  # 11 different answers
    assert ("100", 1, False) in top and ("lots", 1, False) not in top  # equals by text
    assert (number.right, number.wrong) == (3, 12)
    assert [(a.text, a.count, a.correct) for a in text.top_answers] == [
        ("Geneva", 3, True),
        ("Bern", 1, False),
        ("Genf", 1, False),
    ]
    assert text.right_answer == "The correct answer is: Geneva"


def test_participants_are_ranked_with_points_answers_and_right_answers(world, make):
    days = numerical(make)
    items = [
        ItemDraft.question(world.geneva.id),
        ItemDraft.question(days.id, speed_bonus=False),
        ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"]),
        ItemDraft.question(world.true_false.id, points=False),
    ]
    session = new_session(world, items, settings=GUESTS)
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    ada, bo = guest(session, "Ada"), guest(session, "Bo")
    play(
        session,
        [
            [
                (student, pick("Geneva"), 2),
                (classmate, pick("Geneva"), 10),
                (ada, pick("Paris"), 1),
            ],
            [
                (student, {"answer": "366"}, 5),
                (ada, {"answer": "366"}, 1),
                (bo, {"answer": "1"}, 1),
            ],
            [(student, {"answer": "A"}, 1), (bo, {"answer": "B"}, 1)],
            [(student, {"answer": "true"}, 1), (classmate, {"answer": "true"}, 1)],
        ],
    )
    results = session_results(session, "en")
    assert [(c.position, c.title) for c in results.columns] == [
        (1, "Where is WIPO?"),
        (2, "How many days has a leap year?"),
    ]  # the poll and the item with points off score nothing: no column
    table = [
        (p.rank, p.name, p.guest, p.points, p.answers, p.right, p.item_points)
        for p in results.participants
    ]
    assert table == [
        (1, "Sam Student", False, 1950, 4, 3, (950, 1000)),
        (2, "Ada", True, 1000, 2, 1, (0, 1000)),
        (3, "Cleo Classmate", False, 750, 2, 2, (750, None)),
        (4, "Bo", True, 0, 2, 0, (None, 0)),
    ]
    assert results.participants[0].user_id == world.student.id
    assert results.participants[1].user_id is None
    assert (results.title, results.code, results.joined, results.guests) == (
        "Friday quiz",
        session.code,
        4,
        2,
    )


def test_equal_points_share_a_rank(world):
    session = new_session(world, [ItemDraft.question(world.geneva.id, speed_bonus=False)])
    student, classmate = joined(session, world.student), joined(session, world.classmate)
    play(session, [[(student, pick("Geneva"), 2), (classmate, pick("Geneva"), 9)]])
    assert [p.rank for p in session_results(session, "en").participants] == [1, 1]


def test_a_skipped_item_is_shown_but_counts_for_no_ones_points(world):
    items = [ItemDraft.question(world.geneva.id), ItemDraft.question(world.true_false.id)]
    session = new_session(world, items)
    student = joined(session, world.student)
    first = live.start(session, T0)
    live.answer(student, first.id, {"answer": letter_of(session, "Geneva")}, "a", at(1))
    second = live.skip(session, at(2))
    live.answer(student, second.id, {"answer": "true"}, "b", at(3))
    live.reveal(session, at(4))
    db.session.commit()

    results = session_results(session, "en")
    skipped, asked = results.items
    assert not asked.skipped and asked.answers == 1
    assert skipped.skipped and skipped.answers == 1
    assert sum(o.count for o in skipped.options) == 1  # its answers are still shown
    assert skipped.mean_points is None and not skipped.scored
    assert [c.position for c in results.columns] == [2]
    (row,) = results.participants
    assert (row.points, row.answers, row.right, row.item_points) == (975, 1, 1, (975,))


def test_an_item_not_asked_yet_has_no_answers(world):
    session = new_session(world)
    joined(session, world.student)
    geneva, poll = session_results(session, "en").items
    assert not geneva.asked and geneva.answers == 0 and geneva.participants == 0
    assert geneva.share_right is None and geneva.mean_seconds is None
    assert [o.count for o in poll.options] == [0, 0]


def test_bank_questions_are_shown_in_the_language_asked_for(world):
    session = new_session(world, [ItemDraft.question(world.geneva.id)])
    version_id = session_items(session)[0].question_version_id
    spec = {
        "options": [
            {"text": "日内瓦", "weight": 100, "feedback": ""},
            {"text": "北京", "weight": 0, "feedback": ""},
            {"text": "巴黎", "weight": 0, "feedback": ""},
        ]
    }
    db.session.add(
        QuestionTranslation(
            question_version_id=version_id, locale="zh_Hans", text="WIPO 在哪里？", spec=spec
        )
    )
    db.session.commit()
    (item,) = session_results(session, "zh_Hans").items
    assert item.text == "WIPO 在哪里？"
    assert {o.text for o in item.options} == {"日内瓦", "北京", "巴黎"}
    assert [o.text for o in item.options if o.correct] == ["日内瓦"]
    (english,) = session_results(session, "en").items
    assert english.text == "Where is WIPO?"


def session_items(session):
    return db.session.scalars(
        select(LiveItem).where(LiveItem.session_id == session.id).order_by(LiveItem.position)
    ).all()


def test_the_csv_is_the_participants_table_in_the_organisers_language(app, world, make):
    world.student.display_name = '=HYPERLINK("http://evil")'
    db.session.commit()
    items = [ItemDraft.question(world.geneva.id), ItemDraft.question(world.true_false.id)]
    session = new_session(world, items, settings=GUESTS)
    student, ada = joined(session, world.student), guest(session, "@SUM(A1)")
    play(session, [[(student, pick("Geneva"), 2)], [(ada, {"answer": "true"}, 1)]])
    results = session_results(session, "zh_Hans")

    headers = {"Accept-Language": "zh-CN"}
    # A new app context too: the locale is found once per context (its `g`).
    with app.app_context(), app.test_request_context("/", headers=headers):
        data = results_csv(results)
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8").removeprefix("\ufeff").split("\r\n")
    header = lines[0].split(",")
    assert header[1] == "姓名" and "Name" not in header  # the organiser's language
    assert len(header) == 8 and header[6].endswith("Where is WIPO?")
    assert lines[1] == "1,'@SUM(A1),是,975,1,1,,975"  # formulas neutralised
    assert lines[2] == '2,"\'=HYPERLINK(""http://evil"")",否,950,1,1,950,'
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = results_csv(results).decode("utf-8")
    assert english.removeprefix("\ufeff").startswith("Rank,Name,Guest,Points,Answered,Correct,")


def build(world, make, phones):
    """A session of four kinds of item answered by `phones` guests."""
    days = numerical(make)
    items = [
        ItemDraft.question(world.geneva.id),
        ItemDraft.question(days.id),
        ItemDraft.poll("Coffee or tea?", ["Coffee", "Tea"]),
        ItemDraft.open_text("One word?"),
    ]
    session = new_session(world, items, settings=GUESTS)
    people = [guest(session, f"P{n}") for n in range(phones)]
    play(
        session,
        [
            [(p, pick("Geneva" if n % 2 else "Paris"), 1) for n, p in enumerate(people)],
            [(p, {"answer": str(360 + n % 12)}, 1) for n, p in enumerate(people)],
            [(p, {"answer": "AB"[n % 2]}, 1) for n, p in enumerate(people)],
            [(p, {"answer": f"idea {n} 想法"}, 1) for n, p in enumerate(people)],
        ],
    )
    return session


def queries_for(session):
    session_results(session, "en")  # warm up: versions are kept in process
    with counting_queries() as counter:
        results = session_results(session, "en")
        results_csv(results)
    return counter["n"], results


def test_the_number_of_queries_does_not_grow_with_the_participants(app, world, make):
    few, small = queries_for(build(world, make, 5))
    many, large = queries_for(build(world, make, 50))
    assert len(small.participants) == 5 and len(large.participants) == 50
    assert large.items[3].answers == 50 and len(large.items[3].open_answers) == 50
    assert few == many, (few, many)
    assert many <= 6, many  # items, totals, responses, open answers, scores, points
