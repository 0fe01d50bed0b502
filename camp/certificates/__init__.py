"""Certificates: a cohort's rule for earning one, the certificates issued and revoked, their
PDF and their public verification page.

- `camp.certificates.rules`: the cohort's rule and who meets it.
- `camp.certificates.models`: the rule and the certificates (issued, revoked, with reasons).
- `camp.certificates.ids`: the public identifier of a certificate, long, random and signed
  with the secret key, so that `/certificates/<id>` can be public (nothing to enumerate)
  and can tell a forged identifier from an unknown one before asking the database.
- `camp.certificates.fonts`: which font draws the certificate, so that Chinese names come
  out right: a configured TrueType font, else one found on the machine (embedded as a
  subset), else ReportLab's built-in Chinese font (referenced, not embedded).
- `camp.certificates.qr`: the verification address's QR code, drawn as vector squares.
- `camp.certificates.layout`: measuring, shrinking and wrapping text (Latin and Chinese).
- `camp.certificates.pdf`: the certificate itself, one A4 landscape page, from the data
  and the fixed texts (translated by the caller).
"""
