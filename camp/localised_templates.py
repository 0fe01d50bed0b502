"""Templates compiled once per language: a literal message is translated at compile time.

Why: a page called `_()` for each of its labels, and each call went through Jinja's
runtime call check and the request's catalogue: after Camp learnt Chinese, a question page
spent a sixth of its time translating the same labels again and again. A label written
as a literal (`_("Save and next")`, `_("Attempt %(number)s", number=n)`) is now translated
when the template is compiled, in an environment of that language: `{{ _("Previous") }}`
compiles to the text `上一题`, and a message with values to the translated markup `%` the
values (escaped as before). Each language has its own compiled templates, so a page in
one language can never show another's text. A message that is not a literal (`_(text)`)
is still translated as the page renders. Outside a request (the CLI) the shared
environment renders as before.

Each language's environment is an overlay of the app's: same loader, filters, globals
and settings, its own template cache.

A template's globals are a read-only view of the environment's (Jinja's own are a
ChainMap over them): each render copies them into its context, and copying a ChainMap of
Camp's thirty globals took 9 µs, two or three times on every page. The view still shows a
global added later; a template given globals of its own keeps Jinja's ChainMap.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, MutableMapping
from types import MappingProxyType
from typing import Any, cast

from babel.support import NullTranslations, Translations
from flask import has_request_context
from flask.templating import Environment
from jinja2 import Template
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from camp.i18n import TRANSLATIONS, current_locale
from camp.locales import DEFAULT_LOCALE

# The names templates call to translate one message (camp.i18n installs them as globals).
MESSAGE_FUNCTIONS = frozenset({"_", "gettext"})


class CompileTimeMessages(Extension):
    """Rewrites `_("literal", name=value, ...)` into `("translated"|safe) % {...}`."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        catalogue: NullTranslations | None = getattr(self.environment, "camp_catalogue", None)
        if catalogue is None:
            yield from stream
            return
        tokens = list(stream)
        index = 0
        while index < len(tokens):
            rewritten = _rewrite_call(tokens, index, catalogue)
            if rewritten is None:
                yield tokens[index]
                index += 1
            else:
                new_tokens, index = rewritten
                yield from new_tokens


def _rewrite_call(
    tokens: list[Token], start: int, catalogue: NullTranslations
) -> tuple[list[Token], int] | None:
    """The rewritten call that starts at `start`, and where the rest begins; None when the
    tokens there are not a message function called with a literal first argument."""
    first = tokens[start]
    if first.type != "name" or first.value not in MESSAGE_FUNCTIONS:
        return None
    if start > 0 and tokens[start - 1].type == "dot":  # `x._(...)` is someone else's
        return None
    position = start + 1
    if position >= len(tokens) or tokens[position].type != "lparen":
        return None
    position += 1
    parts = []
    while position < len(tokens) and tokens[position].type == "string":
        parts.append(tokens[position].value)
        position += 1
    if not parts or position >= len(tokens):
        return None
    line = first.lineno
    look_up = catalogue.ugettext  # (a name pybabel's extractor does not take for a message)
    translated = look_up("".join(parts))
    message = [
        Token(line, "lparen", "("),
        Token(line, "string", translated),
        Token(line, "pipe", "|"),
        Token(line, "name", "safe"),
        Token(line, "rparen", ")"),
    ]
    if tokens[position].type == "rparen":
        return [Token(line, "lparen", "("), *message, Token(line, "rparen", ")")], position + 1
    if tokens[position].type != "comma":
        return None
    values, end = _keyword_values(tokens, position + 1)
    if values is None:
        return None
    operator = [Token(line, "mod", "%"), Token(line, "lbrace", "{")]
    return [
        Token(line, "lparen", "("),
        *message,
        *operator,
        *values,
        Token(line, "rbrace", "}"),
        Token(line, "rparen", ")"),
    ], end


_OPENING = {"lparen", "lbracket", "lbrace"}
_CLOSING = {"rparen", "rbracket", "rbrace"}


def _keyword_values(tokens: list[Token], position: int) -> tuple[list[Token] | None, int]:
    """`name=value, ...)` as the tokens of a dict's items `"name": value, ...`, and the
    index after the closing parenthesis; None for anything else (positional values)."""
    out: list[Token] = []
    depth = 0
    expect_name = True
    while position < len(tokens):
        token = tokens[position]
        if depth == 0 and expect_name:
            if token.type == "rparen":  # a trailing comma
                return out, position + 1
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if token.type != "name" or following is None or following.type != "assign":
                return None, position
            out += [
                Token(token.lineno, "string", token.value),
                Token(token.lineno, "colon", ":"),
            ]
            position += 2
            expect_name = False
            continue
        if token.type in _OPENING:
            depth += 1
        elif token.type in _CLOSING:
            if depth == 0:
                return out, position + 1
            depth -= 1
        elif token.type == "comma" and depth == 0:
            expect_name = True
        out.append(token)
        position += 1
    return None, position


class LocalisedEnvironment(Environment):
    """The app's environment: in a request it hands out templates compiled in the
    request's language (see the module's docstring)."""

    camp_catalogue: NullTranslations | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._languages: dict[str, Environment] = {}
        self._languages_lock = threading.Lock()

    def _in_language(self) -> Environment:
        if self.camp_catalogue is not None or not has_request_context():
            return self  # a language's own environment, or no request to take one from
        locale = current_locale()
        found = self._languages.get(locale)
        if found is None:
            with self._languages_lock:
                found = self._languages.get(locale)
                if found is None:
                    found = self._languages[locale] = self._language(locale)
        return found

    def _language(self, locale: str) -> Environment:
        overlay = self.overlay(extensions=[CompileTimeMessages], cache_size=-1)
        if locale == DEFAULT_LOCALE:
            overlay.camp_catalogue = NullTranslations()
        else:
            overlay.camp_catalogue = Translations.load(str(TRANSLATIONS), [locale])
        overlay._languages = {}
        return overlay

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        if d:
            return super().make_globals(d)
        # Read-only: writing into a template's globals raises instead of changing every
        # template's (Jinja writes into them only when handed globals for a cached
        # template, which Flask and Camp never do).
        return cast(MutableMapping[str, Any], MappingProxyType(self.globals))

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> Template:
        language = self._in_language()
        if language is self:
            return super().get_template(name, parent, globals)
        return language.get_template(name, parent, globals)

    def select_template(self, names: Any, parent: Any = None, globals: Any = None) -> Template:
        language = self._in_language()
        if language is self:
            return super().select_template(names, parent, globals)
        return language.select_template(names, parent, globals)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        language = self._in_language()
        if language is self:
            return super().from_string(source, globals, template_class)
        return language.from_string(source, globals, template_class)
