"""The verification address's QR code, encoded here by segno and drawn as vector squares.

Nothing is fetched and no image is made: each row's runs of dark modules become
rectangles of one filled path, on a white square that includes the quiet zone (four
modules each side, as the standard asks), so the code scans at any zoom and prints sharp.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import segno
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

QUIET_ZONE = 4  # modules
ERROR_LEVEL = "m"  # segno raises it when the same symbol size allows


@dataclass(frozen=True)
class QrSymbol:
    """The dark (True) and light modules of a QR code, top row first, no quiet zone."""

    rows: tuple[tuple[bool, ...], ...]

    @property
    def modules(self) -> int:
        return len(self.rows)

    def outer_side(self, symbol_width: float) -> float:
        """The side of the white square, quiet zone included, for a symbol this wide."""
        return symbol_width * (self.modules + 2 * QUIET_ZONE) / self.modules


def qr_symbol(data: str) -> QrSymbol:
    """The QR code (never a Micro QR code) of `data`."""
    code = segno.make_qr(data, error=ERROR_LEVEL, boost_error=True)
    return QrSymbol(rows=tuple(tuple(bool(module) for module in row) for row in code.matrix))


def dark_runs(rows: Sequence[Sequence[bool]]) -> Iterator[tuple[int, int, int]]:
    """Each horizontal run of dark modules as (row, first column, length)."""
    for r, row in enumerate(rows):
        start: int | None = None
        for c, dark in enumerate((*row, False)):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                yield r, start, c - start
                start = None


def draw_qr(canvas: Canvas, symbol: QrSymbol, x: float, y: float, symbol_width: float) -> float:
    """Draw `symbol` with its lower-left outer corner (quiet zone included) at (x, y);
    the side of the square drawn."""
    module = symbol_width / symbol.modules
    side = symbol.outer_side(symbol_width)
    top = y + side - QUIET_ZONE * module  # the symbol's top edge
    left = x + QUIET_ZONE * module
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, column, length in dark_runs(symbol.rows):
        path.rect(left + column * module, top - (row + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return side
