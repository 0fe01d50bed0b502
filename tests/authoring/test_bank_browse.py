"""The bank list: filters, search with literal wildcards, pages of 50, a fixed number of queries."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from camp.extensions import db


@contextmanager
def count_queries():
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def rows(page):
    return page.count('<th scope="row">')


def test_filters_by_category_subtree_tag_and_text(client, organiser, add_question):
    add_question(uid="a-1", category="IP/Marks", tags=["logos"], title="Logo owner")
    add_question(uid="a-2", category="IP", tags=["terms"], text="How long does 100% last?")
    add_question(uid="b-1", category="IPX", tags=["logos"], title="Other")
    page = client.get("/organiser/bank?category=IP").get_data(as_text=True)
    assert "a-1" in page and "a-2" in page and "b-1" not in page
    page = client.get("/organiser/bank?tag=logos").get_data(as_text=True)
    assert "a-1" in page and "b-1" in page and "a-2" not in page
    page = client.get("/organiser/bank?q=logo+OWNER").get_data(as_text=True)
    assert rows(page) == 1 and "a-1" in page
    assert rows(client.get("/organiser/bank?q=100%25").get_data(as_text=True)) == 1
    assert rows(client.get("/organiser/bank?q=%25").get_data(as_text=True)) == 1
    assert rows(client.get("/organiser/bank?q=_").get_data(as_text=True)) == 0
    page = client.get("/organiser/bank").get_data(as_text=True)
    assert 'href="/organiser/bank?category=IP/Marks"' in page  # the category tree
    assert "Question bank" in page and 'aria-current="page">Question bank' in page


def test_pages_of_fifty_in_a_fixed_number_of_queries(client, organiser, add_question):
    for n in range(3):
        add_question(uid=f"q-{n:03}", tags=["t1", "t2"])
    with count_queries() as few:
        client.get("/organiser/bank")
    for n in range(3, 53):
        add_question(uid=f"q-{n:03}", tags=["t1", "t2"], category=f"Cat {n % 4}")
    with count_queries() as many:
        page = client.get("/organiser/bank").get_data(as_text=True)
    assert len(many) == len(few)
    assert rows(page) == 50 and "page 1 of 2" in page
    page = client.get("/organiser/bank?page=2&tag=t1").get_data(as_text=True)
    assert rows(page) == 3 and "q-002" in page  # ordered by category, then id
    assert 'href="/organiser/bank?page=1&amp;tag=t1"' in page
    assert rows(client.get("/organiser/bank?page=99").get_data(as_text=True)) == 3
