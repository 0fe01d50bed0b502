"""Which font draws a certificate: one that covers Chinese, embedded when there is one.

In order:

1. the configured font (the app passes `CAMP_CERTIFICATE_FONT`): a TrueType font (.ttf, or
   .ttc whose first face is used) with Chinese characters; if it is missing or unusable,
   that is an error (`CertificateFontError`), never a quiet change of font;
2. the first usable font of `SEARCH_PATHS`, common places of TrueType CJK fonts on Debian
   and Ubuntu (`fonts-wqy-microhei`, in CI), Fedora, Windows and macOS;
3. ReportLab's built-in Adobe font `STSong-Light`: referenced by name, not embedded, so
   the reader's PDF viewer supplies the glyphs (Acrobat and pdf.js do; some viewers need a
   language pack), and text extraction depends on the reader knowing Adobe's GB1 encoding.

A found TrueType font draws everything (it covers Latin too), embedded as a subset of
the glyphs used. With the fallback, a text with any character beyond Latin-1 is drawn in
STSong-Light, the rest in Times-Roman. ReportLab reads TrueType outlines only: an .otf or
.ttc with PostScript (CFF) outlines, like Noto Sans CJK, is refused and skipped.

Loading a font file (parsing a few megabytes) happens once per path per process.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

from camp import caches

log = logging.getLogger(__name__)

CID_FONT = "STSong-Light"
LATIN_FONT = "Times-Roman"  # with the CID fallback: texts in Latin-1 only
PROBE = "中文证书"  # a font without these cannot write a Chinese name

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
SEARCH_PATHS: tuple[Path, ...] = (
    # Debian, Ubuntu (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-arphic-*, fonts-droid-*)
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    # Fedora, Arch
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"),
    # Windows
    _WINDOWS_FONTS / "msyh.ttc",
    _WINDOWS_FONTS / "msyh.ttf",
    _WINDOWS_FONTS / "simhei.ttf",
    _WINDOWS_FONTS / "simsun.ttc",
    _WINDOWS_FONTS / "Deng.ttf",
    # macOS
    Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("/System/Library/Fonts/STHeiti Medium.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
)


class CertificateFontError(ValueError):
    """The configured certificate font cannot be used (missing, CFF outlines, no Chinese)."""


@dataclass(frozen=True)
class CertificateFont:
    """The font a certificate is drawn with, as ReportLab knows it."""

    name: str  # ReportLab's name for the font: what `setFont` takes
    path: Path | None  # the TrueType file embedded, None for the built-in CID font

    @property
    def embedded(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        """What a report or benchmark prints: the font file, or `cid:STSong-Light`."""
        return str(self.path) if self.path is not None else f"cid:{self.name}"

    def missing(self, text: str) -> str:
        """The characters of `text` this font has no glyph for, each once, in order: a
        name with one of them would print with an empty box, so the app can warn first.
        Always empty for the CID font, whose coverage ReportLab does not list."""
        if self.path is None:
            return ""
        covered = pdfmetrics.getFont(self.name).face.charToGlyph
        return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in covered))

    def for_text(self, text: str) -> str:
        """The font name to draw `text` with."""
        if self.path is not None or not _latin1(text):
            return self.name
        return LATIN_FONT


def certificate_font(configured: str | os.PathLike[str] | None = None) -> CertificateFont:
    """The font to draw certificates with (see the module's docstring for the order)."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise CertificateFontError(f"certificate font {path}: no such file")
        try:
            return CertificateFont(name=_load_truetype(str(path.resolve())), path=path)
        except (TTFError, OSError, ValueError) as error:
            raise CertificateFontError(f"certificate font {path}: {error}") from error
    for candidate in SEARCH_PATHS:
        if candidate.is_file():
            try:
                return CertificateFont(name=_load_truetype(str(candidate)), path=candidate)
            except (TTFError, OSError, ValueError) as error:
                log.info("certificate font %s skipped: %s", candidate, error)
    return cid_font()


def cid_font() -> CertificateFont:
    """ReportLab's built-in Chinese font, referenced by name in the PDF, never embedded."""
    return CertificateFont(name=_register_cid(), path=None)


@functools.lru_cache(maxsize=8)
def _load_truetype(path: str) -> str:
    """Parse and register a TrueType font (a .ttc's first face); its ReportLab name."""
    name = f"CampCert-{Path(path).stem}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"
    font = TTFont(name, path, subfontIndex=0)
    missing = [char for char in PROBE if ord(char) not in font.face.charToGlyph]
    if missing:
        raise ValueError(f"no Chinese characters (no glyph for {''.join(missing)})")
    pdfmetrics.registerFont(font)
    return name


@functools.lru_cache(maxsize=1)
def _register_cid() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return str(CID_FONT)


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


caches.register_function("certificates.fonts.truetype", _load_truetype)
caches.register_function("certificates.fonts.cid", _register_cid)
