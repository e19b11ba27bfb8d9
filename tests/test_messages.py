"""The message catalogue: every code in both languages with the same fields, and every code the
code uses is in it."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from extractor.archive.ingest import OUTCOMES
from extractor.messages import LANGS, catalogue, message
from extractor.web.data import common as web_data

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"
# Calls whose first argument is a message code: the renderer, and the errors, warnings and
# problems that render their code later.
CODE_TAKERS = {"message", "ReadError", "ReadWarning", "ArchiveError", "SearchError", "ExportError",
               "Problem", "StructureProblem"}
CODE_METHODS = {"problem"}  # the structure analysis's self.problem(code, ...)
# A web template's word, t("label"), is the code web_<label>.
# t("status_" ~ status) is a prefix; msg("code") names a code in full (the audit report's).
TEMPLATE_WORD = re.compile(r"""\b(t|msg)\(\s*(["'])([a-z0-9_]+)\2(\s*~)?""")
# What the templates name from data: t(value ~ "ed"), t("status_" ~ status), t(search error).
WEB_CODES_BUILT = ({f"web_{d}ed" for d in ("confirm", "dismiss")}
                   | {f"web_status_{s}" for s in ("ok", "failed", "missing")} | {"web_empty_query"})
# Finding kinds the web app and the report name (finding_kind_<kind>).
FINDING_KINDS = ("sum_mismatch", "table_total_mismatch", "percent_mismatch", "percent_impossible",
                 "difference_mismatch", "numbering_order", "unnumbered_draft", "blank_day_draft",
                 "ref_date_conflict", "ref_type_conflict", "ref_dated_after_citing",
                 "period_total_mismatch", "carry_over_mismatch", "figure_restated_differently",
                 "duplicate_differs", "place_spelling", "body_spelling", "basis_superseded", "replaced_twice",
                 "report_plan_mismatch", "amended_article_missing")


def _fields(template: str) -> set[tuple[str, str, str | None]]:
    return {(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None}


def _codes_used() -> tuple[dict[str, str], dict[str, str]]:
    """Codes written out in calls, and the prefixes of codes built from a prefix (both with
    where they are)."""
    codes, prefixes = {}, {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if not ((isinstance(func, ast.Name) and func.id in CODE_TAKERS)
                    or (isinstance(func, ast.Attribute) and func.attr in CODE_METHODS)):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            first = node.args[0]
            # message("no_facts" if facts else "no_results", ...)
            for arg in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes[arg.value] = where
                elif isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant):
                    prefixes[arg.left.value] = where
                elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                    prefixes[arg.values[0].value] = where
    for path in (PACKAGE / "web" / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in TEMPLATE_WORD.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            code = ("web_" if match.group(1) == "t" else "") + match.group(3)
            (prefixes if match.group(4) else codes)[code] = f"{path.relative_to(PACKAGE.parent)}:{line}"
    return codes, prefixes


def test_every_code_is_in_both_languages_with_the_same_fields():
    vi, en = catalogue("vi"), catalogue("en")
    assert sorted(vi) == sorted(en)
    for code in vi:
        assert isinstance(vi[code], str) and isinstance(en[code], str), code
        assert _fields(vi[code]) == _fields(en[code]), code


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_renders(lang):
    for code, template in catalogue(lang).items():
        fields = {name: (1.5 if spec else f"<{name}>") for name, spec, _ in _fields(template)}
        assert message(code, lang, **fields), code


def test_every_code_used_is_in_the_catalogue():
    codes, prefixes = _codes_used()
    known = set(catalogue("vi"))
    assert len(codes) > 50, "the scan of the code finds the calls"
    assert {code: where for code, where in codes.items() if code not in known} == {}
    assert {p: where for p, where in prefixes.items() if not any(c.startswith(p) for c in known)} == {}
    # The codes built from a prefix, in full.
    assert {f"status_{outcome}" for outcome in OUTCOMES} <= known
    assert {f"severity_{severity}" for severity in web_data.SEVERITIES} <= known
    assert {f"finding_kind_{kind}" for kind in FINDING_KINDS} <= known
    assert WEB_CODES_BUILT <= known
    assert sum(code.startswith("web_") for code in codes) > 50, "the scan finds the templates' words"


def test_every_web_code_is_used():
    """The web app's words are all used (a code only the templates name is easily left over)."""
    codes, _ = _codes_used()
    web = {code for code in catalogue("vi") if code.startswith("web_")}
    assert web - set(codes) - WEB_CODES_BUILT == set()


def test_an_unknown_code_shows_itself_and_an_unknown_language_is_vietnamese():
    assert message("no_such_code", "en") == "no_such_code"
    assert message("impossible_date", "fr", text="31/02/2023") == message("impossible_date", "vi", text="31/02/2023")
    assert message("impossible_date", "en", text="31/02/2023") == "Impossible date: 31/02/2023"
