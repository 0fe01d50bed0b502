"""The certificate of completion: one A4 landscape page drawn with ReportLab.

From the top: the camp's title and dates, the heading, "awarded to" and the student's
name exactly as written, the modules passed (one column up to five, else two or three,
shrunk and wrapped to fit), then at the foot the cohort, the date of issue, the
certificate number and the verification address beside the address's QR code. The fixed
texts come from `CertificateLabels`, which the caller translates (bilingual is fine: every
text shrinks, then wraps, to fit). The output is byte-for-byte the same for the same
data and font (ReportLab's invariant mode: no time stamp, no random document id).
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from camp.certificates.fonts import CertificateFont, certificate_font
from camp.certificates.layout import Fitted, fit, width, wrap
from camp.certificates.qr import QUIET_ZONE, draw_qr, qr_symbol

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 72.0  # the text's left and right margins, inside the frame
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_WIDTH = 30 * mm  # the symbol, without its quiet zone
# ReportLab's TrueType font is one parser shared by every document that embeds it: two
# threads subsetting it at once read each other's place in the file (an IndexError about
# one run in five of the parallel test). A certificate takes ~12 ms: one at a time.
_ONE_AT_A_TIME = threading.Lock()
FOOT_BOTTOM = 48.0
INK = HexColor("#1f3a5f")
GOLD = HexColor("#a8865a")
GREY = HexColor("#55595f")
LABEL_SIZE, VALUE_SIZE = 9.0, 10.5  # the foot's table
LINE_PITCH, ROW_GAP = 1.3, 3.0
COLUMN_GAP = 28.0  # between columns of modules
MODULES_LABEL = (11.0, 8.0)  # largest and smallest size

Wrapped = tuple[str, list[str]]  # a text's font name and its lines


@dataclass(frozen=True)
class CertificateLabels:
    """The fixed texts of a certificate, in English unless the caller translates them."""

    heading: str = "Certificate of completion"
    awarded_to: str = "awarded to"
    modules: str = "Modules completed"
    cohort: str = "Cohort"
    issued_on: str = "Issued on"
    number: str = "Certificate number"
    verify_at: str = "Verify at"
    scan_to_verify: str = "Scan to verify"  # under the QR code; empty for none
    language: str = "en"  # the labels' language: the PDF's /Lang, for screen readers


@dataclass(frozen=True)
class CertificateData:
    """Everything a certificate shows, as text, formatted by the caller (dates included)."""

    student_name: str
    cohort_name: str
    camp_title: str
    camp_dates: str
    modules: tuple[str, ...]
    issued_on: str
    certificate_id: str
    verification_url: str
    labels: CertificateLabels = field(default_factory=CertificateLabels)


def certificate_pdf(
    data: CertificateData,
    font: str | os.PathLike[str] | CertificateFont | None = None,
) -> bytes:
    """The certificate as a PDF. `font`: a TrueType font file with Chinese characters
    (`CAMP_CERTIFICATE_FONT`), or a font already chosen, or None to search the machine
    (see `camp.certificates.fonts`)."""
    chosen = font if isinstance(font, CertificateFont) else certificate_font(font)
    with _ONE_AT_A_TIME:
        return _drawn(data, chosen)


def _drawn(data: CertificateData, chosen: CertificateFont) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        initialFontName=chosen.name,  # else an unused Helvetica is listed
        pageCompression=1,
        lang=data.labels.language,
    )
    _metadata(canvas, data)
    _frame(canvas)
    y = _head(canvas, data, chosen)
    foot_top = _foot(canvas, data, chosen)
    _modules(canvas, data, chosen, top=y, bottom=foot_top + 18)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _metadata(canvas: Canvas, data: CertificateData) -> None:
    canvas.setTitle(f"{data.labels.heading}: {data.student_name}")
    canvas.setAuthor("Camp")
    canvas.setCreator("Camp")
    canvas.setSubject(f"{data.camp_title}, {data.cohort_name} ({data.certificate_id})")


def _frame(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(2.5)
    canvas.rect(18, 18, PAGE_WIDTH - 36, PAGE_HEIGHT - 36, stroke=1, fill=0)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(26, 26, PAGE_WIDTH - 52, PAGE_HEIGHT - 52, stroke=1, fill=0)
    canvas.setFillColor(GOLD)
    for x in (26, PAGE_WIDTH - 26):
        for y in (26, PAGE_HEIGHT - 26):
            _diamond(canvas, x, y, 5)
    canvas.restoreState()


def _head(canvas: Canvas, data: CertificateData, font: CertificateFont) -> float:
    """Draw from the camp's title to the student's name; the y below the name."""
    y = PAGE_HEIGHT - 78
    y = _centred(canvas, data.camp_title, font, y, GOLD, 18, 11, lines=2, leading=1.25)
    y = _centred(canvas, data.camp_dates, font, y - 2, GREY, 11, 8, lines=1)
    y = _centred(canvas, data.labels.heading, font, y - 26, INK, 32, 18, lines=2, leading=1.2)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(PAGE_WIDTH / 2 - 60, y + 14, PAGE_WIDTH / 2 + 60, y + 14)
    y = _centred(canvas, data.labels.awarded_to, font, y - 8, GREY, 12, 8, lines=1)
    return _centred(
        canvas, data.student_name, font, y - 30, INK, 40, 20, lines=2, leading=1.2, bold=True
    )


def _centred(
    canvas: Canvas,
    text: str,
    font: CertificateFont,
    y: float,
    colour: Color,
    max_size: float,
    min_size: float,
    *,
    lines: int,
    leading: float = 1.35,
    bold: bool = False,
) -> float:
    """Draw `text` centred with its first baseline at `y`, shrunk or wrapped to the
    content's width; the baseline after it."""
    name = font.for_text(text)
    fitted = fit(
        text, name, max_size=max_size, min_size=min_size, max_width=CONTENT_WIDTH, max_lines=lines
    )
    canvas.saveState()
    canvas.setFillColor(colour)
    if bold:  # the CJK fonts have no bold face: outline the glyphs in their own colour
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(fitted.size * 0.03)
    for line in fitted.lines:
        text_object = canvas.beginText()
        text_object.setFont(name, fitted.size)
        text_object.setTextRenderMode(2 if bold else 0)
        text_object.setTextOrigin(PAGE_WIDTH / 2 - width(line, name, fitted.size) / 2, y)
        text_object.textOut(line)
        canvas.drawText(text_object)
        y -= fitted.size * leading
    canvas.restoreState()
    return y


def _modules(
    canvas: Canvas, data: CertificateData, font: CertificateFont, *, top: float, bottom: float
) -> None:
    """The label and the modules' titles, centred between `top` and `bottom`: one column up
    to five modules, two up to twelve, else three; shrunk, then wrapped, to fit."""
    if not data.modules:
        return
    label_name = font.for_text(data.labels.modules)
    largest, smallest = MODULES_LABEL
    label = fit(
        data.labels.modules,
        label_name,
        max_size=largest,
        min_size=smallest,
        max_width=CONTENT_WIDTH,
    )
    label_height = label.size * 2.2
    columns = 1 if len(data.modules) <= 5 else 2 if len(data.modules) <= 12 else 3
    per_column = -(-len(data.modules) // columns)
    groups = [data.modules[i : i + per_column] for i in range(0, len(data.modules), per_column)]
    column_width = min(520.0, (CONTENT_WIDTH - COLUMN_GAP * (len(groups) - 1)) / len(groups))
    size, wrapped = _modules_size(groups, font, column_width, budget=top - bottom - label_height)
    height = label_height + max(_column_height(column, size) for column in wrapped)
    y = (top + bottom) / 2 + height / 2
    _centred(canvas, data.labels.modules, font, y - label.size, GOLD, largest, smallest, lines=1)
    bullet = size * 0.9
    widths = [
        max(width(line, name, size) for name, lines in group for line in lines) for group in wrapped
    ]
    left = (
        PAGE_WIDTH / 2 - (sum(widths) + bullet * len(widths) + COLUMN_GAP * (len(widths) - 1)) / 2
    )
    canvas.saveState()
    for group, group_width in zip(wrapped, widths, strict=True):
        _module_column(canvas, group, size, left, y - label_height)
        left += bullet + group_width + COLUMN_GAP
    canvas.restoreState()


def _modules_size(
    groups: list[tuple[str, ...]], font: CertificateFont, column_width: float, budget: float
) -> tuple[float, list[list[Wrapped]]]:
    """The largest size (13 pt down to 7) at which every column fits `budget` points of
    height, and each column's titles wrapped at that size."""
    size = 13.0
    while True:
        text_width = column_width - size * 0.9
        wrapped = [[_wrapped(title, font, size, text_width) for title in g] for g in groups]
        height = max(_column_height(column, size) for column in wrapped)
        if height <= budget or size <= 7:
            return size, wrapped
        size -= 0.5


def _wrapped(text: str, font: CertificateFont, size: float, max_width: float) -> Wrapped:
    name = font.for_text(text)
    return name, wrap(text, name, size, max_width)


def _column_height(column: list[Wrapped], size: float) -> float:
    lines = sum(len(lines) for _, lines in column)
    return lines * size * 1.3 + (len(column) - 1) * size * 0.45


def _module_column(canvas: Canvas, column: list[Wrapped], size: float, x: float, y: float) -> None:
    for name, lines in column:
        y -= size
        canvas.setFillColor(GOLD)
        _diamond(canvas, x + size * 0.3, y + size * 0.33, size * 0.2)
        canvas.setFillColor(INK)
        canvas.setFont(name, size)
        for line in lines:
            canvas.drawString(x + size * 0.9, y, line)
            y -= size * 1.3
        y += size * 1.3 - size * 0.3 - size * 0.45


def _foot(canvas: Canvas, data: CertificateData, font: CertificateFont) -> float:
    """The cohort, the date, the number and the address, left, and the QR code, right;
    the y of the foot's top (the QR code's, or the table's if higher)."""
    symbol = qr_symbol(data.verification_url)
    side = symbol.outer_side(QR_WIDTH)
    qr_x = PAGE_WIDTH - MARGIN - side + QUIET_ZONE * QR_WIDTH / symbol.modules  # symbol aligns
    draw_qr(canvas, symbol, qr_x, FOOT_BOTTOM + 10, QR_WIDTH)
    canvas.linkURL(
        data.verification_url, (qr_x, FOOT_BOTTOM + 10, qr_x + side, FOOT_BOTTOM + 10 + side)
    )
    if data.labels.scan_to_verify:
        caption = data.labels.scan_to_verify
        name = font.for_text(caption)
        fitted = fit(caption, name, max_size=8, min_size=6, max_width=side)
        canvas.setFillColor(GREY)
        canvas.setFont(name, fitted.size)
        canvas.drawCentredString(qr_x + side / 2, FOOT_BOTTOM + 2, fitted.lines[0])
    rows = (
        (data.labels.cohort, data.cohort_name, 2),
        (data.labels.issued_on, data.issued_on, 1),
        (data.labels.number, data.certificate_id, 1),
        (data.labels.verify_at, data.verification_url, 2),
    )
    table_top = _table(canvas, rows, font, right=qr_x - 18)
    return max(table_top, FOOT_BOTTOM + 10 + side)


def _table(
    canvas: Canvas, rows: tuple[tuple[str, str, int], ...], font: CertificateFont, right: float
) -> float:
    """Labels right-aligned in a column, values beside them, the last row ending on
    FOOT_BOTTOM; the y of the table's top."""
    labels = [label for label, _, _ in rows]
    label_width = min(190.0, max(width(text, font.for_text(text), LABEL_SIZE) for text in labels))
    value_x = MARGIN + label_width + 14
    names = [font.for_text(value) for _, value, _ in rows]
    values = [
        fit(
            value, name, max_size=VALUE_SIZE, min_size=7, max_width=right - value_x, max_lines=lines
        )
        for (_, value, lines), name in zip(rows, names, strict=True)
    ]
    top = FOOT_BOTTOM + sum(_row_height(value) for value in values)
    y = top
    for label, value, name in zip(labels, values, names, strict=True):
        baseline = y - value.size
        label_name = font.for_text(label)
        label_fit = fit(label, label_name, max_size=LABEL_SIZE, min_size=6.5, max_width=label_width)
        canvas.setFillColor(GREY)
        canvas.setFont(label_name, label_fit.size)
        canvas.drawRightString(MARGIN + label_width, baseline, label_fit.lines[0])
        canvas.setFillColor(INK)
        canvas.setFont(name, value.size)
        for line in value.lines:
            canvas.drawString(value_x, baseline, line)
            baseline -= value.size * LINE_PITCH
        y -= _row_height(value)
    return top


def _row_height(value: Fitted) -> float:
    return value.size * LINE_PITCH * len(value.lines) + ROW_GAP


def _diamond(canvas: Canvas, x: float, y: float, r: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + r)
    path.lineTo(x + r, y)
    path.lineTo(x, y - r)
    path.lineTo(x - r, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
