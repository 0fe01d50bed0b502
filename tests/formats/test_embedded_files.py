"""Embedded files in question texts: the naming rules, and how the sanitiser points
`@@PLUGINFILE@@/<name>` at Camp's copy and keeps every image on this site."""

from __future__ import annotations

import re

import pytest

from camp.formats.embedded_files import name_problem, referenced_name, stored_name, url_path
from camp.formats.markdown import render_markdown, render_text, sanitise_html

BASE = "/bank/versions/7/files/"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("chart.png", "chart.png"),
        ("/chart.png", "chart.png"),
        ("/sub/deeper/chart.png", "sub/deeper/chart.png"),
        ("cafe\u0301.png", "caf\u00e9.png"),  # NFC: the same name however it is typed
    ],
)
def test_names_are_stored_without_the_leading_slash_in_nfc(given, stored):
    assert stored_name(given) == stored
    assert name_problem(stored_name(given)) is None


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../secret.png",
        "sub/../../x.png",
        "./x.png",
        "sub//x.png",
        "sub/",
        "a\\b.png",
        "line\nbreak.png",
        "nul\x00.png",
        "gnp\u202e.exe",
        "x" * 256,
    ],
)
def test_unsafe_names_have_a_problem(name):
    assert name_problem(name)


@pytest.mark.parametrize(
    ("reference", "name"),
    [
        ("chart.png", "chart.png"),
        ("my%20chart.png", "my chart.png"),
        ("sub/my%20chart.png?time=1700000000", "sub/my chart.png"),
        ("caf%C3%A9.png#top", "caf\u00e9.png"),
        ("%2E%2E/secret.png", None),
        ("..%2Fsecret.png", None),
        ("", None),
    ],
)
def test_a_reference_decodes_to_a_stored_name(reference, name):
    assert referenced_name(reference) == name


def test_a_stored_name_becomes_a_url_path():
    assert url_path("sub/my chart?.png") == "sub/my%20chart%3F.png"
    assert url_path("caf\u00e9.png") == "caf%C3%A9.png"


@pytest.mark.parametrize("text_format", ["html", "moodle"])
def test_a_reference_points_at_the_versions_files(text_format):
    text = '<p>See <img src="@@PLUGINFILE@@/sub/my%20chart.png" alt="A chart" width="320"></p>'
    html = render_text(text, text_format, BASE)
    assert '<img src="/bank/versions/7/files/sub/my%20chart.png" alt="A chart" width="320">' in html


def test_a_reference_in_markdown_and_in_a_link():
    html = render_text("![A chart](@@PLUGINFILE@@/chart.png)", "markdown", BASE)
    assert '<img src="/bank/versions/7/files/chart.png" alt="A chart">' in html
    html = render_text('<a href="@@PLUGINFILE@@/chart.png">chart</a>', "html", BASE)
    assert 'href="/bank/versions/7/files/chart.png"' in html


def test_without_a_base_a_reference_is_dropped_not_left_to_resolve():
    for html in (
        render_text('<img src="@@PLUGINFILE@@/chart.png" alt="A chart">', "html"),
        sanitise_html('<img src="@@PLUGINFILE@@/chart.png" alt="A chart">'),
        render_markdown("![A chart](@@PLUGINFILE@@/chart.png)").html,
    ):
        assert "PLUGINFILE" not in html
        assert "src=" not in html
        assert 'alt="A chart"' in html


@pytest.mark.parametrize(
    "reference",
    ["../../organiser/bank", "%2e%2e/%2e%2e/accounts/logout", "a\\..\\b", "sub//x.png"],
)
def test_a_reference_that_leaves_the_versions_files_is_dropped(reference):
    html = render_text(f'<img src="@@PLUGINFILE@@/{reference}">', "html", BASE)
    assert "src=" not in html


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "http://tracker.example/pixel.gif",
        "//tracker.example/pixel.gif",
        "/\\tracker.example/pixel.gif",
        " https://tracker.example/pixel.gif",
        "HTTPS://tracker.example/pixel.gif",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
    ],
)
def test_images_from_elsewhere_are_dropped(src):
    html = render_text(f'<img src="{src}" alt="x">', "html", BASE)
    assert "src=" not in html
    # Markdown escapes a backslash, making it a path on this site: harmless.
    html = render_markdown(f"![x]({src.strip()})").html
    assert all(
        url.startswith("/") and not url.startswith("//") and "\\" not in url
        for url in re.findall(r'src="([^"]*)"', html)
    )
    assert "//tracker" not in html


def test_images_on_this_site_stay_and_links_elsewhere_stay():
    html = sanitise_html('<img src="/static/chart.png"> <a href="https://www.wipo.int">WIPO</a>')
    assert '<img src="/static/chart.png">' in html
    assert 'href="https://www.wipo.int"' in html


@pytest.mark.parametrize(
    ("value", "kept"),
    [("320", True), ("1", True), ("9999", True), ("0", False), ("50%", False), ("1e9", False)],
)
def test_image_sizes_are_pixels(value, kept):
    html = sanitise_html(f'<img src="/static/a.png" width="{value}" height="{value}">')
    assert (f'width="{value}"' in html) is kept
    assert (f'height="{value}"' in html) is kept


def test_only_img_gets_sizes_and_handlers_never_survive():
    html = render_text(
        '<p width="5"><img src="@@PLUGINFILE@@/a.png" onerror="alert(1)" style="x"></p>',
        "html",
        BASE,
    )
    assert html == '<p><img src="/bank/versions/7/files/a.png"></p>'
