"""Choosing the certificate's font: configured, else found on the machine, else CID."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp.certificates import fonts
from camp.certificates.fonts import (
    CertificateFontError,
    certificate_font,
    cid_font,
)

LATIN_ONLY = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_a_configured_font_is_used(embedded_font):
    chosen = certificate_font(str(embedded_font.path))
    assert chosen.path == embedded_font.path
    assert chosen.embedded
    assert chosen.for_text("Zhang Wei") == chosen.for_text("张伟") == chosen.name


def test_a_missing_configured_font_is_an_error_not_a_quiet_change(tmp_path):
    with pytest.raises(CertificateFontError, match="no such file"):
        certificate_font(tmp_path / "missing.ttf")


def test_a_configured_file_that_is_no_font_is_an_error(tmp_path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"OTTO" + b"\0" * 100)
    with pytest.raises(CertificateFontError, match=r"bogus\.ttf"):
        certificate_font(bogus)


@pytest.mark.skipif(not LATIN_ONLY.is_file(), reason="DejaVu Sans is not installed here")
def test_a_configured_font_without_chinese_is_an_error():
    with pytest.raises(CertificateFontError, match="no Chinese"):
        certificate_font(LATIN_ONLY)


def test_the_search_skips_unusable_fonts_and_ends_with_the_cid_font(monkeypatch, tmp_path):
    bogus = tmp_path / "bogus.ttc"
    bogus.write_bytes(b"\0" * 100)
    monkeypatch.setattr(fonts, "SEARCH_PATHS", (tmp_path / "missing.ttc", bogus))
    chosen = certificate_font()
    assert chosen == cid_font()
    assert not chosen.embedded
    assert chosen.describe() == "cid:STSong-Light"


def test_the_search_takes_the_first_usable_font(monkeypatch, embedded_font):
    monkeypatch.setattr(fonts, "SEARCH_PATHS", (Path("/nonexistent/font.ttc"), embedded_font.path))
    assert certificate_font() == embedded_font


def test_with_the_cid_font_latin_text_is_set_in_times_and_the_rest_in_stsong():
    font = cid_font()
    assert font.for_text("Zhang Wei") == font.for_text("Fernández") == "Times-Roman"
    assert font.for_text("Zhang Wei 张伟") == font.for_text("6\u201310 July") == "STSong-Light"


def test_a_font_says_which_characters_of_a_name_it_cannot_draw(embedded_font):
    assert embedded_font.missing("李小龙 Zhang Wei, Zoë") == ""
    rare = "\U00020bb7"  # outside the Basic Multilingual Plane: few fonts have it
    if not embedded_font.missing(rare):
        pytest.skip(f"{embedded_font.describe()} has even {rare}")
    assert embedded_font.missing(f"吉{rare}{rare}") == rare
    assert cid_font().missing(rare) == ""
