"""Reader benchmarks, each beside a baseline run in the same script on the same input.

1. Text PDFs: pages/s of ``read_document`` (pdfplumber, paragraphs, tables, headers/footers)
   on one core, beside pdfplumber's own ``extract_text`` over the same pages.
   Target: ≥ 10 pages/s per core.
2. OCR: seconds per page of ``read_document`` on a scanned PDF (render at 300 dpi, Tesseract
   ``vie``, layout), beside the raw ``tesseract`` command on the same page images (already
   rendered to PNG), both with the same number of parallel processes of one thread each.
   Target: our overhead ≤ 20 %. With ../shared present, the cost of checking the header's
   handwritten number and date on the scanned Quảng Ngãi documents, within reading them, and
   the second recogniser's (RapidOCR) share of it.
3. Memory: peak resident memory of reading a generated 400-page PDF, in a fresh process,
   beside the same process that only imports the readers. Target: < 1 GB.

    python3 bench/readers.py [--pages 400] [--ocr-pages 4]

Documents are generated here (reportlab, DejaVu fonts from scripts/install-system-deps.sh);
with ../shared present, the real text PDFs of the public corpus are timed too.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from extractor.read import ReadOptions, read_document  # noqa: E402

PARAGRAPH = ("Thực hiện Kế hoạch số {n}/KH-UBND ngày 29/3/2023 của Ủy ban nhân dân tỉnh về cải cách "
             "hành chính giai đoạn 2021-2025, trong kỳ báo cáo toàn tỉnh tiếp nhận 14.911 hồ sơ, trong "
             "đó 4.532 hồ sơ qua mạng, đạt 30,4%; số hồ sơ giải quyết đúng hạn đạt 99,87%. Các cơ quan, "
             "đơn vị tiếp tục rà soát, đơn giản hóa thủ tục hành chính, nâng cao chất lượng phục vụ "
             "người dân và doanh nghiệp, bảo đảm công khai, minh bạch theo quy định.")


def make_report_pdf(path: Path, pages: int) -> None:
    """A long report: justified paragraphs, a running header, page numbers, a table every 5 pages."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    from test_readers import DEJAVU

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    body = ParagraphStyle("b", fontName="DejaVu", fontSize=13, leading=18, alignment=TA_JUSTIFY,
                          firstLineIndent=28, spaceAfter=6)

    def decorate(canvas, doc):
        canvas.setFont("DejaVu", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 30, "UBND TỈNH AN HÒA")
        canvas.drawCentredString(A4[0] / 2, A4[1] - 46, str(doc.page))

    story = []
    for page in range(pages):
        if page:
            story.append(PageBreak())
        story += [Paragraph(PARAGRAPH.format(n=page + 1), body) for _ in range(4)]
        if page % 5 == 4:
            story.append(Table([["Lĩnh vực", "Hồ sơ", "Tỷ lệ"], ["Đất đai", "1.204", "45,5%"],
                                ["Tư pháp", "863", "98,1%"]],
                               style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                                 ("FONTNAME", (0, 0), (-1, -1), "DejaVu")])))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=85, rightMargin=57, topMargin=70,
                      bottomMargin=57).build(story, onFirstPage=decorate, onLaterPages=decorate)


def _cpu() -> tuple[float, float]:
    """(this process's CPU seconds, its finished children's CPU seconds)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def bench_text_pdfs(pdfs: list[Path]) -> None:
    """CPU seconds, so that other load on the machine does not count (wall time shown too)."""
    import pdfplumber

    pages = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for pdf in pdfs:
        pages += len(read_document(pdf, ReadOptions(ocr="never")).pages)
    ours, ours_wall = time.process_time() - cpu, time.perf_counter() - wall
    wall, cpu = time.perf_counter(), time.process_time()
    for pdf in pdfs:
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                page.extract_text()
                page.close()
    floor, floor_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"  read_document (ocr=never): {ours:7.2f} s CPU  {pages / ours:6.1f} pages/s per core "
          f"(wall {ours_wall:.1f} s)   target >= 10: {'met' if pages / ours >= 10 else 'NOT met'}")
    print(f"  pdfplumber extract_text:   {floor:7.2f} s CPU  {pages / floor:6.1f} pages/s per core "
          f"(wall {floor_wall:.1f} s)")
    print(f"  ours / pdfplumber floor:   {ours / floor:7.2f} x  ({pages} pages)")


def bench_ocr(tmp: Path, pages: int, jobs: int, rounds: int) -> None:
    """CPU seconds per page (ours: rendering and layout here, Tesseract in child processes;
    raw: the child processes), and wall time with ``jobs`` processes at once. Alternating
    rounds, best of each kept."""
    from test_readers import make_scanned_pdf, render_pages

    text_pdf = tmp / "ocr_source.pdf"
    make_report_pdf(text_pdf, pages)
    scan = make_scanned_pdf(text_pdf, tmp / "scan.pdf")
    images = []
    for i, image in enumerate(render_pages(scan)):
        path = tmp / f"page{i}.png"
        image.save(path, dpi=(300, 300))
        images.append(path)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def raw(path: Path) -> None:
        subprocess.run(["tesseract", str(path), "stdout", "-l", "vie", "--dpi", "300"],
                       capture_output=True, check=True, env=env)

    raw(images[0])  # warm the model files into the page cache
    raw_cpu, raw_wall, our_cpu, our_wall = [], [], [], []
    for _ in range(rounds):
        own0, kids0 = _cpu()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(raw, images))
        raw_wall.append(time.perf_counter() - start)
        own1, kids1 = _cpu()
        raw_cpu.append(kids1 - kids0)
        start = time.perf_counter()
        document = read_document(scan, ReadOptions(jobs=jobs, ocr_timeout=None))
        our_wall.append(time.perf_counter() - start)
        own2, kids2 = _cpu()
        our_cpu.append((own2 - own1) + (kids2 - kids1))
        assert all(p.ocr for p in document.pages)
    cpu_ratio = min(our_cpu) / min(raw_cpu)
    wall_ratio = min(our_wall) / min(raw_wall)
    print(f"  read_document (render + OCR + layout): {min(our_cpu) / pages:5.2f} s CPU/page, "
          f"wall {min(our_wall):6.2f} s")
    print(f"  raw tesseract on the PNG pages:        {min(raw_cpu) / pages:5.2f} s CPU/page, "
          f"wall {min(raw_wall):6.2f} s")
    print(f"  ours / raw tesseract: CPU {cpu_ratio:5.2f} x (overhead {cpu_ratio - 1:+.0%}), wall "
          f"{wall_ratio:5.2f} x (overhead {wall_ratio - 1:+.0%})   ({pages} pages, {jobs} processes, "
          f"best of {rounds})   target <= +20%: {'met' if cpu_ratio <= 1.2 else 'NOT met'} (CPU)")


def bench_header_check(scans: list[Path]) -> None:
    """CPU seconds of checking the header's number and date (second readings of handwritten
    values: Tesseract's digits-only re-read, then RapidOCR where the two Tesseract readings
    disagree) beside the CPU seconds of reading the scans' first pages, where the header is (an
    upper bound of its share: documents have more pages). One OCR process at a time, so this
    process's and its children's CPU during the check is the check's own (process time, not
    thread time: onnxruntime may run on threads of its own)."""
    from extractor.read import ocr, second_reader

    check, second = ocr.check_header, second_reader.read_line
    spent: list[float] = []
    spent_second: list[float] = []

    def timed(function, into):
        def run(*args, **kwargs):
            before = sum(_cpu())
            try:
                return function(*args, **kwargs)
            finally:
                into.append(sum(_cpu()) - before)
        return run

    ocr.check_header, second_reader.read_line = timed(check, spent), timed(second, spent_second)
    try:
        start = sum(_cpu())
        for scan in scans:
            read_document(scan, ReadOptions(jobs=1, ocr_timeout=None, max_ocr_pages=1))
        total = sum(_cpu()) - start
    finally:
        ocr.check_header, second_reader.read_line = check, second
    print(f"  header check: {sum(spent):5.2f} s CPU of {total:6.2f} s reading the first pages "
          f"({sum(spent) / total:.1%}, {sum(spent) / len(scans):.2f} s per document)")
    if spent_second:
        print(f"    of which RapidOCR: {sum(spent_second):5.2f} s CPU on {len(spent_second)} slots, "
              f"{sum(spent_second) / len(scans):.2f} s per document; its first slot, loading it: "
              f"{spent_second[0]:.2f} s, the others {sum(spent_second[1:]) / max(1, len(spent_second) - 1):.3f} s each")


# Peak resident memory from /proc (VmHWM): ru_maxrss would carry over this script's own peak
# into the child through fork and exec.
_MEMORY_CHILD = """
import re, sys
sys.path.insert(0, {root!r})
from extractor.read import ReadOptions, read_document
import pdfplumber, pypdfium2, docx, trafilatura
if {read}:
    document = read_document({path!r}, ReadOptions(ocr="never"))
    print(len(document.pages), len(document.text))
print(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
"""


def _peak_mb(path: Path, read: bool) -> tuple[float, str]:
    code = _MEMORY_CHILD.format(root=str(ROOT), path=str(path), read=read)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.split()
    return int(lines[-1]) / 1024, f"{time.perf_counter() - start:.1f} s" + (
        f", {lines[0]} pages, {lines[1]} characters" if read else "")


def bench_memory(pdf: Path) -> None:
    base, _ = _peak_mb(pdf, read=False)
    peak, detail = _peak_mb(pdf, read=True)
    print(f"  read_document on {pdf.name}: peak {peak:7.1f} MB ({detail})   "
          f"target < 1024 MB: {'met' if peak < 1024 else 'NOT met'}")
    print(f"  same process, imports only:  peak {base:7.1f} MB   reading adds {peak - base:.1f} MB "
          f"({peak / base:.2f} x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400, help="pages of the generated long PDF")
    parser.add_argument("--ocr-pages", type=int, default=4, help="pages of the generated scan")
    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    parser.add_argument("--rounds", type=int, default=3, help="OCR rounds (best of each kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp_name:
        tmp = Path(tmp_name)
        long_pdf = tmp / f"report_{args.pages}p.pdf"
        make_report_pdf(long_pdf, args.pages)
        print(f"1. text PDF, generated ({args.pages} pages):")
        bench_text_pdfs([long_pdf])
        shared = ROOT.parent / "shared" / "corpus" / "public"
        real = [p for p in sorted(shared.rglob("*.pdf"))
                if "quangngai" in str(p) and any(k in p.name for k in ("vht", "bnt", "05."))
                or p.name.startswith("55_")] if shared.is_dir() else []
        if real:
            print(f"   text PDFs of ../shared/corpus/public ({len(real)} signed documents):")
            bench_text_pdfs(real)
        print(f"2. OCR, generated scan ({args.ocr_pages} pages, 300 dpi):")
        bench_ocr(tmp, args.ocr_pages, args.jobs, args.rounds)
        scans = [p for p in sorted((shared / "quangngai-pdf").glob("*.pdf"))
                 if not any(k in p.name for k in ("vht", "bnt", "05."))] if shared.is_dir() else []
        if scans:
            print(f"   scans of ../shared/corpus/public/quangngai-pdf ({len(scans)}, "
                  "numbers and dates written by hand):")
            bench_header_check(scans)
        print(f"3. memory, {args.pages}-page PDF:")
        bench_memory(long_pdf)
    print(f"(peak memory of this script: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
