"""The one pipeline: every stage matches on the normalised text, so a report written in NFD,
with non-breaking spaces, look-alike letters, zero-width characters or the old tone placement
gives the same facts, claims and findings as in NFC, with offsets into its own text."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from extractor import Document, process
from extractor.audit import audit_paths
from extractor.facts import to_jsonable
from extractor.normalize import normalize

SERIES = Path(__file__).resolve().parent.parent / "corpus" / "series"
# Reports of the series whose gold lists findings of several kinds (sums, percentages,
# differences, place spelling, drafts).
REPORTS = ["bc_q1_2024.txt", "bc_q3_2024.txt", "bc_6thang_2024.txt", "bc_nam_2024.txt",
           "kh_cchc_2024.txt", "kh_kiem_tra_2024.txt"]

# How editors and legacy tools write the same text differently.
VARIANTS = [
    ("nfd", lambda t: unicodedata.normalize("NFD", t)),
    ("non-breaking spaces", lambda t: t.replace(" ", "\u00a0")),
    ("eth for capital d", lambda t: t.replace("Đ", "\u00d0")),
    ("zero-width spaces", lambda t: t.replace(" hồ sơ", " \u200bhồ\u200b sơ").replace("%", "\u200b%")),
    ("old tone placement", lambda t: t.replace("hóa", "hoá").replace("Hóa", "Hoá").replace("thủy", "thuỷ")),
    ("nfd and non-breaking spaces", lambda t: unicodedata.normalize("NFD", t).replace(" ", "\u00a0")),
]


def summary(text: str, name: str) -> dict:
    result = process(Document(name, "0" * 64, "text", text))
    assert not result.notes, result.notes
    for fact in result.facts + [f for finding in result.findings for f in finding.facts]:
        assert text[fact.start:fact.end] == fact.text
    return {
        "facts": [(f.kind, normalize(f.text).text, _offsets_as_text(to_jsonable(f.value), text)) for f in result.facts],
        "claims": [(r.claim.kind, r.claim.rule, r.holds, [normalize(f.text).text for f in r.claim.facts])
                   for r in result.results],
        "findings": [(f.kind, f.severity, f.rule, to_jsonable(f.stated), to_jsonable(f.expected),
                      [normalize(x.text).text for x in f.facts]) for f in result.findings],
        "sentences": len(result.layout.sentences),
    }


def _offsets_as_text(value: dict, text: str) -> dict:
    """A short reference points at its full reference by offsets: compare the text there."""
    target = value.get("resolves_to")
    if target and target.get("start") is not None:
        value["resolves_to"] = {**target, "start": normalize(text[target["start"]:target["end"]]).text, "end": None}
    return value


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("variant, transform", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_a_report_written_differently_gives_the_same_findings(report, variant, transform):
    text = (SERIES / report).read_text(encoding="utf-8")
    expected = summary(text, report)
    assert expected["findings"], "the report is chosen for its findings"
    assert summary(transform(text), report) == expected


def test_evidence_quotes_the_documents_own_text(tmp_path):
    text = unicodedata.normalize("NFD", (SERIES / "bc_q1_2024.txt").read_text(encoding="utf-8"))
    path = tmp_path / "bc_q1_2024.txt"
    path.write_text(text, encoding="utf-8")
    audit = audit_paths([str(path)])
    document = audit.documents[0]
    record = audit.to_dict()
    assert record["findings"]
    for finding in record["findings"]:
        for quoted in finding["evidence"]:
            assert quoted["text"] in quoted["sentence"]
            assert document.text[quoted["sentence_start"]:].startswith(quoted["sentence"])


def test_a_failing_stage_is_a_note_and_the_rest_goes_on(monkeypatch):
    import extractor.pipeline as pipeline

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(pipeline, "analyse", broken)
    text = (SERIES / "bc_q1_2024.txt").read_text(encoding="utf-8")
    result = process(Document("bc_q1_2024.txt", "0" * 64, "text", text))
    assert result.notes == ["structure: ValueError: boom"]
    assert result.facts and result.findings
    assert result.record()["warnings"] == ["structure: ValueError: boom"]


def test_an_unreadable_file_has_only_its_error(tmp_path):
    result = process(str(tmp_path / "missing.txt"))
    assert not result.ok and result.facts == [] and result.findings == []
    assert "missing.txt" in result.record()["errors"][0]
