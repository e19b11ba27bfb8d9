"""cchc serve: every page and its JSON twin, facets, the language switch, review decisions
(CSRF, persistence, the same record as `cchc review`), read-only mode, and a hostile document
escaped everywhere. Starlette's TestClient over a small archive (tests/web_fixtures.py)."""
from __future__ import annotations

import html
import re
import sqlite3
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from extractor.archive import Archive
from extractor.web import create_app
from extractor.web.app import CSP
from archive_fixtures import pg_server  # noqa: F401 - fixture
from web_fixtures import HOSTILE_MARKUP, own_archive, web_archive  # noqa: F401 - fixtures

SECRET = b"the reviewer fixture's CSRF secret"
PAGES = ["/", "/search?q=ho+so", "/documents/1", "/findings", "/figures", "/overview"]


@pytest.fixture
def client(web_archive):
    with Archive.open(str(web_archive), create=False) as archive:
        yield TestClient(create_app(archive))


@pytest.fixture
def reviewer(own_archive):
    with Archive.open(str(own_archive), create=False) as archive:
        client = TestClient(create_app(archive, review=True, secret=SECRET))
        client.archive_path = own_archive
        yield client


def _ids(path) -> dict[str, int]:
    """Document ids by file name."""
    rows = sqlite3.connect(path).execute("SELECT id, path FROM documents").fetchall()
    return {p.rsplit("/", 1)[-1]: i for i, p in rows}


def _text(page: str) -> str:
    """A page's visible text, roughly (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# ---------------------------------------------------------------------------------------------
# Pages


def test_every_page_answers_with_security_headers(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["content-security-policy"] == CSP
        assert "script-src" not in CSP and "'unsafe-inline'" not in CSP and "http" not in CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "<script" not in response.text.lower()
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/documents/99999").status_code == 404
    assert client.get("/documents/abc").status_code == 404
    # A page not found links back within the site only, whatever its path.
    missing = client.get("http://testserver//evil.example/x")
    assert missing.status_code == 404
    assert all(href.startswith("/") and not href.startswith("//")
               for href in re.findall(r'href="([^"]*)"', missing.text))


def test_search_ranks_folded_matches_with_highlighted_snippets(client, web_archive):
    page = client.get("/search", params={"q": "ke hoach tuyen truyen"})
    assert page.status_code == 200
    ids = _ids(web_archive)
    assert f'href="/documents/{ids["kh_so_noi_vu_cchc.txt"]}"' in page.text
    # Hits are highlighted in the original spelling, tone marks and all.
    assert re.search(r"<mark>[Tt]uyên truyền</mark>", page.text)
    data = client.get("/search.json", params={"q": "ke hoach tuyen truyen"}).json()
    assert data["documents"][0]["name"] == "kh_so_noi_vu_cchc.txt"
    assert any(p["hit"] for p in data["documents"][0]["snippet"])
    # The same ranking as the library's search.
    with Archive.open(str(web_archive), create=False) as archive:
        expected = [d.document_id for d in archive.search("ke hoach tuyen truyen", limit=20).documents]
    assert [d["id"] for d in data["documents"]] == expected


def test_search_facets_count_and_filter_through_the_url(client):
    data = client.get("/search.json?q=ho+so").json()
    facets = data["facets"]
    assert set(facets) == {"type", "issuer", "province", "year", "kind", "severity"}
    types = {f["value"]: f["count"] for f in facets["type"]}
    assert types["Báo cáo"] >= 4
    assert sum(types.values()) <= data["total"]
    assert {f["value"] for f in facets["severity"]} <= {"gross", "error", "minor", "possible"}
    assert facets["kind"] and all(f["count"] > 0 for f in facets["kind"])
    # A facet link narrows the search; the URL holds the whole query.
    page = client.get("/search?q=ho+so")
    assert f'href="/search?q=ho+so&amp;type={quote("Báo cáo").replace("%20", "+")}"' in page.text
    narrowed = client.get("/search.json", params={"q": "ho so", "type": "Báo cáo"}).json()
    assert narrowed["total"] == types["Báo cáo"]
    assert {d["doc_type"] for d in narrowed["documents"]} == {"Báo cáo"}
    assert narrowed["args"] == {"q": "ho so", "type": "Báo cáo"}
    by_year = client.get("/search.json", params={"q": "ho so", "year": 2025}).json()
    assert by_year["documents"] and all(d["date"].startswith("2025") for d in by_year["documents"])
    # Finding facets filter the documents to those with such findings.
    severity = facets["severity"][0]
    only = client.get("/search.json", params={"q": "ho so", "severity": severity["value"]}).json()
    assert only["total"] == severity["count"]
    assert all(d["findings"].get(severity["value"]) for d in only["documents"])
    # No query and no filter: every document, newest first.
    everything = client.get("/search.json").json()
    assert everything["total"] == 13
    assert client.get("/search?year=abc").status_code == 400


def test_document_page_highlights_every_fact_with_its_value(client, web_archive):
    ids = _ids(web_archive)
    doc_id = ids["bc_nam_2024.txt"]
    data = client.get(f"/documents/{doc_id}.json").json()
    assert data == client.get(f"/documents/{doc_id}?format=json").json()
    assert data["number"] == "2262/BC-SNV" and data["facts"]
    page = client.get(f"/documents/{doc_id}").text
    for fact in data["facts"]:
        assert data["text"][fact["start"]:fact["end"]] == fact["text"]
    shown = re.findall(r'<mark class="fact k-(\w+)[^"]*" id="fact-(\d+)" title="([^"]*)"', page)
    # Every fact is highlighted, except one crossing another's edge (HTML cannot nest it).
    assert len(shown) >= 0.95 * len(data["facts"])
    quantity = next(f for f in data["facts"] if f["kind"] == "quantity" and f["meaning"])
    title = next(t for k, i, t in shown if int(i) == quantity["id"])
    assert str(quantity["value"]["value"]) in html.unescape(title)
    assert quantity["meaning"]["metric"] in html.unescape(title)
    # The text is all there, in order, once the marks are taken out.
    body = re.search(r'<div class="doctext">(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", body.replace("!</a>", "</a>"))) == data["text"]


def test_document_page_outline_findings_citations_and_metadata(client, web_archive):
    ids = _ids(web_archive)
    doc_id = ids["bc_nam_2024.txt"]
    data = client.get(f"/documents/{doc_id}.json").json()
    page = client.get(f"/documents/{doc_id}").text
    # Outline: the sections of its facts, each anchored in the text.
    paths = [n["path"] for n in data["outline"]]
    assert paths[:2] == ["I", "II"] and data["outline"][1]["children"]
    for node in data["outline"]:
        assert f'href="#sec-{node["path"]}"' in page and f'id="sec-{node["path"]}"' in page
        assert data["text"][node["start"]:].startswith(node["heading"][:10])
    # Findings in place: the evidence flagged in the text, linking to the finding with its evidence.
    assert data["findings"]
    finding = next(f for f in data["findings"] if f["kind"] == "difference_mismatch")
    assert (finding["stated"], finding["expected"]) == (673, 637)
    assert f'id="finding-{finding["key"]}"' in page
    assert f'href="#finding-{finding["key"]}"' in page
    for e in finding["evidence"]:
        assert re.search(rf'<mark class="[^"]*evidence[^"]*" id="fact-{e["fact_id"]}"', page)
    # References resolved within the archive, both ways.
    cited = {c["canonical"]: c for c in data["cites"]}
    plan = ids["kh_cchc_2024.txt"]
    assert [d["id"] for d in cited["68/KH-SNV"]["documents"]] == [plan]
    plan_page = client.get(f"/documents/{plan}.json").json()
    assert doc_id in [d["id"] for d in plan_page["cited_by"]]
    assert f'href="/documents/{doc_id}"' in client.get(f"/documents/{plan}").text
    # Metadata.
    assert data["metadata"]["signature"]["signer"] in page
    assert "Sở Nội vụ tỉnh An Hòa" in page


def test_findings_page_filters_and_shows_the_arithmetic(client):
    data = client.get("/findings.json").json()
    assert data["total"] == len(data["findings"]) > 5
    severities = [f["severity"] for f in data["findings"]]
    order = ["gross", "error", "minor", "possible"]
    assert severities == sorted(severities, key=order.index)
    gross = client.get("/findings.json?severity=gross").json()
    assert gross["findings"] and {f["severity"] for f in gross["findings"]} == {"gross"}
    assert gross["total"] == next(f["count"] for f in data["facets"]["severity"] if f["value"] == "gross")
    kind = client.get("/findings.json?kind=figure_restated_differently").json()
    (restated,) = kind["findings"]
    assert restated["document_id"] is None and len(restated["document_refs"]) == 2
    assert client.get("/findings.json?decision=undecided").json()["total"] == data["total"]
    assert client.get("/findings.json?decision=confirm").json()["total"] == 0
    assert client.get("/findings?decision=bogus").status_code == 400
    page = client.get("/findings?severity=gross").text
    for f in gross["findings"]:
        assert f'id="finding-{f["key"]}"' in page
        if f["stated"] is not None:
            assert "Văn bản ghi" in page and "Tính lại" in page
    assert "<mark>" in page  # evidence highlighted in its sentence
    # Kinds are named in words, in the page's language; the id stays in the JSON.
    page = client.get("/findings?kind=sum_mismatch").text
    assert "tổng không khớp" in page and 'title="sum_mismatch"' in page
    assert "total does not add up" in client.get("/findings?kind=sum_mismatch&lang=en").text


def test_figures_over_time_mark_contradictions_and_link_their_findings(client):
    body = "Sở Nội vụ tỉnh An Hòa"
    data = client.get("/figures.json", params={"body": body, "metric": "dossiers.resolved"}).json()
    assert {m["value"] for m in data["metrics"]} >= {"dossiers.resolved", "dossiers.received"}
    assert len(data["periods"]) >= 3
    contradicted = [p for p in data["periods"] if p["contradiction"]]
    assert contradicted
    assert contradicted[0]["distinct"] == [9257, 9275]
    assert contradicted[0]["findings"][0]["kind"] == "figure_restated_differently"
    page = client.get("/figures", params={"body": body, "metric": "dossiers.resolved"}).text
    assert "<svg" in page and "<circle" in page
    assert f'/findings#finding-{contradicted[0]["findings"][0]["key"]}' in page
    assert 'class="contradiction"' in page
    label = next(m["label"] for m in data["metrics"] if m["value"] == "dossiers.resolved")
    assert label != "dossiers.resolved" and label in page
    english = client.get("/figures.json", params={"body": body, "metric": "dossiers.resolved", "lang": "en"}).json()
    assert next(m["label"] for m in english["metrics"] if m["value"] == "dossiers.resolved") != label
    assert client.get("/figures").status_code == 200


def test_overview_counts_documents_findings_and_failures(client):
    data = client.get("/overview.json").json()
    assert data["documents"] == 13
    assert {x["value"]: x["count"] for x in data["type"]}["Báo cáo"] == 6
    assert sum(x["count"] for x in data["severity"]) == data["findings"] > 0
    assert data["failed"] == []
    assert "Tổng quan" in client.get("/overview").text


# Seven reports of one body stating the same quarter's figures: the page names the first
# FIGURE_DOCUMENTS_SHOWN documents of a value and counts the rest; the CSV lists them all.
SAME_FIGURES = ("SỞ NỘI VỤ TỈNH AN HÒA\nSố: {n}/BC-SNV\nAn Hòa, ngày {day} tháng 4 năm 2024\nBÁO CÁO\n"
                "Kết quả giải quyết thủ tục hành chính quý I năm 2024\nTrong quý I năm 2024, Sở Nội vụ tiếp "
                "nhận 120 hồ sơ, đã giải quyết 100 hồ sơ, đang giải quyết 20 hồ sơ.\n")


def test_a_value_many_documents_state_names_the_first_and_counts_the_rest(tmp_path):
    from extractor.web.app import FIGURE_DOCUMENTS_SHOWN

    docs = tmp_path / "docs"
    docs.mkdir()
    reports = FIGURE_DOCUMENTS_SHOWN + 2
    for day in range(1, reports + 1):
        (docs / f"bc{day}.txt").write_text(SAME_FIGURES.format(n=10 + day, day=day), encoding="utf-8")
    with Archive.open(str(tmp_path / "a.sqlite")) as archive:
        archive.ingest([str(docs)], jobs=1)
        client = TestClient(create_app(archive))
        params = {"metric": "dossiers.received"}
        (period,) = client.get("/figures.json", params=params).json()["periods"]
        assert [v["value"] for v in period["values"]] == [120] * FIGURE_DOCUMENTS_SHOWN
        assert [v["more"] for v in period["values"]] == [0] * (FIGURE_DOCUMENTS_SHOWN - 1) + [2]
        assert [v["number"] for v in period["values"]] == [f"{10 + d}/BC-SNV" for d in range(1, FIGURE_DOCUMENTS_SHOWN + 1)]
        assert "và 2 văn bản khác nêu cùng giá trị" in client.get("/figures", params=params).text
        assert "and 2 more documents state this value" in client.get("/figures", params={**params, "lang": "en"}).text
        rows = client.get("/figures.csv", params=params).text.splitlines()
        assert len(rows) == 1 + reports


def test_overview_lists_files_that_failed_to_read(tmp_path):
    from archive_fixtures import copy_sample

    docs = copy_sample(tmp_path / "docs", ["cv_so_xay_dung.txt"])
    (docs / "hong.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    url = str(tmp_path / "a.sqlite")
    with Archive.open(url) as archive:
        archive.ingest([str(docs)], jobs=1)
        client = TestClient(create_app(archive))
        data = client.get("/overview.json").json()
        (failed,) = data["failed"]
        assert failed["name"] == "hong.pdf" and failed["error"]
        assert "hong.pdf" in client.get("/overview").text
        page = client.get(f"/documents/{failed['id']}")
        assert page.status_code == 200 and "lỗi đọc" in page.text


def test_json_twins_and_language_switch(client):
    for path in ["/search", "/findings", "/figures", "/overview"]:
        twin = client.get(path + ".json", params={"q": "ho so"} if path == "/search" else None)
        asked = client.get(path, params={"format": "json", **({"q": "ho so"} if path == "/search" else {})})
        assert twin.headers["content-type"] == "application/json"
        assert twin.json() == asked.json()
    vi = client.get("/overview").text
    en = client.get("/overview?lang=en").text
    assert "Tổng quan" in vi and 'lang="vi"' in vi
    assert "Overview" in en and 'lang="en"' in en and "Documents by type" in en
    # The language is kept in links, and the switch goes back.
    assert 'href="/findings?lang=en"' in en and 'href="/search?type=' in en and "lang=en" in en
    assert 'href="/overview"' in en  # the switch back to Vietnamese
    assert 'href="/overview?lang=en"' in vi
    search_en = client.get("/search?q=ho+so&lang=en").text
    assert "documents" in search_en and "&amp;lang=en" in search_en


def test_english_default_from_the_command_line(web_archive):
    with Archive.open(str(web_archive), create=False) as archive:
        client = TestClient(create_app(archive, lang="en"))
        assert "Overview" in client.get("/overview").text
        vi = client.get("/overview?lang=vi").text
        assert "Tổng quan" in vi and 'href="/findings?lang=vi"' in vi


# ---------------------------------------------------------------------------------------------
# Review


def _form_fields(page: str, key: str) -> dict[str, str]:
    form = re.search(rf'<form class="review" method="post" action="/findings/{key}/review">(.*?)</form>',
                     page, re.S).group(1)
    return {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)}


def test_read_only_mode_has_no_post_route(client, web_archive):
    key = client.get("/findings.json").json()["findings"][0]["key"]
    assert client.post(f"/findings/{key}/review", data={"decision": "confirm"}).status_code in (404, 405)
    assert "<form class=\"review\"" not in client.get("/findings").text
    assert all("POST" not in (getattr(r, "methods", None) or ()) for r in client.app.routes)
    assert sqlite3.connect(web_archive).execute("SELECT count(*) FROM judgements").fetchone()[0] == 0


def test_review_without_a_valid_csrf_token_is_refused(reviewer):
    key = reviewer.get("/findings.json").json()["findings"][0]["key"]
    url = f"/findings/{key}/review"
    assert reviewer.post(url, data={"decision": "confirm", "who": "An"}).status_code == 403
    assert reviewer.post(url, data={"decision": "confirm", "who": "An", "csrf_token": "forged"}).status_code == 403
    # A token signed by another process (another secret) is refused too.
    with Archive.open(str(reviewer.archive_path), create=False) as archive:
        other = TestClient(create_app(archive, review=True))
        token = _form_fields(other.get("/findings").text, key)["csrf_token"]
    assert reviewer.post(url, data={"decision": "confirm", "who": "An", "csrf_token": token}).status_code == 403
    # A token is good for its own finding only.
    other_key = reviewer.get("/findings.json").json()["findings"][1]["key"]
    token = _form_fields(reviewer.get("/findings").text, other_key)["csrf_token"]
    assert reviewer.post(url, data={"decision": "confirm", "who": "An", "csrf_token": token}).status_code == 403
    # An oversized form is refused before it is read.
    token = _form_fields(reviewer.get("/findings").text, key)["csrf_token"]
    assert reviewer.post(url, data={"decision": "confirm", "who": "An", "csrf_token": token,
                                    "note": "x" * 70_000}).status_code == 413
    # A valid token from a page of another origin is refused.
    token = _form_fields(reviewer.get("/findings").text, key)["csrf_token"]
    assert reviewer.post(url, data={"decision": "confirm", "who": "An", "csrf_token": token},
                         headers={"origin": "http://evil.example"}).status_code == 403
    assert sqlite3.connect(reviewer.archive_path).execute("SELECT count(*) FROM judgements").fetchone()[0] == 0


def test_review_decision_persists_as_cchc_review_records_it(reviewer):
    from extractor.cli import cli

    finding = reviewer.get("/findings.json?severity=gross").json()["findings"][0]
    key = finding["key"]
    page = reviewer.get("/findings?severity=gross").text
    fields = _form_fields(page, key)
    assert fields["next"] == "/findings?severity=gross"
    response = reviewer.post(f"/findings/{key}/review", follow_redirects=False,
                             data={**fields, "decision": "dismiss", "note": "bản dự thảo, đã có bản ký",
                                   "who": "Nguyễn Văn An"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/findings?severity=gross#finding-{key}"
    # Stored exactly as `cchc review KEY --dismiss --note … --who …` stores it.
    rows = sqlite3.connect(reviewer.archive_path).execute(
        "SELECT subject, finding_key, decision, note, who, entity_type FROM judgements").fetchall()
    assert rows == [("finding", key, "dismiss", "bản dự thảo, đã có bản ký", "Nguyễn Văn An", None)]
    listed = CliRunner().invoke(cli, ["review", "--archive", str(reviewer.archive_path)])
    assert listed.exit_code == 0 and "dismiss: bản dự thảo, đã có bản ký" in listed.stdout
    # The page shows the decision and its history; the decision facet counts it.
    data = reviewer.get("/findings.json").json()
    shown = next(f for f in data["findings"] if f["key"] == key)
    assert shown["decision"] == "dismiss" and shown["history"][0]["who"] == "Nguyễn Văn An"
    assert {"value": "dismiss", "count": 1} in data["facets"]["decision"]
    page = reviewer.get("/findings?decision=dismiss").text
    assert "bản dự thảo, đã có bản ký" in page and "Nguyễn Văn An" in page
    # A second decision adds to the history; the latest one counts.
    fields = _form_fields(reviewer.get("/findings").text, key)
    reviewer.post(f"/findings/{key}/review", data={**fields, "decision": "confirm", "who": "Trần Thị Bình"})
    shown = next(f for f in reviewer.get("/findings.json").json()["findings"] if f["key"] == key)
    assert shown["decision"] == "confirm" and [h["decision"] for h in shown["history"]] == ["dismiss", "confirm"]
    # And a decision made with `cchc review` shows in the web app.
    other = next(f["key"] for f in data["findings"] if f["key"] != key)
    done = CliRunner().invoke(cli, ["review", "--archive", str(reviewer.archive_path), other, "--confirm",
                                    "--note", "đúng", "--who", "cli"])
    assert done.exit_code == 0, done.output
    shown = next(f for f in reviewer.get("/findings.json").json()["findings"] if f["key"] == other)
    assert shown["decision"] == "confirm" and shown["history"][-1]["who"] == "cli"


def test_review_checks_its_fields(reviewer):
    key = reviewer.get("/findings.json").json()["findings"][0]["key"]
    fields = _form_fields(reviewer.get("/findings").text, key)
    url = f"/findings/{key}/review"
    assert reviewer.post(url, data={**fields, "decision": "merge", "who": "An"}).status_code == 400
    assert reviewer.post(url, data={**fields, "decision": "confirm", "who": " "}).status_code == 400
    # A form for a finding that does not exist (signed as the app signs its forms) is a 404.
    from itsdangerous import URLSafeTimedSerializer

    token = URLSafeTimedSerializer(SECRET, salt="cchc-review").dumps("khong-co")
    assert reviewer.post("/findings/khong-co/review", data={**fields, "csrf_token": token, "decision": "confirm",
                                                            "who": "An"}).status_code == 404
    assert reviewer.post("/findings/khong-co/review", data={**fields, "decision": "confirm",
                                                            "who": "An"}).status_code == 403
    # The redirect stays on this site.
    response = reviewer.post(url, follow_redirects=False,
                             data={**fields, "decision": "confirm", "who": "An", "next": "//evil.example/x"})
    assert response.status_code == 303 and response.headers["location"] == f"/findings#finding-{key}"


def test_host_header_is_checked_when_hosts_are_given(web_archive):
    with Archive.open(str(web_archive), create=False) as archive:
        client = TestClient(create_app(archive, allowed_hosts=["127.0.0.1", "localhost"]),
                            base_url="http://127.0.0.1")
        assert client.get("/overview").status_code == 200
        assert client.get("/overview", headers={"host": "evil.example"}).status_code == 400


# ---------------------------------------------------------------------------------------------
# A hostile document


def test_hostile_document_is_escaped_everywhere(reviewer):
    ids = _ids(reviewer.archive_path)
    doc_id = next(i for name, i in ids.items() if "onerror" in name)
    findings = reviewer.get("/findings.json").json()["findings"]
    hostile = [f for f in findings if doc_id in f["documents"]]
    assert hostile, "the hostile document's sum mismatch is a finding"
    pages = ["/", "/search?q=alert", "/search?q=script+alert", f"/documents/{doc_id}", "/findings",
             "/findings?lang=en", "/overview", "/figures?metric=dossiers.received",
             f"/search?q={quote('<script>alert(1)</script>')}",
             f"/search?issuer={quote('<img src=x onerror=alert(1)>')}",
             "/search?q=ho+so&kind=sum_mismatch"]
    for path in pages:
        page = reviewer.get(path)
        assert page.status_code == 200, path
        lowered = page.text.lower()
        for markup in HOSTILE_MARKUP:
            assert markup.lower() not in lowered, (path, markup)
        _assert_inert(page.text, path)
    page = reviewer.get(f"/documents/{doc_id}").text
    # The hostile text is shown, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:alert(1)" in _text(page)
    # Its file name too, in the metadata and the search results.
    assert "x&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert "script&gt;&lt;img src=x onerror=alert(1)&gt;.txt" in reviewer.get("/search?q=alert").text
    # The JSON twin keeps the text as it is (JSON is not HTML, and is served as JSON).
    data = reviewer.get(f"/documents/{doc_id}.json")
    assert data.headers["content-type"] == "application/json"
    assert "<script>alert(1)</script>" in data.json()["text"]
    # A review of a hostile finding, with a hostile note and name, stays escaped.
    key = hostile[0]["key"]
    fields = _form_fields(reviewer.get("/findings").text, key)
    reviewer.post(f"/findings/{key}/review", data={**fields, "decision": "confirm",
                                                   "note": "<script>alert(1)</script>",
                                                   "who": "<img src=x onerror=alert(1)>"})
    for path in ["/findings", f"/documents/{doc_id}"]:
        page = reviewer.get(path).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        _assert_inert(page, path)


def _assert_inert(page: str, where: str) -> None:
    """The page, parsed as a browser would, has no script, no active element, no event
    handler attribute and no link to a script URL or another origin."""
    from html.parser import HTMLParser

    problems = []

    class Check(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "img", "svg", "iframe", "object", "embed", "base", "meta") and not (
                    tag == "svg" and dict(attrs).get("class") == "chart") and not (
                    tag == "meta" and set(dict(attrs)) <= {"charset", "name", "content"}):
                problems.append(f"<{tag}>")
            for name, value in attrs:
                if name.startswith("on"):
                    problems.append(f"{tag} {name}")
                if name in ("href", "src", "action", "formaction", "xlink:href") and value and (
                        value.strip().lower().startswith(("javascript:", "data:", "http:", "https:", "//"))):
                    problems.append(f"{tag} {name}={value}")

    Check().feed(page)
    assert not problems, (where, problems)


# ---------------------------------------------------------------------------------------------
# CSV for spreadsheets


def test_csv_twins_have_a_bom_and_defuse_formulas(reviewer):
    import csv
    import io

    from extractor.web.tables import cell

    for path, first in [("/findings.csv", "key"), ("/search.csv?q=ho+so", "id"),
                        ("/figures.csv?metric=dossiers.resolved", "period")]:
        response = reviewer.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"].startswith("attachment; filename=\"cchc-")
        assert response.content.startswith("\ufeff".encode("utf-8"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][0] == first and len(rows) > 1, path
    findings = reviewer.get("/findings.json").json()
    rows = list(csv.DictReader(io.StringIO(reviewer.get("/findings.csv").content.decode("utf-8-sig"))))
    assert [r["key"] for r in rows] == [f["key"] for f in findings["findings"]]
    assert reviewer.get("/findings.csv?severity=gross").text.count("\r\n") == 1 + sum(
        1 for f in findings["findings"] if f["severity"] == "gross")
    search = reviewer.get("/search.json?q=ho+so").json()
    rows = list(csv.DictReader(io.StringIO(reviewer.get("/search.csv?q=ho+so").content.decode("utf-8-sig"))))
    assert len(rows) == search["total"]
    # A cell a spreadsheet would run as a formula is kept as text.
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("@SUM(A1)") == "'@SUM(A1)" and cell("-5") == "-5" and cell("+84 912") == "'+84 912"
    assert cell(["a", "b"]) == "a; b" and cell(None) == "" and cell(True) == "true"


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def test_every_page_on_postgresql(pg_server, tmp_path):
    """The same pages over a PostgreSQL archive (JSON paths, grouping and search differ)."""
    import shutil

    from archive_fixtures import CORPUS, copy_sample
    from extractor.audit import audit_archive

    docs = copy_sample(tmp_path / "docs")
    for name in ("bc_nam_2024.txt", "tin_so_noi_vu_2024.md", "kh_cchc_2024.txt"):
        shutil.copy(CORPUS / "series" / name, docs / name)
    with Archive.open(pg_server.new_database()) as archive:
        archive.ingest([str(docs)], jobs=1)
        audit_archive(archive)
        client = TestClient(create_app(archive, review=True))
        for path in PAGES + ["/search?q=ho+so&type=BC", "/findings?severity=error", "/search.csv?q=ho+so",
                             "/figures?metric=dossiers.resolved"]:
            assert client.get(path).status_code == 200, path
        hits = client.get("/search.json?q=ke+hoach+tuyen+truyen").json()
        assert hits["documents"][0]["name"] == "kh_so_noi_vu_cchc.txt"
        assert hits["facets"]["type"]
        figures = client.get("/figures.json?metric=dossiers.resolved").json()
        assert any(p["contradiction"] for p in figures["periods"])
        finding = client.get("/findings.json").json()["findings"][0]
        fields = _form_fields(client.get("/findings").text, finding["key"])
        response = client.post(f"/findings/{finding['key']}/review", follow_redirects=False,
                               data={**fields, "decision": "confirm", "who": "An"})
        assert response.status_code == 303
        shown = next(f for f in client.get("/findings.json").json()["findings"] if f["key"] == finding["key"])
        assert shown["decision"] == "confirm"
        assert client.get("/overview.json").json()["decided"] == 1


def test_facets_of_a_large_result_count_its_best_matches(client, monkeypatch):
    from extractor.web.data import search

    full = client.get("/search.json?q=ho+so").json()
    monkeypatch.setattr(search, "FACET_LIMIT", 3)
    capped = client.get("/search.json?q=ho+so").json()
    assert capped["facets_over"] == 3 and capped["total"] == full["total"] > 3
    assert sum(f["count"] for f in capped["facets"]["province"]) <= 3
    assert "bộ lọc đếm trên 3 văn bản khớp nhất" in client.get("/search?q=ho+so").text


def test_serve_command_refuses_a_missing_archive_and_binds_locally(tmp_path):
    from extractor.cli import cli
    from extractor.web.commands import allowed_hosts, serve

    missing = tmp_path / "khong-co.sqlite"
    result = CliRunner().invoke(cli, ["serve", "--archive", str(missing)])
    assert result.exit_code == 1 and str(missing) in result.output and not missing.exists()
    defaults = {p.name: p.default for p in serve.params}
    assert defaults["host"] == "127.0.0.1" and defaults["port"] == 8000
    assert next(p for p in serve.params if p.name == "review").is_flag  # read-only unless given
    assert "127.0.0.1" in allowed_hosts("127.0.0.1") and "evil.example" not in allowed_hosts("127.0.0.1")
    assert allowed_hosts("10.0.0.5")[0] == "10.0.0.5" and allowed_hosts("0.0.0.0") is None


def _xlsx_rows(content: bytes) -> list[list]:
    """The cells of an XLSX's one sheet, read back with openpyxl (empty cells as "")."""
    import io
    import zipfile

    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= set(z.namelist())
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")  # never a formula
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_xlsx_twins_hold_the_same_rows(reviewer):
    import csv
    import io

    for path in ["/findings", "/search?q=ho+so", "/figures?metric=dossiers.resolved"]:
        base, _, query = path.partition("?")
        response = reviewer.get(f"{base}.xlsx" + (f"?{query}" if query else ""))
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        rows = _xlsx_rows(response.content)
        table = list(csv.reader(io.StringIO(reviewer.get(f"{base}.csv" + (f"?{query}" if query else "")).content.decode("utf-8-sig"))))
        assert rows[0] == table[0] and len(rows) == len(table) > 1, path
    rows = _xlsx_rows(reviewer.get("/findings.xlsx?kind=difference_mismatch").content)
    header = rows[0]
    assert rows[1][header.index("stated")] == 673 and rows[1][header.index("expected")] == 637
    # The hostile document's text stays text, whatever it looks like.
    rows = _xlsx_rows(reviewer.get("/search.xlsx?q=alert").content)
    assert any("<script>alert(1)</script>" in str(cell) for row in rows for cell in row)
    assert reviewer.get("/findings?format=xlsx").content[:2] == b"PK"


def test_findings_come_a_page_at_a_time(client, monkeypatch):
    from extractor.web import app as web_app

    total = client.get("/findings.json").json()["total"]
    monkeypatch.setattr(web_app, "FINDINGS_PAGE", 5)
    first = client.get("/findings.json").json()
    assert len(first["findings"]) == 5 and first["total"] == total and first["pages"] == -(-total // 5)
    last = client.get(f"/findings.json?page={first['pages']}").json()
    assert len(last["findings"]) == total - 5 * (first["pages"] - 1)
    keys = [f["key"] for p in range(1, first["pages"] + 1)
            for f in client.get(f"/findings.json?page={p}").json()["findings"]]
    assert len(set(keys)) == total
    page = client.get("/findings?page=2").text
    assert 'href="/findings?page=3"' in page and 'href="/findings?page=1"' in page
    assert client.get("/findings?page=x").status_code == 400
    # The spreadsheet twin has them all.
    assert client.get("/findings.csv").text.count("\r\n") == total + 1


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
@pytest.mark.parametrize("severity", [None, "error"])
def test_a_page_of_findings_is_that_slice_of_every_finding(web_archive, size, severity):
    from extractor.web.data.findings import list_findings, page_of_findings

    engine = Archive.open(str(web_archive), create=False).engine
    every = list_findings(engine, severity=severity)
    assert every["total"] > 1, "the fixture archive has findings to page through"
    pages = -(-every["total"] // size)
    shown = []
    for page in range(1, pages + 1):
        one = page_of_findings(engine, page, size, severity=severity)
        assert one["total"] == every["total"] and one["facets"] == every["facets"] and one["pages"] == pages
        shown += one["findings"]
    assert shown == every["findings"]


def test_the_archive_facets_count_the_documents_each_finding_touches(web_archive):
    """The home page's kind and severity facets (counted by the database) against the findings
    of every document read one by one, cross-document ones through their evidence."""
    from collections import Counter

    from extractor.archive import Archive
    from extractor.web.data.search import _archive_facets, _findings_of

    with Archive.open(str(web_archive)) as archive, archive.engine.connect() as conn:
        ids = list(_ids(web_archive).values())
        by_doc = _findings_of(conn, ids)
        facets = _archive_facets(conn)
    kinds = Counter(k for found in by_doc.values() for k in {f["kind"] for f in found})
    severities = Counter(s for found in by_doc.values() for s in {f["severity"] for f in found if f["severity"]})
    assert {f["value"]: f["count"] for f in facets["kind"]} == dict(kinds) and kinds
    assert {f["value"]: f["count"] for f in facets["severity"]} == dict(severities)
