"""Where phones join a live session: the address the projector shows and its QR code holds.

A camp runs on the organiser's laptop: the presenter's browser often reaches Camp as
`localhost`, which no phone can use. So the join address is `CAMP_PUBLIC_URL` when set,
else the address the presenter used, with this machine's address on the local network in
place of a loopback name. The QR code is drawn here (segno, as SVG), never fetched.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

import segno
from flask import current_app, request, url_for
from markupsafe import Markup

from camp import caches

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def join_url(code: str) -> str:
    """The address a phone opens to join the session with this code."""
    path = url_for("live.phone.phone", code=code)
    configured = current_app.config.get("CAMP_PUBLIC_URL") or ""
    if configured:
        return configured + path
    parts = urlsplit(request.host_url)
    host = parts.hostname or ""
    if _is_loopback(host):
        address = lan_address()
        if address is not None:
            port = f":{parts.port}" if parts.port else ""
            parts = parts._replace(netloc=f"{address}{port}")
    return urlunsplit(parts._replace(path=path, query="", fragment=""))


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=1)
def lan_address() -> str | None:
    """This machine's address on its local network, or None (no network). Connecting a
    UDP socket sends nothing: it only asks the system which address it would use."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def qr_svg(url: str, label: str) -> Markup:
    """`url` as a QR code: an inline SVG image named by `label` for screen readers."""
    return _qr_svg(url, label)


@functools.lru_cache(maxsize=64)
def _qr_svg(url: str, label: str) -> Markup:
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=2, dark="#000", light="#fff", title=label, omitsize=True)
    named = f'<svg role="img" aria-label="{Markup.escape(label)}" '
    svg = svg.replace("<svg ", named, 1)
    return Markup(svg)  # noqa: S704  (segno's SVG of our own URL; the label is escaped)


caches.register_function("live join address", lan_address)
caches.register_function("live QR codes", _qr_svg)
