"""The certificate PDF: A4 landscape, the name as written (Chinese included) in its text,
the fonts it embeds or names, its metadata, a stable output, and a layout that holds."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.units import mm

from camp.certificates.fonts import cid_font
from camp.certificates.pdf import certificate_pdf
from camp.certificates.qr import qr_symbol

from .conftest import BILINGUAL, char_boxes, sample, text_lines

ROOT = Path(__file__).resolve().parents[2]
A4_LANDSCAPE = (297 * mm, 210 * mm)


def text_of(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def fonts_of(pdf: bytes) -> list[pypdf.generic.DictionaryObject]:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return [font.get_object() for font in page["/Resources"]["/Font"].values()]


def test_one_a4_landscape_page(any_font):
    reader = pypdf.PdfReader(io.BytesIO(certificate_pdf(sample(), any_font)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=0.01)


@pytest.mark.parametrize("name", ["李小龙", "Zhang Wei 张伟", "欧阳娜娜", "Zoë O'Brien-Łukasz"])
def test_the_name_extracted_from_the_pdf_is_the_name_as_written(embedded_font, name):
    modules = ("Patents: the basics", "专利检索与分析", "Trade marks 商标")
    text = text_of(certificate_pdf(sample(student_name=name, modules=modules), embedded_font))
    assert name in text.splitlines()
    for module in modules:
        assert module in text.splitlines()


def test_the_embedded_font_is_a_subset_of_the_truetype_file(embedded_font):
    pdf = certificate_pdf(sample(student_name="李小龙"), embedded_font)
    descriptors = [font["/FontDescriptor"].get_object() for font in fonts_of(pdf)]
    assert descriptors
    assert all("/FontFile2" in descriptor for descriptor in descriptors)
    assert all(font["/ToUnicode"] for font in fonts_of(pdf))  # what makes text extractable


def test_the_cid_fallback_names_its_font_and_the_name_still_extracts():
    """STSong-Light is not embedded: the viewer supplies it. pypdf (and Acrobat, pdf.js)
    map its UniGB-UCS2-H codes back to Unicode, so extraction works; the embedded font is
    still preferred, since viewers without Adobe's Chinese fonts draw a substitute."""
    pdf = certificate_pdf(sample(student_name="Zhang Wei 张伟"), cid_font())
    fonts = {str(font["/BaseFont"]): font for font in fonts_of(pdf)}
    assert "/STSong-Light" in fonts
    assert fonts["/STSong-Light"]["/Encoding"] == "/UniGB-UCS2-H"
    descendant = fonts["/STSong-Light"]["/DescendantFonts"][0].get_object()
    assert "/FontFile2" not in descendant["/FontDescriptor"].get_object()
    lines = text_of(pdf).splitlines()
    assert "Zhang Wei 张伟" in lines
    assert "专利检索与分析" in lines


def test_every_text_is_in_the_pdf(any_font):
    data = sample(labels=BILINGUAL)
    lines = text_of(certificate_pdf(data, any_font)).splitlines()
    expected = [
        data.student_name,
        data.cohort_name,
        data.camp_title,
        data.camp_dates,
        data.issued_on,
        data.certificate_id,
        data.verification_url,
        *data.modules,
        BILINGUAL.heading,
        BILINGUAL.awarded_to,
        BILINGUAL.modules,
        BILINGUAL.cohort,
        BILINGUAL.issued_on,
        BILINGUAL.number,
        BILINGUAL.verify_at,
        BILINGUAL.scan_to_verify,
    ]
    assert [text for text in expected if text not in lines] == []


def test_the_metadata_names_the_certificate(any_font):
    data = sample(student_name="李小龙")
    metadata = pypdf.PdfReader(io.BytesIO(certificate_pdf(data, any_font))).metadata
    assert metadata is not None
    assert metadata.title == "Certificate of completion: 李小龙"
    assert metadata.author == "Camp"
    assert metadata.subject is not None
    assert data.camp_title in metadata.subject
    assert data.certificate_id in metadata.subject


def test_the_same_data_gives_the_same_bytes_in_another_process(any_font):
    data = sample(labels=BILINGUAL)
    pdf = certificate_pdf(data, any_font)
    assert certificate_pdf(data, any_font) == pdf
    font = "cid_font()" if not any_font.embedded else f"certificate_font({str(any_font.path)!r})"
    script = (
        "import hashlib, sys\n"
        "from camp.certificates.fonts import certificate_font, cid_font\n"
        "from camp.certificates.pdf import CertificateData, CertificateLabels, certificate_pdf\n"
        f"data = {data!r}\n"
        f"sys.stdout.write(hashlib.sha256(certificate_pdf(data, {font})).hexdigest())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == hashlib.sha256(pdf).hexdigest()


def test_certificates_made_in_parallel_threads_are_those_made_one_by_one(any_font):
    """The web server's threads share the font; ReportLab keeps a subset per document."""
    names = ["李小龙", "张伟", "欧阳娜娜", "Zhang Wei 张伟", "王芳", "刘洋", "陈静", "杨磊"] * 3
    certificates = [sample(student_name=name, labels=BILINGUAL) for name in names]
    alone = [certificate_pdf(data, any_font) for data in certificates]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads swap as often as they can: a race shows every run
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            together = list(pool.map(lambda data: certificate_pdf(data, any_font), certificates))
    finally:
        sys.setswitchinterval(interval)
    assert together == alone


LONG_NAME = "Maximiliano Alejandro Fernández de la Cruz-Villanueva y Montenegro Sánchez"
LONG_MODULE = "知识产权战略与管理：从实验室到市场 Patent drafting, claims and prior art search"


@pytest.mark.parametrize("count", [1, 2, 5, 6, 10])
@pytest.mark.parametrize("name", ["李小龙", LONG_NAME, "司马" * 20])
def test_the_layout_holds_with_long_names_and_up_to_ten_modules(any_font, name, count):
    """Every character inside the frame and clear of the QR code; no two lines of text
    overlapping."""
    modules = tuple(f"{n}. {LONG_MODULE[: 8 + 7 * n]}" for n in range(1, count + 1))
    data = sample(
        student_name=name,
        modules=modules,
        labels=BILINGUAL,
        cohort_name="2026 年暑期国际班 International summer cohort B (Shanghai and Hangzhou)",
        camp_title="Intellectual Property Training Camp for Doctoral Candidates 知识产权训练营",
    )
    pdf = certificate_pdf(data, any_font)
    boxes = [box for _, box in char_boxes(pdf)]
    frame = (26 + 4, 26 + 4, A4_LANDSCAPE[0] - 30, A4_LANDSCAPE[1] - 30)
    assert all(_inside(box, frame) for box in boxes)
    qr_square = _qr_square(data.verification_url)
    assert not any(_overlap(box, qr_square) for box in boxes)
    lines = text_lines(pdf)
    clashes = [
        (a, b) for i, a in enumerate(lines) for b in lines[i + 1 :] if _overlap(a[1], b[1], 0.5)
    ]
    assert clashes == []
    lines = text_of(pdf).splitlines()
    assert "".join(name.split()) in "".join("".join(lines).split())
    assert all(module in " ".join(lines) or _wrapped_in(module, lines) for module in modules)


def _qr_square(url: str) -> tuple[float, float, float, float]:
    from camp.certificates import pdf as layout

    symbol = qr_symbol(url)
    right = layout.PAGE_WIDTH - layout.MARGIN
    bottom = layout.FOOT_BOTTOM + 10
    return (right - layout.QR_WIDTH, bottom, right, bottom + symbol.outer_side(layout.QR_WIDTH))


def _inside(box, frame) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _overlap(a, b, margin: float = 0.0) -> bool:
    return (
        a[0] + margin < b[2] - margin
        and b[0] + margin < a[2] - margin
        and a[1] + margin < b[3] - margin
        and b[1] + margin < a[3] - margin
    )


def _wrapped_in(module: str, lines: list[str]) -> bool:
    return "".join(module.split()) in "".join("".join(lines).split())
