"""Templates are compiled once per language: a literal message is translated as the
template is compiled, and a page in one language never shows another's text."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader

from camp.localised_templates import LocalisedEnvironment

TEMPLATES = {
    "plain.html": '<b>{{ _("Save and next") }}</b>',
    "values.html": '{{ _("Attempt %(number)s", number=n) }}|{{ gettext("Previous") }}',
    "escaped.html": '{{ _("%(quiz)s — attempt %(number)s", quiz=title, number=2) }}',
    "set.html": '{% set label = _("Previous") %}{{ label }}',
    "nested.html": '{{ _("Attempt %(number)s", number=pick((1, 2), 1)) }}',
    "runtime.html": "{{ _(message) }}",
    "adjacent.html": '{{ _("Save " "and next") }}',
}


@pytest.fixture
def render(app):
    app.jinja_env.loader = DictLoader(TEMPLATES)

    def render(name: str, language: str, **context: object) -> str:
        headers = {"Accept-Language": language}
        # A new app context too: the locale is found once per context (its `g`).
        with app.app_context(), app.test_request_context("/", headers=headers):
            return app.jinja_env.get_template(name).render(pick=lambda t, i: t[i], **context)

    return render


def test_the_environment_is_localised(app):
    assert isinstance(app.jinja_env, LocalisedEnvironment)


def test_a_literal_message_is_translated_in_chinese_and_left_in_english(render):
    assert render("plain.html", "zh-CN") == "<b>保存并进入下一题</b>"
    assert render("plain.html", "en") == "<b>Save and next</b>"
    assert render("plain.html", "zh-CN") == "<b>保存并进入下一题</b>"


def test_values_are_placed_into_the_translation(render):
    assert render("values.html", "zh-CN", n=3) == "第3次作答|上一题"
    assert render("values.html", "en", n=3) == "Attempt 3|Previous"


def test_values_are_escaped_the_message_is_not(render):
    html = render("escaped.html", "en", title="<script>x</script>")
    assert html == "&lt;script&gt;x&lt;/script&gt; — attempt 2"


def test_a_message_set_to_a_variable_and_one_with_a_call_among_its_values(render):
    assert render("set.html", "zh-CN") == "上一题"
    assert render("nested.html", "en") == "Attempt 2"


def test_adjacent_literals_are_one_message(render):
    assert render("adjacent.html", "zh-CN") == "保存并进入下一题"


def test_a_message_that_is_not_a_literal_is_translated_as_the_page_renders(render):
    assert render("runtime.html", "zh-CN", message="Previous") == "上一题"
    assert render("runtime.html", "en", message="Previous") == "Previous"


def test_outside_a_request_templates_still_render(app):
    app.jinja_env.loader = DictLoader(TEMPLATES)
    with app.app_context():
        assert app.jinja_env.get_template("plain.html").render() == "<b>Save and next</b>"


# A template's globals are a read-only view of the environment's (copying a ChainMap of
# thirty globals took 9 µs at each render; a question page renders two or three).


def test_a_global_added_after_a_template_is_loaded_is_seen_in_every_language(app, render):
    TEMPLATES["late.html"] = "{{ late_global }}"
    try:
        assert render("late.html", "zh-CN") == ""
        app.jinja_env.globals["late_global"] = "here"
        assert render("late.html", "zh-CN") == "here"
        assert render("late.html", "en") == "here"
    finally:
        app.jinja_env.globals.pop("late_global", None)
        del TEMPLATES["late.html"]


def test_a_template_cannot_change_the_environments_globals(app, render):
    render("plain.html", "en")
    template = app.jinja_env.get_template("plain.html")
    with pytest.raises(TypeError):
        template.globals["_"] = None  # type: ignore[index]
    assert app.jinja_env.globals["_"] is not None


def test_a_template_with_globals_of_its_own_keeps_them_to_itself(app, render):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        own = app.jinja_env.from_string("{{ mine }}|{{ _('Previous') }}", {"mine": "own"})
        other = app.jinja_env.from_string("{{ mine }}")
        assert own.render() == "own|Previous"
        assert other.render() == ""
    assert "mine" not in app.jinja_env.globals
