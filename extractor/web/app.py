"""The ASGI app: small view functions, each rendering one Jinja2 template or, for the same URL
with ``.json`` or ``?format=json``, the same data as JSON.

Safe by default: templates autoescape everything (document texts, file names and metadata are
hostile input); every response carries a strict Content-Security-Policy (no script at all, no
external origin); the POST route that records review decisions exists only with
``review=True`` and wants the form's CSRF token, signed with a per-process secret.
"""
from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import tables, templating
from .data import common, documents, figures, findings, overview, search
from ..messages import message
from .i18n import LANGS, metric_label

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # (no-referrer would make the forms send Origin: null)
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
CSRF_MAX_AGE = 12 * 3600  # seconds a review form stays valid
MAX_FORM_BYTES = 64 * 1024  # a review form's body
MAX_NOTE = 4000  # characters of a review note kept
FINDINGS_PAGE = 100  # findings shown per page
FIGURE_DOCUMENTS_SHOWN = 5  # documents named per value and period on the figures page


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def highlighted_text(text: str, facts: list[dict[str, Any]], outline: list[dict[str, Any]],
                     lang: str) -> Markup:
    """The document text as HTML: every fact a ``<mark>`` (its value in ``title``), evidence of
    a finding flagged with a link to it, section anchors at their headings. Every piece of the
    text is escaped."""
    anchors: dict[int, list[str]] = {}

    def walk(nodes):
        for n in nodes:
            anchors.setdefault(n["start"], []).append(n["path"])
            walk(n["children"])

    walk(outline)
    points = sorted(anchors)
    out: list[str] = []

    def plain(s: int, e: int) -> None:
        pos = s
        for p in points:
            if s <= p < e:
                out.append(str(escape(text[pos:p])))
                for path in anchors[p]:
                    out.append(f'<span class="anchor" id="sec-{escape(path)}"></span>')
                pos = p
        out.append(str(escape(text[pos:e])))

    def emit(s: int, e: int, children: list[documents.Mark]) -> None:
        pos = s
        for m in children:
            plain(pos, m.start)
            f = m.fact
            classes = ["fact", f"k-{f['kind']}"]
            if f["findings"]:
                classes += ["evidence", f"sev-{f['findings'][0]['severity']}"]
            out.append(f'<mark class="{escape(" ".join(classes))}" id="fact-{int(f["id"])}" '
                       f'title="{escape(f["title"])}">')
            emit(m.start, m.end, m.children)
            out.append("</mark>")
            for finding in f["findings"]:
                out.append(f'<a class="flag sev-{escape(finding["severity"])}" href="#finding-{escape(finding["key"])}"'
                           f' title="{escape(message("web_flag", lang))}: {escape(finding["kind"])}">!</a>')
            pos = m.end
        plain(pos, e)

    emit(0, len(text), documents.marks(facts))
    return Markup("".join(out))


def create_app(archive, *, review: bool = False, lang: str = "vi", secret: bytes | None = None,
               allowed_hosts: list[str] | None = None) -> Starlette:
    """The web app over ``archive`` (an :class:`~extractor.archive.Archive`).

    ``review``: add the POST route recording confirm/dismiss decisions; ``lang``: the default
    language (``?lang=`` switches per request); ``secret``: the CSRF signing key (default: new
    for each process); ``allowed_hosts``: the Host headers answered (DNS rebinding guard)."""
    engine = archive.engine
    default_lang = lang if lang in LANGS else "vi"
    env = templating.environment()
    signer = URLSafeTimedSerializer(secret or secrets.token_bytes(32), salt="cchc-review")

    def page_lang(request: Request) -> str:
        asked = request.query_params.get("lang")
        return asked if asked in LANGS else default_lang

    def wants_json(request: Request) -> bool:
        return request.url.path.endswith(".json") or request.query_params.get("format") == "json"

    def wants_table(request: Request) -> str | None:
        """``csv`` or ``xlsx`` when the spreadsheet twin is asked for."""
        for fmt in ("csv", "xlsx"):
            if request.url.path.endswith("." + fmt) or request.query_params.get("format") == fmt:
                return fmt
        return None

    def table_response(request: Request, name: str, table: tuple[list[str], list[dict[str, Any]]]) -> Response:
        fmt = wants_table(request)
        headers = {"content-disposition": f'attachment; filename="cchc-{name}.{fmt}"'}
        if fmt == "xlsx":
            return Response(tables.to_xlsx(*table, sheet=name), headers=headers,
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return Response(tables.to_csv(*table), media_type="text/csv; charset=utf-8", headers=headers)

    def render(request: Request, template: str, payload: dict[str, Any], status: int = 200,
               **extra: Any) -> Response:
        lang_ = page_lang(request)
        if wants_json(request):
            body = json.dumps(payload, ensure_ascii=False, default=str)
            return Response(body, status_code=status, media_type="application/json")

        def url(path: str, **params: Any) -> str:
            params = {k: v for k, v in params.items() if v not in (None, "")}
            if lang_ != default_lang and "lang" not in params:
                params["lang"] = lang_
            return path + ("?" + urlencode(params) if params else "")

        def here(**changes: Any) -> str:
            """This page's URL with some parameters changed (None removes one)."""
            params = dict(request.query_params)
            params.pop("format", None)
            params.update(changes)
            params = {k: v for k, v in params.items() if v not in (None, "")}
            if params.get("lang") == default_lang:
                params.pop("lang")
            elif "lang" not in params and lang_ != default_lang:
                params["lang"] = lang_
            # One leading slash: "//host/…" would be a link to another site.
            path = "/" + request.url.path.removesuffix(".json").lstrip("/")
            return path + ("?" + urlencode(params) if params else "")

        context = {**templating.words(lang_), "url": url, "here": here, "review": review,
                   "other_lang": "en" if lang_ == "vi" else "vi", "d": payload,
                   "archive_name": archive.name, "json_url": here(format="json"),
                   # A review form's token: the finding's key, signed and dated (valid for
                   # that finding only, for CSRF_MAX_AGE).
                   "csrf_token": (lambda key: signer.dumps(key)) if review else (lambda key: None),
                   "severities": common.SEVERITIES, "cited_by_limit": documents.CITED_BY_LIMIT, **extra}
        html = env.get_template(template).render(context)
        return HTMLResponse(html, status_code=status)

    def search_page(request: Request) -> Response:
        q = request.query_params
        try:
            year = int(q["year"]) if q.get("year") else None
            page = int(q.get("page") or 1)
        except ValueError:
            raise HTTPException(400)
        params = search.SearchParams(q=q.get("q", ""), doc_type=q.get("type") or None,
                                   issuer=q.get("issuer") or None, province=q.get("province") or None,
                                   year=year, kind=q.get("kind") or None,
                                   severity=q.get("severity") or None, page=page)
        if wants_table(request):
            params.page = 1
            result = search.run(engine, params, page_size=search.FACET_LIMIT, snippets=False)
            return table_response(request, "search", tables.search_rows(result))
        result = search.run(engine, params)
        return render(request, "search.html", result)

    def document_page(request: Request) -> Response:
        try:
            document_id = int(request.path_params["id"].removesuffix(".json"))
        except ValueError:
            raise HTTPException(404)
        doc = documents.read(engine, document_id)
        if doc is None:
            raise HTTPException(404)
        if wants_json(request):
            return render(request, "document.html", doc)
        text_html = highlighted_text(doc["text"], doc["facts"], doc["outline"], page_lang(request))
        return render(request, "document.html", doc, text_html=text_html)

    def findings_page(request: Request) -> Response:
        q = request.query_params
        severity = q.get("severity") or None
        kind = q.get("kind") or None
        decision = q.get("decision") or None
        if decision is not None and decision not in findings.DECISIONS:
            raise HTTPException(400)
        try:
            page = int(q.get("page") or 1)
        except ValueError:
            raise HTTPException(400)
        if wants_table(request):
            result = findings.list_findings(engine, severity=severity, kind=kind, decision=decision)
            return table_response(request, "findings", tables.findings_rows(result))
        # One page of findings at a time (the spreadsheet twins have them all).
        result = findings.page_of_findings(engine, page, FINDINGS_PAGE, severity=severity, kind=kind,
                                           decision=decision)
        return render(request, "findings.html", result)

    def figures_page(request: Request) -> Response:
        q = request.query_params
        body, metric = q.get("body") or None, q.get("metric") or None
        if wants_table(request):
            return table_response(request, "figures", tables.figures_rows(figures.series(engine, body, metric)))
        # A value many documents state for one period names the first few (the spreadsheet
        # twins list them all).
        result = figures.series(engine, body, metric, FIGURE_DOCUMENTS_SHOWN)
        for entry in result["metrics"]:
            entry["label"] = metric_label(page_lang(request), entry["value"])
        if wants_json(request):
            return render(request, "figures.html", result)
        return render(request, "figures.html", result, chart=figures.chart(result["periods"]))

    def overview_page(request: Request) -> Response:
        return render(request, "overview.html", overview.counts(engine))

    async def review_post(request: Request) -> Response:
        key = request.path_params["key"]
        lang_ = page_lang(request)
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = MAX_FORM_BYTES + 1
        if length > MAX_FORM_BYTES:
            return _error(render, request, 413, message("web_bad_request", lang_))
        form = await request.form(max_files=0, max_fields=10)
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.headers.get('host')}":
            return _error(render, request, 403, message("web_csrf_failed", lang_))
        try:
            signed_for = signer.loads(str(form.get("csrf_token") or ""), max_age=CSRF_MAX_AGE)
        except BadData:
            return _error(render, request, 403, message("web_csrf_failed", lang_))
        if signed_for != key:
            return _error(render, request, 403, message("web_csrf_failed", lang_))
        decision = str(form.get("decision") or "")
        note = str(form.get("note") or "").strip()[:MAX_NOTE] or None
        who = str(form.get("who") or "").strip() or None
        if decision not in ("confirm", "dismiss"):
            return _error(render, request, 400, message("web_bad_request", lang_))
        if not who:
            return _error(render, request, 400, message("web_who_required", lang_))
        if not findings.finding_exists(engine, key):
            return _error(render, request, 404, message("web_unknown_finding", lang_, key=key))
        # The same library call as `cchc review KEY --confirm/--dismiss --note --who`.
        archive.judge(decision=decision, finding_key=key, note=note, who=who[:128])
        target = str(form.get("next") or "")
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = "/findings"
        return RedirectResponse(target.split("#")[0] + f"#finding-{key}", status_code=303)

    def page(path: str, endpoint, twins: tuple[str, ...]) -> list[Route]:
        """A page's route and its twins' (``/findings.json``, ``/findings.csv``…)."""
        return [Route(path, endpoint, name=path.strip("/")),
                *(Route(f"{path}.{twin}", endpoint) for twin in twins)]

    tabular = ("json", "csv", "xlsx")
    routes = [
        Route("/", search_page, name="home"),
        *page("/search", search_page, tabular),
        Route("/documents/{id}", document_page, name="document"),
        *page("/findings", findings_page, tabular),
        *page("/figures", figures_page, tabular),
        *page("/overview", overview_page, ("json",)),
        Mount("/static", app=StaticFiles(directory=str(templating.STATIC)), name="static"),
    ]
    if review:
        routes.append(Route("/findings/{key}/review", review_post, methods=["POST"]))

    async def not_found(request: Request, exc: HTTPException) -> Response:
        status = getattr(exc, "status_code", 500)
        return _error(render, request, status,
                      message("web_not_found" if status == 404 else "web_bad_request", page_lang(request)))

    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: not_found})
    app.state.archive = archive
    app.state.review = review
    return app


def _error(render, request: Request, status: int, text: str) -> Response:
    return render(request, "error.html", {"error": text, "status": status}, status=status)
