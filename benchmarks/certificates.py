"""Time one certificate PDF and a cohort's ZIP of certificates (targets: 200 ms, 30 s).

    python benchmarks/certificates.py --repeat 50 --zip-count 200

No app and no database: `camp.certificates` alone, with the font it finds on this machine
(or --font PATH, or --cid for ReportLab's built-in CID font). The data is a realistic
worst case: a bilingual set of labels, eight modules with Chinese and English titles, a
Chinese name. Loading the font happens once per process and is timed apart (font_load_ms).
Then the median and the slowest of --repeat certificates after one warm-up (one_ms,
one_max_ms), and a ZIP (deflated, in memory) of --zip-count certificates, each with its
own name and a new signed identifier (zip_s; zip_200_s when there are 200). Progress goes
to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from camp.certificates.fonts import CertificateFont, certificate_font, cid_font
from camp.certificates.ids import new_certificate_id
from camp.certificates.pdf import CertificateData, CertificateLabels, certificate_pdf

SECRET = "benchmark-secret"
URL = "https://camp.example.edu.cn/certificates/"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬"
MODULES = (
    "Patents: the basics 专利基础",
    "专利检索与分析",
    "Copyright and software 著作权与软件",
    "Trade marks and brands",
    "Licensing and technology transfer 许可与技术转移",
    "知识产权战略与管理：从实验室到市场",
    "Trade secrets in research labs",
    "Design rights 外观设计",
)
LABELS = CertificateLabels(
    heading="结业证书 Certificate of completion",
    awarded_to="授予 awarded to",
    modules="已完成模块 Modules completed",
    cohort="班级 Cohort",
    issued_on="颁发日期 Issued on",
    number="证书编号 Certificate number",
    verify_at="验证网址 Verify at",
    scan_to_verify="扫码验证 Scan to verify",
    language="zh-Hans",
)


def certificate(name: str) -> CertificateData:
    identifier = new_certificate_id(SECRET)
    return CertificateData(
        student_name=name,
        cohort_name="2026 年暑期第一期 Summer 2026, cohort A",
        camp_title="Intellectual Property Training Camp 知识产权训练营",
        camp_dates="6\u201310 July 2026",
        modules=MODULES,
        issued_on="10 July 2026",
        certificate_id=identifier,
        verification_url=URL + identifier,
        labels=LABELS,
    )


def names(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    found = [
        rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        for _ in range(count)
    ]
    return [f"{name} Student {n}" if n % 5 == 0 else name for n, name in enumerate(found)]


def time_one(font: CertificateFont, repeat: int) -> tuple[list[float], int]:
    data = certificate("李小龙")
    size = len(certificate_pdf(data, font))  # the warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        certificate_pdf(data, font)
        times.append((time.perf_counter() - started) * 1000)
    return times, size


def cohort_zip(font: CertificateFont, count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, name in enumerate(names(count), start=1):
            data = certificate(name)
            entry = zipfile.ZipInfo(f"{n:03d}-{data.certificate_id}.pdf", (2026, 7, 10, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, certificate_pdf(data, font))
            if n % 50 == 0:
                print(f"  {n} certificates zipped", file=sys.stderr)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--zip-count", type=int, default=200)
    parser.add_argument("--font", help="a TrueType font with Chinese (CAMP_CERTIFICATE_FONT)")
    parser.add_argument("--cid", action="store_true", help="ReportLab's CID font, not embedded")
    parser.add_argument("--out", type=Path, help="also write the ZIP here")
    args = parser.parse_args()

    started = time.perf_counter()
    font = cid_font() if args.cid else certificate_font(args.font)
    font_load_ms = (time.perf_counter() - started) * 1000
    print(f"font {font.describe()} loaded in {font_load_ms:.0f} ms", file=sys.stderr)

    times, pdf_bytes = time_one(font, args.repeat)
    print(f"one certificate: median {statistics.median(times):.1f} ms", file=sys.stderr)

    started = time.perf_counter()
    archive = cohort_zip(font, args.zip_count)
    zip_s = time.perf_counter() - started
    print(f"ZIP of {args.zip_count}: {zip_s:.2f} s, {len(archive)} bytes", file=sys.stderr)
    if args.out:
        args.out.write_bytes(archive)

    result = {
        "font": font.describe(),
        "font_load_ms": round(font_load_ms, 1),
        "repeat": args.repeat,
        "one_ms": round(statistics.median(times), 1),
        "one_max_ms": round(max(times), 1),
        "pdf_bytes": pdf_bytes,
        "zip_count": args.zip_count,
        "zip_s": round(zip_s, 2),
        "zip_200_s": round(zip_s, 2) if args.zip_count == 200 else None,
        "zip_bytes": len(archive),
    }
    print(
        f"one certificate {result['one_ms']} ms (target 200 ms), "
        f"ZIP of {args.zip_count} {result['zip_s']} s (target for 200: 30 s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
