"""The QR code on the certificate: rendered and decoded, it is the verification address;
it is at least 25 mm wide; its squares are segno's modules."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
import segno
import zxingcpp
from reportlab.lib.units import mm

from camp.certificates.pdf import certificate_pdf
from camp.certificates.qr import QUIET_ZONE, dark_runs, qr_symbol

from .conftest import sample

SCALE = 3  # pixels per point: 216 dpi


def decoded(pdf: bytes) -> list[zxingcpp.Result]:
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        image = document[0].render(scale=SCALE).to_pil()
    finally:
        document.close()
    return [found for found in zxingcpp.read_barcodes(image) if found.valid]


@pytest.mark.parametrize(
    "url",
    [
        "https://camp.example.edu.cn/certificates/aaise-m2ekv-thpce-zvk54-zxpo7-5k2ke-k33ph-nhwfz",
        "http://192.168.1.20:8000/certificates/aaise-m2ekv-thpce-zvk54-zxpo7-5k2ke-k33ph-nhwfz",
        "https://ip-training-camp.graduate-school.university.example.edu.cn/camp/2026/summer"
        "/certificates/aaise-m2ekv-thpce-zvk54-zxpo7-5k2ke-k33ph-nhwfz?lang=zh-Hans",
    ],
)
def test_the_rendered_qr_code_decodes_to_the_verification_url(any_font, url):
    found = decoded(certificate_pdf(sample(verification_url=url), any_font))
    assert [(result.format, result.text) for result in found] == [
        (zxingcpp.BarcodeFormat.QRCode, url)
    ]


def test_the_qr_code_is_at_least_25_mm_wide(any_font):
    (found,) = decoded(certificate_pdf(sample(), any_font))
    corners = found.position
    width_pt = (corners.top_right.x - corners.top_left.x) / SCALE
    assert width_pt >= 25 * mm


def test_the_drawn_runs_are_segnos_modules():
    url = "https://camp.example.edu.cn/certificates/aaise-m2ekv-thpce-zvk54-zxpo7-5k2ke-k33ph-nhwfz"
    symbol = qr_symbol(url)
    expected = segno.make_qr(url, error="m").matrix
    size = symbol.modules
    rebuilt = [[False] * size for _ in range(size)]
    for row, column, length in dark_runs(symbol.rows):
        for c in range(column, column + length):
            assert not rebuilt[row][c]
            rebuilt[row][c] = True
    assert rebuilt == [[bool(module) for module in row] for row in expected]


def test_the_quiet_zone_is_four_modules_each_side():
    symbol = qr_symbol("https://camp.example.edu.cn/certificates/x")
    assert QUIET_ZONE == 4
    assert symbol.outer_side(symbol.modules) == symbol.modules + 8
