"""Certificates: a cohort's rule for earning one, the certificates issued and revoked, their
PDF and their public verification page."""
