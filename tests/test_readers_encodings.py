"""Legacy Vietnamese font encodings (TCVN3, VNI) and code pages, read back to Unicode.

The encoders here write Unicode Vietnamese the way the old fonts stored it, from the published
TCVN 5712:1993 (ABC) and VNI-Windows layouts, so the tests make their own legacy files.
"""
from __future__ import annotations

import unicodedata

import pytest

from extractor import extract_document
from extractor.read import read_document

# TCVN3 (ABC): one byte per lowercase letter; uppercase only for the base letters Ă Â Ê Ô Ơ Ư Đ.
_TCVN3_LOWER = {
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def tcvn3_bytes(text: str) -> bytes:
    """``text`` as a TCVN3 file stores it; accented capitals are typed as lowercase (the
    ``.VnTimeH`` font draws them in capitals)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[char])
        elif char.lower() in _TCVN3_LOWER and char not in "ÀÁẢÃẠ" and char != char.lower():
            out.append(_TCVN3_LOWER[char.lower()])
        elif char in _TCVN3_LOWER:
            out.append(_TCVN3_LOWER[char])
        else:
            out.extend(char.encode("cp1252"))
    return bytes(out)


def to_tcvn3(text: str) -> str:
    """The characters a TCVN3 document shows when its bytes are read as Windows-1252."""
    return tcvn3_bytes(text).decode("cp1252")


_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_vni(text: str) -> str:
    """The characters a VNI-Windows document shows: base letter + mark characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append("ñ" if char == "đ" else "Ñ")
            continue
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        if base.lower() not in "aeiouy" or not marks:
            out.append(char)
            continue
        upper = base.isupper()
        tone = next((m for m in marks if m in _VNI_TONE), "")
        if "\u0302" in marks:
            seq = base + _VNI_CIRCUMFLEX[tone]
        elif "\u0306" in marks:
            seq = base + _VNI_BREVE[tone]
        elif "\u031b" in marks:
            seq = ("ô" if base.lower() == "o" else "ö") + _VNI_TONE.get(tone, "")
            seq = seq.upper() if upper else seq
            out.append(seq)
            continue
        elif base.lower() == "i":
            seq = _VNI_I[tone]
            out.append(seq.upper() if upper else seq)
            continue
        else:
            seq = base + _VNI_TONE[tone]
        out.append(seq[0] + (seq[1:].upper() if upper else seq[1:]))
    return "".join(out)


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258: precomposed where the code page has the letter, else base + tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out.extend(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tone = next(m for m in parts if m in _VNI_TONE)
        out.extend(unicodedata.normalize("NFC", parts.replace(tone, "")).encode("cp1258"))
        out.extend(tone.encode("cp1258"))
    return bytes(out)


REPORT = ("ỦY BAN NHÂN DÂN TỈNH AN HÒA\n"
          "Báo cáo số 215/BC-UBND ngày 18/4/2024 về kết quả cải cách hành chính.\n"
          "Thực hiện Kế hoạch số 862/KH-UBND ngày 29/3/2023 của Ủy ban nhân dân tỉnh, trong năm "
          "toàn tỉnh tiếp nhận 14.911 hồ sơ, trong đó 4.532 hồ sơ qua mạng, đạt tỷ lệ 30,4%; "
          "số hồ sơ được giải quyết đúng hạn đạt 99,87%. Người dân được hướng dẫn tận tình, "
          "thủ tục được công khai đầy đủ ở nơi tiếp nhận.\n")


def _facts(path) -> dict:
    record = extract_document(str(path))
    assert not record["errors"], record["errors"]
    return record


def _check_report_facts(record: dict, text: str) -> None:
    refs = {f["value"]["canonical"] for f in record["facts"] if f["kind"] == "doc_ref"}
    assert {"215/BC-UBND", "862/KH-UBND"} <= refs
    dates = {f["value"]["iso"] for f in record["facts"] if f["kind"] == "date"}
    assert {"2024-04-18", "2023-03-29"} <= dates
    percents = [f["value"]["value"] for f in record["facts"] if f["kind"] == "percent"]
    assert percents == [30.4, 99.87]
    quantities = {f["value"]["value"] for f in record["facts"] if f["kind"] == "quantity"}
    assert {14911, 4532} <= quantities
    for fact in record["facts"]:
        assert text[fact["start"]:fact["end"]] == fact["text"]


def test_tcvn3_text_file_is_converted_and_keeps_u_horn(tmp_path):
    raw = tcvn3_bytes(REPORT)
    assert b"\xad" in raw  # ư is the soft-hyphen byte
    path = tmp_path / "bc_tcvn3.txt"
    path.write_bytes(raw)
    document = read_document(path)
    assert "người dân" in document.text.lower() and "được" in document.text
    assert any("TCVN3" in note for note in document.notes)
    _check_report_facts(_facts(path), document.text)


def test_vni_text_file_is_converted(tmp_path):
    path = tmp_path / "bc_vni.txt"
    path.write_bytes(to_vni(REPORT).encode("cp1252"))
    document = read_document(path)
    assert "Kế hoạch số 862/KH-UBND" in document.text
    assert "Người dân được hướng dẫn tận tình" in document.text
    assert any("VNI" in note for note in document.notes)
    _check_report_facts(_facts(path), document.text)


def test_tcvn3_pasted_into_utf8_is_converted(tmp_path):
    path = tmp_path / "bc.txt"
    path.write_text(to_tcvn3(REPORT), encoding="utf-8")
    assert "Kế hoạch số 862/KH-UBND" in read_document(path).text


def test_windows_1258_and_utf16(tmp_path):
    cp1258 = tmp_path / "cp1258.txt"
    cp1258.write_bytes(cp1258_bytes(REPORT))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(REPORT.encode("utf-16-le"))
    for path in (utf16, cp1258):
        document = read_document(path)
        assert document.text == REPORT
        _check_report_facts(_facts(path), document.text)


def test_unicode_vietnamese_is_never_converted(tmp_path):
    path = tmp_path / "unicode.txt"
    text = REPORT + "Giá trị µ và ± trong bảng đo lường.\n"
    path.write_text(text, encoding="utf-8")
    assert read_document(path).text == text


@pytest.mark.parametrize("encoder", [to_tcvn3, to_vni])
def test_legacy_docx_runs_are_converted(tmp_path, encoder):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    font = ".VnTime" if encoder is to_tcvn3 else "VNI-Times"
    for line in REPORT.splitlines():
        paragraph = document.add_paragraph()
        # Word stores TCVN3's 0xAD ("ư") as a soft hyphen element: write it that way.
        for i, piece in enumerate(encoder(line).split("\u00ad")):
            if i:
                run = paragraph.add_run()
                run.font.name = font
                run._r.append(run._r.makeelement(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}softHyphen", {}))
            run = paragraph.add_run(piece)
            run.font.name = font
    path = tmp_path / "legacy.docx"
    document.save(path)
    text = read_document(path).text
    assert "Người dân được hướng dẫn tận tình" in text
    _check_report_facts(_facts(path), text)
