"""Footnotes and endnotes are part of the document text: a DOCX's `word/footnotes.xml` and
`word/endnotes.xml` (python-docx reads neither) and a DOC's footnotes (antiword) follow the body,
each opening with its mark, the body carries the mark where the note is referenced, and a fact
in a note says which note it is in and takes the section of its anchor. The DOCX is built here:
python-docx writes the body and a header table, and the notes are added to its package."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from extractor import process
from extractor.read import read_document
from extractor.read.notes import label

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# The notes of the fixture: kind, id in the package (not the number Word shows), text.
NOTES = {
    "F1": ("footnote", "2", "Kế hoạch số 25/KH-SNV ngày 15/01/2025 của Sở Nội vụ."),
    "F2": ("footnote", "3", "Quyết định số 88/QĐ-SNV ngày 02/3/2025 của Sở Nội vụ."),
    "F3": ("footnote", "4", "Kế hoạch số 130/KH-UBND ngày 10/9/2025 của Ủy ban nhân dân tỉnh."),
    "E1": ("endnote", "1", "Trong đó 1.100 hồ sơ trực tuyến, đạt 88%."),
}
BODY = [
    "I. KẾT QUẢ THỰC HIỆN",
    "1. Công tác chỉ đạo",
    "Sở ban hành kế hoạch cải cách hành chính năm 2025⟦F1⟧ và tổ chức kiểm tra các phòng⟦F2⟧.",
    "II. NHIỆM VỤ NĂM 2026",
    "1. Nhiệm vụ trọng tâm",
    "Triển khai kế hoạch của Ủy ban nhân dân tỉnh⟦F3⟧; năm 2025 Sở tiếp nhận 1.250 hồ sơ⟦E1⟧.",
]


def _notes_part(kind: str, notes: list[tuple[str, str]]) -> str:
    separators = "".join(f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                         for t, i in (("separator", "-1"), ("continuationSeparator", "0")))
    body = "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t>'
                   f'</w:r></w:p></w:{kind}>' for i, text in notes)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s xmlns:w="{W_NS}">{separators}{body}</w:{kind}s>'


def make_docx_with_notes(path: Path) -> Path:
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    for cell, text in zip(header._cells, ["SỞ NỘI VỤ TỈNH AN HÒA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                                         "Số: 45/BC-SNV", "An Hòa, ngày 20 tháng 12 năm 2025"]):
        cell.text = text
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả cải cách hành chính năm 2025")
    for line in BODY:
        paragraph = document.add_paragraph()
        for piece in re.split(r"(⟦\w+⟧)", line):
            if piece:
                paragraph.add_run(piece)
    document.save(str(path))

    def reference(m: re.Match) -> str:
        kind, ident, _ = NOTES[m.group(1)]
        return f'<w:{kind}Reference w:id="{ident}"/>'

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["word/document.xml"] = re.sub(r"<w:t[^>]*>⟦(\w+)⟧</w:t>", reference,
                                        parts["word/document.xml"].decode()).encode()
    for kind in ("footnote", "endnote"):
        parts[f"word/{kind}s.xml"] = _notes_part(kind, [(i, t) for k, i, t in NOTES.values() if k == kind]).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", "".join(
        f'<Relationship Id="rIdNotes{kind}" Type="{REL}/{kind}s" Target="{kind}s.xml"/>'
        for kind in ("footnote", "endnote")) + "</Relationships>").encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", "".join(
        f'<Override PartName="/word/{kind}s.xml" ContentType="{CONTENT}.{kind}s+xml"/>'
        for kind in ("footnote", "endnote")) + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


# (fact kind, its key, the note's kind and label, the section of its anchor)
IN_NOTES = [
    ("doc_ref", "25/KH-SNV", "footnote", "1", "I.1"),
    ("doc_ref", "88/QĐ-SNV", "footnote", "2", "I.1"),
    ("doc_ref", "130/KH-UBND", "footnote", "3", "II.1"),
    ("date", "2025-09-10", "footnote", "3", "II.1"),
    ("percent", "88%", "endnote", "i", "II.1"),
]


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    path = make_docx_with_notes(tmp_path_factory.mktemp("notes") / "bc_notes.docx")
    return process(str(path), reconcile=False)


def _key(record: dict) -> str:
    if record["kind"] == "doc_ref":
        return record["value"].get("canonical")
    if record["kind"] == "date":
        return record["value"]["iso"]
    return record["text"]


@pytest.mark.parametrize("kind,key,note_kind,note_label,section", IN_NOTES, ids=[r[1] for r in IN_NOTES])
def test_a_fact_in_a_note_knows_its_note_and_its_anchors_section(noted, kind, key, note_kind, note_label, section):
    record = next(r for r in noted.fact_records() if r["kind"] == kind and _key(r) == key)
    note = record["note"]
    assert (note["kind"], note["label"], record["section"]) == (note_kind, note_label, section)
    start, end = note["anchor"]
    assert noted.text[start:end] == f"[{note_label}]"
    assert start < record["start"]


def test_notes_follow_the_body_with_their_marks(noted):
    document = noted.document
    assert [(n.kind, n.label) for n in document.footnotes] == [("footnote", "1"), ("footnote", "2"),
                                                               ("footnote", "3"), ("endnote", "i")]
    for note, (_, _, text) in zip(document.footnotes, NOTES.values()):
        assert document.text[note.start:note.end] == f"[{note.label}] {text}"
    # The body's facts are in no note, and the header is read from its table.
    body = [r for r in noted.fact_records() if r["start"] < document.footnotes[0].start]
    assert body and all("note" not in r for r in body)
    assert (noted.metadata()["canonical"], noted.metadata()["date"]) == ("45/BC-SNV", "2025-12-20")


@pytest.mark.parametrize("number,fmt,expected", [(1, "decimal", "1"), (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"),
                                                 (2, "lowerLetter", "b"), (27, "lowerLetter", "aa"), (3, "chicago", "3")])
def test_note_labels_follow_words_number_formats(number, fmt, expected):
    assert label(number, fmt) == expected


# antiword's two outputs for a .doc with two footnotes, one in a table cell (as it writes them).
DOCBOOK = ("<book><chapter><para>Thực hiện Kế hoạch của Sở<footnote><para></para></footnote> năm 2025.</para>"
           "<informaltable><tgroup><tbody><row><entry>Mã hồ sơ<footnote><para></para></footnote></entry>"
           "<entry>13</entry></row></tbody></tgroup></informaltable></chapter></book>")
PLAIN = ("Thực hiện Kế hoạch của Sở[1] năm 2025.\n|Mã hồ sơ[2] |13 |\n\n-------------------\n"
         "    [1] Kế hoạch số 25/KH-SNV ngày 15/01/2025\n của Sở Nội vụ.\n[2] Mã do Hệ thống cấp.\n")


def test_doc_footnotes_are_marked_where_antiword_places_them():
    from lxml import etree

    from extractor.read.doc import _footnotes, _walk

    blocks: list = []
    _walk(etree.fromstring(DOCBOOK), blocks, [0])
    assert blocks == [("para", "Thực hiện Kế hoạch của Sở[1] năm 2025."), ("table", [["Mã hồ sơ[2]", "13"]])]
    assert _footnotes(PLAIN) == [("1", "Kế hoạch số 25/KH-SNV ngày 15/01/2025 của Sở Nội vụ."),
                                 ("2", "Mã do Hệ thống cấp.")]


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_a_real_doc_has_its_footnotes_linked(shared_dir):
    document = read_document(str(shared_dir / "corpus" / "public" / "nd30-2020-word" / "Phuluc6.doc"))
    assert [n.label for n in document.footnotes] == ["1", "2", "3", "4"]
    for note in document.footnotes:
        start, end = note.anchor
        assert document.text[start:end] == f"[{note.label}]" and end <= document.footnotes[0].start
        assert document.text[note.start:note.end].startswith(f"[{note.label}] ")
