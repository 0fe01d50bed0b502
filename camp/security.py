"""Response headers every page carries, and proxy handling for deployments.

Behind HTTPS (CAMP_SECURE_COOKIES=true, i.e. SESSION_COOKIE_SECURE) every response also
carries `Strict-Transport-Security: max-age=31536000; includeSubDomains`: for a year after
each visit, browsers reach this host and its subdomains over HTTPS only, so neither a
plain-HTTP link nor a network attacker can downgrade a later visit to unencrypted HTTP.
It is never sent otherwise: over plain HTTP it would lock browsers out of a site that
has no certificate.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Sent on every response unless the view set its own.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)
# One year; not preloaded, since the preload list is a commitment beyond one deployment.
STRICT_TRANSPORT_SECURITY = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


# C0 control characters other than tab, newline and carriage return: NUL cannot be
# stored by PostgreSQL and none of them belongs in a form field.
_CONTROL_CODES = (*(c for c in range(32) if c not in (9, 10, 13)), 0x7F)
_CONTROL = dict.fromkeys(_CONTROL_CODES)
# The same characters, to find one (an upload is refused rather than cleaned).
CONTROL_CHARACTER = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_CODES) + "]")


def clean_text(value: str) -> str:
    return value.translate(_CONTROL)


def _clean_form() -> None:
    """Strip control characters from every submitted form value before any view reads it."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.form:
        return
    cleaned = MultiDict((key, clean_text(value)) for key, value in request.form.items(multi=True))
    request.form = ImmutableMultiDict(cleaned)


def register_security(app: Flask) -> None:
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        # Wrapping the WSGI app as Flask's documentation does (a checker sees a method).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    app.before_request(_clean_form)
    sent: tuple[tuple[str, str], ...] = (
        SECURITY_HEADERS  # chosen once: settings are fixed when the app is built
    )
    if app.config["SESSION_COOKIE_SECURE"]:
        sent = (*SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY)

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        # One pass over the headers set so far (setdefault scanned them once per header).
        present = {name.lower() for name, _ in headers.items()}
        for name, value in sent:
            if name.lower() not in present:
                headers.add(name, value)
        if "cache-control" not in present and response.mimetype == "text/html":
            headers.add("Cache-Control", "no-store")
        return response
