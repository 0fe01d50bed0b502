"""Certificate identifiers: signed, unguessable, forgiving of how people type them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from camp.certificates.ids import (
    LENGTH,
    RANDOM_BYTES,
    certificate_id_for,
    new_certificate_id,
    normalise_certificate_id,
    verify_certificate_id,
)

SECRET = "test-secret"
SHAPE = re.compile(r"[a-z2-7]{5}(-[a-z2-7]{5}){7}")
BASE32 = string.ascii_lowercase + "234567"


def test_an_identifier_is_eight_groups_of_five_base32_characters():
    identifier = new_certificate_id(SECRET)
    assert SHAPE.fullmatch(identifier), identifier
    assert len(identifier.replace("-", "")) == LENGTH == 40


def test_it_verifies_to_its_lookup_key_and_rebuilds_from_it():
    identifier = new_certificate_id(SECRET)
    key = verify_certificate_id(identifier, SECRET)
    assert key is not None
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert certificate_id_for(key, SECRET) == identifier


def test_the_signature_is_the_documented_one():
    """Changing the derivation would make every certificate issued so far a forgery."""
    key = "00112233445566778899aabbccddeeff"
    purpose_key = hmac.new(SECRET.encode(), b"camp.certificates.ids/v1", hashlib.sha256).digest()
    signature = hmac.new(purpose_key, bytes.fromhex(key), hashlib.sha256).digest()[:9]
    expected = base64.b32encode(bytes.fromhex(key) + signature).decode().lower()
    identifier = certificate_id_for(key, SECRET)
    assert identifier.replace("-", "") == expected
    assert identifier == "aaise-m2ekv-thpce-zvk54-zxpo7-5k2ke-k33ph-nhwfz"


@pytest.mark.parametrize(
    "spelling",
    [
        str.upper,
        lambda text: text.replace("-", ""),
        lambda text: text.replace("-", " "),
        lambda text: f"  {text.upper()}\n",
    ],
)
def test_case_hyphens_and_spaces_do_not_matter(spelling):
    identifier = new_certificate_id(SECRET)
    key = verify_certificate_id(identifier, SECRET)
    assert verify_certificate_id(spelling(identifier), SECRET) == key
    assert normalise_certificate_id(spelling(identifier)) == identifier


def test_the_digits_zero_and_one_read_as_the_letters_o_and_l():
    keys = (f"{n:032x}" for n in range(1000))
    key, identifier = next(
        (key, identifier)
        for key in keys
        if {"o", "l"} <= set(identifier := certificate_id_for(key, SECRET))
    )
    misread = identifier.replace("o", "0").replace("l", "1")
    assert verify_certificate_id(misread, SECRET) == key


def test_every_one_character_change_is_refused():
    identifier = certificate_id_for("00112233445566778899aabbccddeeff", SECRET)
    for position, char in enumerate(identifier):
        if char == "-":
            continue
        for other in BASE32.replace(char, ""):
            changed = identifier[:position] + other + identifier[position + 1 :]
            assert verify_certificate_id(changed, SECRET) is None, changed


def test_another_secret_refuses_it():
    identifier = new_certificate_id(SECRET)
    assert verify_certificate_id(identifier, "another-secret") is None
    assert verify_certificate_id(identifier, SECRET.encode()) is not None


@pytest.mark.parametrize(
    "text",
    ["", "-", "abc", "a" * 40, "a" * 41, "a" * 1000, "ß" * 40, "aaaa=" * 8, "0" * 40],
)
def test_what_cannot_be_an_identifier_is_refused(text):
    assert verify_certificate_id(text, SECRET) is None


def test_a_truncated_or_extended_identifier_is_refused():
    identifier = new_certificate_id(SECRET)
    assert verify_certificate_id(identifier[:-1], SECRET) is None
    assert verify_certificate_id(identifier + "a", SECRET) is None


def test_an_empty_secret_is_an_error():
    with pytest.raises(ValueError, match="secret"):
        new_certificate_id("")
    with pytest.raises(ValueError, match="hex"):
        certificate_id_for("not hex", SECRET)


def test_identifiers_share_nothing_so_none_can_be_guessed_from_another():
    identifiers = [new_certificate_id(SECRET) for _ in range(500)]
    keys = {verify_certificate_id(identifier, SECRET) for identifier in identifiers}
    assert len(keys) == len(identifiers)
    for first, second in itertools.pairwise(identifiers):
        same = sum(a == b for a, b in zip(first, second, strict=True) if a != "-")
        assert same < 12, (first, second)  # 40 / 32 expected by chance
    assert not any(a[:5] == b[:5] for a, b in itertools.pairwise(identifiers))


def test_the_random_part_is_128_bits_from_secrets(monkeypatch):
    calls = []

    def token_hex(n):
        calls.append(n)
        return "ab" * n

    monkeypatch.setattr("camp.certificates.ids.secrets.token_hex", token_hex)
    assert verify_certificate_id(new_certificate_id(SECRET), SECRET) == "ab" * 16
    assert calls == [RANDOM_BYTES] == [16]


@given(st.text(max_size=120))
def test_any_text_is_refused_or_verified_without_error(text):
    key = verify_certificate_id(text, SECRET)
    assert key is None or certificate_id_for(key, SECRET) == normalise_certificate_id(text)
