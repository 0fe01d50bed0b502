"""The site header (camp.templating.site_header) is remembered per page, user and token:
each person still sees their own name, role and navigation, the current page marked, and
a renamed user their new name at the next page."""

from __future__ import annotations

import re

from camp.extensions import db


def _header(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<header class="site-header">.*?</header>', page, re.DOTALL).group(0)


def test_each_user_sees_their_own_header(app, client, login, make):
    student = make.user(name="Ada Student")
    organiser = make.user("organiser", name="Grace Organiser")

    login(student)
    mine = _header(client, "/modules")
    assert "Ada Student" in mine and ">student<" in mine
    assert '<a href="/modules" aria-current="page">Modules</a>' in mine
    assert "Cohorts" not in mine

    login(organiser)
    theirs = _header(client, "/modules")
    assert "Grace Organiser" in theirs and "Ada Student" not in theirs
    assert ">organiser<" in theirs and "Cohorts" in theirs

    client.post("/logout", data={"csrf_token": re.search(r'value="([^"]+)"', theirs).group(1)})
    anonymous = _header(client, "/login")
    assert "Log in" in anonymous and "Grace Organiser" not in anonymous


def test_a_renamed_user_sees_the_new_name_at_once(app, client, login, make):
    student = make.user(name="Old <Name>")
    login(student)
    before = _header(client, "/modules")
    assert "Old &lt;Name&gt;" in before  # escaped, as everywhere
    student.display_name = "New Name"
    db.session.commit()
    after = _header(client, "/modules")
    assert "New Name" in after and "Old" not in after
    assert 'aria-current="page">Modules' in after
    other_page = _header(client, "/progress")
    assert 'aria-current="page">Modules' not in other_page
