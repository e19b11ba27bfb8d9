#!/usr/bin/env python3
"""Validate the annotation sets under bench/annotations/.

  python3 bench/annotations/check.py [--no-text] [--verbose]

Checks every relations/<set>/*.json and facts/<set>/*.gold.json file:
  - schema (required keys and types, known kinds, `where`, span objects),
  - the set named in the file equals its folder, and the set names are dev / held_out / held_out2 / held_out3,
  - no document path in more than one set (over both parts),
  - no string field longer than 40 characters except `note`/`notes`, `path` and `file` (a file name),
  - `holds` recomputed from the annotated values (exact decimal arithmetic, the rule of the
    README: a percentage holds when the computed value rounded half-up or truncated at the
    written decimals equals it),
  - offsets: `text[start:end] == span.text` against `python3 -m extractor text PATH`
    (PATH under ../shared/corpus/public), when ../shared is present and --no-text is not given.
Only the reader's text dump is used; no fact extractor or audit code is run.
Exit status 1 when any error is found.
"""
import argparse, json, os, re, subprocess, sys
from decimal import Decimal as D, ROUND_HALF_UP, ROUND_DOWN, InvalidOperation

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(REPO, "..", "shared", "corpus", "public")
SETS = ("dev", "held_out", "held_out2", "held_out3")
WHERE = ("prose", "table", "list")
LONG_OK = {"note", "notes", "path", "file"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEC = re.compile(r"^-?\d+(\.\d+)?$")
NUM = re.compile(r"\d[\d.,]*")

# kind -> required keys holding a span (s) or a list of spans (l)
KINDS = {
    "sum": {"whole": "s", "parts": "l"},
    "share": {"part": "s", "whole": "s", "percent": "s"},
    "score": {"part": "s", "whole": "s", "percent": "s"},
    "difference": {"current": "s", "previous": "s", "change": "s"},
    "percent_change": {"current": "s", "percent": "s"},
    "ratio": {"numerator": "s", "denominator": "s", "remainder": "s"},
    "product": {"whole": "s", "factors": "l"},
    "multiple": {"whole": "s", "base": "s", "factor": "s"},
    "restatement": {"mentions": "l"},
    "complement": {"parts": "l"},
    "count": {"stated": "s"},
    "mean": {"total": "s", "count": "s", "mean": "s"},
}
OPTIONAL_SPANS = {"previous": "s", "change": "s", "divisors": "l"}

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


_text_cache = {}


def doc_text(path, args):
    key = (path, tuple(args))
    if key not in _text_cache:
        full = os.path.join(CORPUS, path)
        run = subprocess.run([sys.executable, "-m", "extractor", "text", full] + list(args),
                             cwd=REPO, capture_output=True, text=True)
        _text_cache[key] = run.stdout if run.returncode == 0 else None
    return _text_cache[key]


def check_strings(obj, where, key=None):
    if isinstance(obj, dict):
        for k, v in obj.items():
            check_strings(v, where, k)
    elif isinstance(obj, list):
        for v in obj:
            check_strings(v, where, key)
    elif isinstance(obj, str) and key not in LONG_OK and len(obj) > 40:
        err(where, "string field %r longer than 40 characters: %r" % (key, obj[:50]))


def check_span(sp, where, text):
    if not isinstance(sp, dict):
        return err(where, "span is not an object")
    v = sp.get("value")
    if not isinstance(v, str) or not DEC.match(v):
        err(where, "value %r is not a plain decimal string" % (v,))
    if sp.get("implicit"):
        if sp.get("start") is not None:
            err(where, "implicit span has offsets")
        return
    t, s, e = sp.get("text"), sp.get("start"), sp.get("end")
    if not isinstance(t, str) or not isinstance(s, int) or not isinstance(e, int):
        return err(where, "span needs text/start/end")
    if e - s != len(t):
        err(where, "end - start != len(text) for %r" % t)
    if text is not None and text[s:e] != t:
        err(where, "offsets %d:%d give %r, not %r" % (s, e, text[s:e], t))


def wdecs(sp):
    t = sp.get("text")
    if t:
        m = NUM.search(t)
        if m:
            tok = m.group(0).rstrip(".,")
            if "," in tok:
                return len(tok.rsplit(",", 1)[1])
            if "." in tok and not re.fullmatch(r"\d{1,3}(\.\d{3})+", tok):
                return len(tok.rsplit(".", 1)[1])
            return 0
    v = sp["value"]
    return len(v.split(".")[1]) if "." in v else 0


def pct_ok(c, sp):
    q = D(1).scaleb(-wdecs(sp))
    w = D(sp["value"])
    return c.quantize(q, ROUND_HALF_UP) == w or c.quantize(q, ROUND_DOWN) == w


def V(sp):
    return D(sp["value"])


def holds(r):
    k = r["kind"]
    if k == "sum":
        s = sum(V(p) for p in r["parts"])
        return s == V(r["whole"]) if r.get("exhaustive", True) else s <= V(r["whole"])
    if k in ("share", "score"):
        return pct_ok(V(r["part"]) / V(r["whole"]) * 100, r["percent"])
    if k == "difference":
        sign = 1 if r.get("sign", "+") == "+" else -1
        return V(r["current"]) - V(r["previous"]) == sign * V(r["change"])
    if k == "percent_change":
        sign = 1 if r.get("sign", "+") == "+" else -1
        if "previous" in r:
            prev = V(r["previous"])
            ch = V(r["current"]) - prev if "change" not in r else sign * V(r["change"])
        else:
            ch = sign * V(r["change"])
            prev = V(r["current"]) - ch
        return pct_ok(abs(ch) / prev * 100, r["percent"])
    if k == "ratio":
        return V(r["denominator"]) - V(r["numerator"]) == V(r["remainder"])
    if k == "product":
        p = D(1)
        for x in r["factors"]:
            p *= V(x)
        for x in r.get("divisors", []):
            p /= V(x)
        return pct_ok(p, r["whole"]) if r.get("rounded") else p == V(r["whole"])
    if k == "multiple":
        q = V(r["whole"]) / V(r["base"])
        f = V(r["factor"])
        qual = r.get("qualifier", "exact")
        if qual == "more_than":
            return q > f
        if qual == "less_than":
            return q < f
        return pct_ok(q, r["factor"])
    if k == "restatement":
        return len({V(m) for m in r["mentions"]}) == 1
    if k == "complement":
        s = sum(V(p) for p in r["parts"])
        t = D(r.get("total", "100"))
        return s == t if r.get("exhaustive", True) else s <= t
    if k == "count":
        return D(str(r["counted"])) == V(r["stated"])
    if k == "mean":
        return pct_ok(V(r["total"]) / V(r["count"]), r["mean"])
    raise ValueError(k)


def check_relations(fn, obj, set_, use_text, stats):
    where = os.path.relpath(fn, REPO)
    for k in ("path", "set", "annotator", "relations"):
        if k not in obj:
            err(where, "missing key %r" % k)
    if obj.get("set") != set_:
        err(where, "set %r but file is under %s/" % (obj.get("set"), set_))
    text = doc_text(obj["path"], obj.get("text_args", [])) if use_text else None
    if use_text and text is None:
        err(where, "could not read document text for %s" % obj.get("path"))
    cov = obj.get("coverage", {"full": True})
    if not cov.get("full", True) and not (isinstance(cov.get("start"), int) and isinstance(cov.get("end"), int)):
        err(where, "partial coverage needs start/end offsets")
    ids = set()
    for r in obj.get("relations", []):
        rw = "%s %s" % (where, r.get("id"))
        if r.get("id") in ids:
            err(rw, "duplicate id")
        ids.add(r.get("id"))
        k = r.get("kind")
        if k not in KINDS:
            err(rw, "unknown kind %r" % k)
            continue
        if not isinstance(r.get("holds"), bool):
            err(rw, "holds is not a boolean")
        if r.get("where") not in WHERE:
            err(rw, "where %r not in %s" % (r.get("where"), WHERE))
        spec = dict(KINDS[k])
        for opt, t in OPTIONAL_SPANS.items():
            if opt in r and opt not in spec:
                spec[opt] = t
        ok = True
        for key, t in spec.items():
            if key not in r:
                err(rw, "missing %r" % key)
                ok = False
                continue
            spans = r[key] if t == "l" else [r[key]]
            if t == "l" and (not isinstance(r[key], list) or not r[key]):
                err(rw, "%r must be a non-empty list" % key)
                ok = False
                continue
            for sp in spans:
                check_span(sp, "%s.%s" % (rw, key), text)
                if not isinstance(sp, dict) or not isinstance(sp.get("value"), str) or not DEC.match(sp.get("value", "")):
                    ok = False
        if k == "percent_change" and "change" not in r and "previous" not in r:
            err(rw, "percent_change needs change or previous")
            ok = False
        if k == "count" and not isinstance(r.get("counted"), int):
            err(rw, "count needs an integer 'counted'")
            ok = False
        if k == "sum" and not isinstance(r.get("exhaustive", True), bool):
            err(rw, "exhaustive must be boolean")
        if ok:
            try:
                h = holds(r)
            except (InvalidOperation, ZeroDivisionError, KeyError) as e:
                err(rw, "cannot recompute holds: %r" % e)
            else:
                if h != r.get("holds"):
                    err(rw, "holds is %r but the values give %r" % (r.get("holds"), h))
        stats["relations"] += 1
        stats["kinds"][k] = stats["kinds"].get(k, 0) + 1
        stats["broken"] += (r.get("holds") is False)
    check_strings(obj, where)


FACT_KEYS = ("file", "path", "set", "header", "doc_refs", "dates", "ratios", "percents", "money")


def check_facts(fn, obj, set_, use_text, stats):
    where = os.path.relpath(fn, REPO)
    for k in FACT_KEYS:
        if k not in obj:
            err(where, "missing key %r" % k)
    if obj.get("set") != set_:
        err(where, "set %r but file is under %s/" % (obj.get("set"), set_))
    if obj.get("path") and os.path.basename(obj["path"]) != obj.get("file"):
        err(where, "file %r is not the basename of path %r" % (obj.get("file"), obj.get("path")))
    if not fn.endswith(".gold.json"):
        err(where, "facts files must end in .gold.json")
    h = obj.get("header", {})
    for k in ("number", "date", "issuer", "doc_type"):
        if k not in h:
            err(where, "header misses %r" % k)
    if h.get("date") is not None and not ISO.match(str(h.get("date"))):
        err(where, "header date %r is not ISO" % h.get("date"))
    for r in obj.get("doc_refs", []):
        if not isinstance(r.get("canonical"), str) or not r["canonical"]:
            err(where, "doc_ref without canonical")
        for dt in r.get("dates", []):
            if not ISO.match(dt):
                err(where, "doc_ref date %r not ISO" % dt)
    for dt in obj.get("dates", []):
        if not isinstance(dt, str) or not ISO.match(dt):
            err(where, "date %r not ISO" % (dt,))
    for p in obj.get("ratios", []):
        if not (isinstance(p, list) and len(p) == 2 and all(isinstance(x, (int, float)) for x in p)):
            err(where, "ratio %r is not a [numerator, denominator] pair" % (p,))
    for p in obj.get("percents", []):
        if not isinstance(p, (int, float)):
            err(where, "percent %r is not a number" % (p,))
    for m in obj.get("money", []):
        if not isinstance(m, dict) or not isinstance(m.get("value"), (int, float)) or m.get("currency") != "VND":
            err(where, "money %r needs a numeric value and currency VND" % (m,))
    if use_text and obj.get("path"):
        text = doc_text(obj["path"], obj.get("text_args", []))
        if text is None:
            err(where, "could not read document text for %s" % obj["path"])
        else:
            for m in obj.get("money", []):
                t = m.get("text")
                if t and t not in text:
                    err(where, "money text %r not found in the document text" % t)
    check_strings(obj, where)
    stats["documents"] += 1
    for k in ("doc_refs", "dates", "ratios", "percents", "money"):
        stats["facts"][k] = stats["facts"].get(k, 0) + len(obj.get(k, []))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-text", action="store_true", help="skip the offset check against the documents")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    use_text = not a.no_text and os.path.isdir(CORPUS)
    if not use_text:
        print("offsets not checked (%s)" % ("--no-text" if a.no_text else "../shared absent"))
    seen = {}
    report = {}
    for part in ("relations", "facts"):
        base = os.path.join(HERE, part)
        if not os.path.isdir(base):
            continue
        for set_ in sorted(os.listdir(base)):
            d = os.path.join(base, set_)
            if not os.path.isdir(d):
                continue
            if set_ not in SETS:
                err(os.path.relpath(d, REPO), "unknown set name %r" % set_)
            stats = {"documents": 0, "relations": 0, "broken": 0, "kinds": {}, "facts": {}}
            for name in sorted(os.listdir(d)):
                if not name.endswith(".json"):
                    continue
                fn = os.path.join(d, name)
                try:
                    obj = json.load(open(fn, encoding="utf-8"))
                except ValueError as e:
                    err(os.path.relpath(fn, REPO), "invalid JSON: %s" % e)
                    continue
                p = obj.get("path")
                if p in seen and seen[p][1] != set_:
                    err(os.path.relpath(fn, REPO), "path %s also in set %s (%s)" % (p, seen[p][1], seen[p][0]))
                if p in seen and seen[p][1] == set_ and seen[p][0] == part:
                    err(os.path.relpath(fn, REPO), "path %s annotated twice in %s/%s" % (p, part, set_))
                seen[p] = (part, set_)
                if part == "relations":
                    stats["documents"] += 1
                    check_relations(fn, obj, set_, use_text, stats)
                else:
                    check_facts(fn, obj, set_, use_text, stats)
            report[(part, set_)] = stats
    for (part, set_), s in sorted(report.items()):
        if part == "relations":
            print("relations/%-8s documents %2d  relations %3d  broken %3d  %s" % (
                set_, s["documents"], s["relations"], s["broken"],
                " ".join("%s=%d" % kv for kv in sorted(s["kinds"].items()))))
        else:
            print("facts/%-8s     documents %2d  %s" % (
                set_, s["documents"], " ".join("%s=%d" % kv for kv in sorted(s["facts"].items()))))
    for e in errors:
        print("ERROR", e)
    print("%d error(s)" % len(errors))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
