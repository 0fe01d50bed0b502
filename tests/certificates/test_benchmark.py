"""benchmarks/certificates.py, small: it runs, its ZIP holds valid certificates, and its
last line is the JSON the README and the issue name. Never a timing: machines vary."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf

from camp.certificates.ids import verify_certificate_id

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"font", "font_load_ms", "one_ms", "one_max_ms", "pdf_bytes", "zip_s", "zip_bytes"}


def test_a_small_run_reports_every_field_and_zips_valid_certificates(tmp_path):
    out = tmp_path / "cohort.zip"
    done = subprocess.run(
        [
            sys.executable,
            "benchmarks/certificates.py",
            "--repeat",
            "2",
            "--zip-count",
            "3",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result.keys() >= FIELDS
    assert result["zip_count"] == 3
    assert result["zip_200_s"] is None
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert len(names) == 3
        for name in names:
            identifier = name.removesuffix(".pdf").split("-", 1)[1]
            assert verify_certificate_id(identifier, "benchmark-secret") is not None
            text = pypdf.PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
            assert identifier in text
