"""Header metadata on real documents annotated by hand (bench/annotations/facts, the `header`
object of each gold file): the document's own number, date, issuer and type, per reader format,
for the named sets (``dev``: rules are written against it; ``held_out`` and ``held_out2``: only reported).

    python3 bench/headers_real.py [--set dev|held_out|held_out2|all] [--show]

The facts of the same files are scored by ``../shared/tools/score_gold.py``:

    python3 ../shared/tools/score_gold.py bench/annotations/facts/held_out ../shared/corpus/public \\
        --cmd "python3 -m extractor extract --format jsonl"
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import process  # noqa: E402
from extractor.normalize import fold  # noqa: E402
from extractor.read import reading_options  # noqa: E402

ANNOTATIONS = ROOT / "bench" / "annotations" / "facts"
PUBLIC = ROOT.parent / "shared" / "corpus" / "public"
SETS = ("dev", "held_out", "held_out2")
FIELDS = ("number", "date", "issuer", "doc_type")
NEWS_TYPE = "Tin bài"


def same(field: str, expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if field in ("issuer", "doc_type"):
        return " ".join(fold(str(expected)).split()) == " ".join(fold(str(got)).split())
    return str(expected) == str(got)


def read_header(path: Path, text_args: list[str]) -> tuple[str, dict]:
    ocr = text_args[text_args.index("--ocr") + 1] if "--ocr" in text_args else "auto"
    with reading_options(ocr=ocr):
        result = process(str(path), reconcile=False)
    if not result.ok:
        return "unreadable", {}
    meta = result.metadata() or {}
    # A news page has no type of Nghị định 30/2020; the annotations call it "Tin bài".
    doc_type = NEWS_TYPE if meta.get("kind") == "news_article" else meta.get("doc_type")
    return result.document.format, {"number": meta.get("canonical"), "date": meta.get("date") or meta.get("published"),
                                    "issuer": meta.get("issuer"), "doc_type": doc_type}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--show", action="store_true", help="print each wrong value")
    args = parser.parse_args()
    if not PUBLIC.is_dir():
        sys.exit(f"{PUBLIC} is absent: the annotated documents are there")
    for name in (SETS if args.set == "all" else [args.set]):
        files = sorted((ANNOTATIONS / name).glob("*.gold.json"))
        right, documents = Counter(), Counter()
        field_right = defaultdict(Counter)
        for gold_path in files:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            fmt, got = read_header(PUBLIC / gold["path"], gold.get("text_args") or [])
            documents[fmt] += 1
            wrong = [f for f in FIELDS if not same(f, gold["header"].get(f), got.get(f))]
            for field in FIELDS:
                field_right[field][fmt] += field not in wrong
            right[fmt] += not wrong
            if args.show and wrong:
                print(f"  {gold['path']}: " + "; ".join(f"{f} {gold['header'].get(f)!r} got {got.get(f)!r}" for f in wrong))
        print(f"== {name}: {len(files)} documents; all four right / documents, by format")
        for fmt, n in sorted(documents.items()):
            fields = ", ".join(f"{f} {field_right[f][fmt]}/{n}" for f in FIELDS)
            print(f"  {fmt:<10} {right[fmt]}/{n}   ({fields})")
        total = sum(documents.values())
        print(f"  all        {sum(right.values())}/{total} = {sum(right.values()) / max(total, 1):.0%}")


if __name__ == "__main__":
    main()
