"""Signed PDFs: a signature widget's value written into the blank it fills, the header saying
which values came from a signature field or a signing time, and the signature fields in the
metadata. The PDFs are built at test time (reportlab, DejaVu Sans) with signature widgets whose
appearance streams draw a number, a day or an office's stamp."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor import process
from extractor.read.pdf_fields import pdf_date

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
pytestmark = pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed")

HIDDEN = 2  # annotation flag Hidden
PRINT = 4   # annotation flag Print


@dataclass(frozen=True)
class Widget:
    name: str
    rect: tuple[float, float, float, float]
    lines: tuple[str, ...]
    signed_at: str = "D:20250305101500+07'00'"
    signer: str | None = None
    flags: int = PRINT


NUMBER = Widget("Signature1", (82, 736, 108, 754), ("27",))
DAY = Widget("Signature2", (380, 736, 398, 754), ("05",))
STAMP = Widget("Signature3", (400, 800, 560, 835), ("VAN PHONG UBND TINH", "05.03.2025 10:20:00 +07:00"),
               "D:20250305102000+07'00'", "Nguyen Van A")
IMAGE = Widget("Signature4", (300, 560, 420, 640), (), "D:20250304164500+07'00'", "Tran Thi B")
LATE_STAMP = Widget("Signature3", (400, 800, 560, 835), ("VAN PHONG UBND TINH",), "D:20250402090000+07'00'")
HIDDEN_NUMBER = Widget("Signature1", (82, 736, 108, 754), ("27",), flags=HIDDEN)


def make_signed_pdf(path: Path, widgets: tuple[Widget, ...]) -> Path:
    """A one-page notice with a blank number and a blank day, and ``widgets`` over it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfdoc import Annotation, PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    class SignatureWidget(Annotation):
        def __init__(self, widget: Widget):
            self.widget = widget

        def format(self, document):
            w = self.widget
            x0, y0, x1, y1 = w.rect
            ops = ["BT", "/Helv 9 Tf"]
            ops += [f"1 0 0 1 2 {y1 - y0 - 10 * (i + 1)} Tm ({line}) Tj" for i, line in enumerate(w.lines)]
            ops.append("ET")
            font = PDFDictionary({"Type": PDFName("Font"), "Subtype": PDFName("Type1"),
                                  "BaseFont": PDFName("Helvetica"), "Encoding": PDFName("WinAnsiEncoding")})
            appearance = PDFStream(PDFDictionary({
                "Type": PDFName("XObject"), "Subtype": PDFName("Form"), "BBox": PDFArray([0, 0, x1 - x0, y1 - y0]),
                "Resources": PDFDictionary({"Font": PDFDictionary({"Helv": font})})}),
                "\n".join(ops).encode("latin-1"), filters=[])
            signature = {"Type": PDFName("Sig"), "Filter": PDFName("Adobe.PPKLite"),
                         "SubFilter": PDFName("adbe.pkcs7.detached"), "M": PDFString(w.signed_at)}
            if w.signer:
                signature["Name"] = PDFString(w.signer)
            return PDFDictionary({
                "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "FT": PDFName("Sig"),
                "T": PDFString(w.name), "F": w.flags, "Rect": PDFArray(list(w.rect)),
                "V": PDFDictionary(signature), "AP": PDFDictionary({"N": document.Reference(appearance)})}
            ).format(document)

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    c = canvas.Canvas(str(path))
    c.setFont("DejaVu", 12)
    for x, y, text in [(60, 780, "ỦY BAN NHÂN DÂN"), (300, 780, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                       (60, 765, "TỈNH HÀ NAM"), (320, 765, "Độc lập - Tự do - Hạnh phúc"),
                       (60, 740, "Số:"), (110, 740, "/TB-UBND"),
                       (300, 740, "Hà Nam, ngày"), (400, 740, "tháng 03 năm 2025"),
                       (250, 700, "THÔNG BÁO"),
                       (60, 680, "Ngày 02/3/2025, Ủy ban nhân dân tỉnh họp về cải cách hành chính.")]:
        c.drawString(x, y, text)
    for widget in widgets:
        c._addAnnotation(SignatureWidget(widget))
    c.save()
    return path


# widgets; header number, date; sources; problems about a draft; (kind, text) of each field
CASES = [
    pytest.param((NUMBER, DAY, STAMP), "27/TB-UBND", "2025-03-05",
                 {"number": "signature_field", "date": "signature_field"}, set(),
                 [("fill", "27"), ("fill", "05"), ("stamp", "VAN PHONG UBND TINH\n05.03.2025 10:20:00 +07:00")],
                 id="number-and-day-filled"),
    pytest.param((STAMP, IMAGE), None, "2025-03-04", {"date": "signing_time"}, {"unnumbered_draft"},
                 [("stamp", "VAN PHONG UBND TINH\n05.03.2025 10:20:00 +07:00"), ("stamp", "")],
                 id="blank-day-dated-by-earliest-signing"),
    pytest.param((LATE_STAMP,), None, None, None, {"unnumbered_draft", "blank_day_draft"},
                 [("stamp", "VAN PHONG UBND TINH")], id="signed-in-another-month"),
    pytest.param((), None, None, None, {"unnumbered_draft", "blank_day_draft"}, None, id="unsigned-draft"),
    pytest.param((HIDDEN_NUMBER, DAY), None, "2025-03-05", {"date": "signature_field"}, {"unnumbered_draft"},
                 [("fill", "05")], id="hidden-widget-ignored"),
]


@pytest.mark.parametrize("widgets,number,date,sources,drafts,fields", CASES)
def test_signed_pdf_header(tmp_path, widgets, number, date, sources, drafts, fields):
    result = process(str(make_signed_pdf(tmp_path / "signed.pdf", widgets)), reconcile=False)
    meta = result.metadata()
    assert (meta.get("canonical"), meta.get("date"), meta.get("sources")) == (number, date, sources)
    assert {p.code for p in result.problems} & {"unnumbered_draft", "blank_day_draft"} == drafts
    assert meta.get("issuer") == "Ủy ban nhân dân tỉnh Hà Nam"
    got = [(f["kind"], f["text"]) for f in meta["signatures"]] if "signatures" in meta else None
    assert got == fields
    for field in meta.get("signatures", []):
        if field["kind"] == "fill":  # its range in the text holds what the widget draws
            span = field["span"]
            assert result.text[span["start"]:span["end"]] == field["text"] == span["text"]


def test_signature_values_and_filled_text(tmp_path):
    result = process(str(make_signed_pdf(tmp_path / "signed.pdf", (NUMBER, DAY, STAMP, IMAGE))), reconcile=False)
    assert "Số: 27 /TB-UBND\tHà Nam, ngày 05 tháng 03 năm 2025" in result.text
    stamp = result.metadata()["signatures"][2]
    assert (stamp["field"], stamp["page"], stamp["signed_at"], stamp["signer"]) == \
        ("Signature3", 1, "2025-03-05T10:20:00+07:00", "Nguyen Van A")
    own = [f for f in result.facts if f.kind == "doc_ref" and f.value.get("canonical") == "27/TB-UBND"]
    assert own and result.text[own[0].start:own[0].end] == "Số: 27 /TB-UBND"


@pytest.mark.parametrize("written,iso", [
    ("D:20250109100916+07'00'", "2025-01-09T10:09:16+07:00"),
    ("D:20250109100916Z", "2025-01-09T10:09:16Z"),
    ("D:20250109100916-05'30", "2025-01-09T10:09:16-05:30"),
    ("D:202501", "2025-01-01"),
    ("D:2025", "2025-01-01"),
    ("20250109", None),
    ("", None),
    (None, None),
])
def test_pdf_date(written, iso):
    assert pdf_date(written) == iso
