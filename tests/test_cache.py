"""The start-up cache (extractor/cache.py): what it stores comes back the same, and an entry
that is truncated, corrupt or unreadable is rebuilt, never used."""
from __future__ import annotations

import pickle

import pytest
import regex

from extractor import cache
from extractor.multiscan import AVAILABLE, MultiScan
from extractor.patterns import FLAGS, data_digest, load_patterns, patterns_dir, scan_groups

def _flipped(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


# How an entry on disk gets damaged.
DAMAGE = [
    ("a byte of the payload flipped", lambda data: _flipped(data, (len(cache.FORMAT) + cache.DIGEST_SIZE + len(data)) // 2)),
    ("cut short", lambda data: data[: len(data) // 2]),
    ("empty", lambda data: b""),
    ("another format's header", lambda data: b"cchc-extractor cache 0\n" + data[len(cache.FORMAT):]),
    ("not an entry at all", lambda data: b"\x00" * 64),
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(folder, name):
    return sorted(folder.glob(f"{name}-*.bin"))


def _counting(build):
    calls = []

    def counted():
        calls.append(1)
        return build()

    return counted, calls


def test_a_value_round_trips_and_is_built_once(folder):
    build, calls = _counting(lambda: {"doc": ["Kế hoạch", 862], "ratio": (56, 60)})
    first = cache.cached("sample", cache.key("v1"), build)
    second = cache.cached("sample", cache.key("v1"), build)
    assert first == second == {"doc": ["Kế hoạch", 862], "ratio": (56, 60)}
    assert len(calls) == 1 and len(_entries(folder, "sample")) == 1


def test_another_key_is_another_entry(folder):
    build, calls = _counting(lambda: "built")
    cache.cached("sample", cache.key("v1"), build)
    cache.cached("sample", cache.key("v2"), build)
    assert len(calls) == 2 and len(_entries(folder, "sample")) == 2


@pytest.mark.parametrize("how, damage", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_entry_is_rebuilt_and_written_again(folder, how, damage):
    # Plain text, so a flipped byte still unpickles, to another text: only the digest tells.
    value = "so-ky-hieu " * 40
    build, calls = _counting(lambda: value)
    cache.cached("sample", cache.key("v1"), build)
    [entry] = _entries(folder, "sample")
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.cached("sample", cache.key("v1"), build) == value
    assert len(calls) == 2
    assert cache.load("sample", cache.key("v1")) is not None  # a sound entry again
    assert cache.cached("sample", cache.key("v1"), build) == value and len(calls) == 2


def test_an_entry_that_does_not_undump_is_rebuilt(folder):
    cache.store("sample", cache.key("v1"), b"not a pickle")
    assert cache.cached("sample", cache.key("v1"), lambda: "built") == "built"
    assert pickle.loads(cache.load("sample", cache.key("v1"))) == "built"


@pytest.mark.parametrize("setting", ["off", "a file"])
def test_no_usable_folder_builds_every_time(tmp_path, monkeypatch, setting):
    if setting == "a file":
        blocker = tmp_path / "blocker"
        blocker.write_text("x")
        monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    else:
        monkeypatch.setenv(cache.CACHE_ENV, cache.OFF)
    build, calls = _counting(lambda: "built")
    assert cache.cached("sample", cache.key("v1"), build) == "built"
    assert cache.cached("sample", cache.key("v1"), build) == "built"
    assert len(calls) == 2


def test_a_pattern_file_parses_the_same_from_the_cache(folder):
    import yaml

    path = patterns_dir() / "doc_types.yaml"
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    parse, calls = _counting(lambda: None)

    def parsing(stream):
        parse()
        return yaml.safe_load(stream)

    assert cache.parsed_yaml(path, parsing) == expected
    assert cache.parsed_yaml(path, parsing) == expected
    assert len(calls) == 1


def test_an_edited_file_is_parsed_again(folder, tmp_path):
    import yaml

    path = tmp_path / "sample.yaml"
    path.write_text("words: [Kế hoạch]\n", encoding="utf-8")
    assert cache.parsed_yaml(path, yaml.safe_load) == {"words": ["Kế hoạch"]}
    path.write_text("words: [Quyết định]\n", encoding="utf-8")
    assert cache.parsed_yaml(path, yaml.safe_load) == {"words": ["Quyết định"]}


def test_a_parse_error_names_the_file(folder, tmp_path):
    import yaml

    path = tmp_path / "broken.yaml"
    path.write_text("words: [Kế hoạch\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match="broken.yaml"):
        cache.parsed_yaml(path, yaml.safe_load)
    assert not _entries(folder, "yaml-broken")


def test_the_compiled_patterns_round_trip(folder):
    """Every fact pattern and scan group compiled cold, then loaded from the cache, is the same
    regex: same source, flags and groups, and the same matches on every example."""
    cold = load_patterns.__wrapped__()
    assert _entries(folder, "regex-patterns")
    warm = load_patterns.__wrapped__()
    for kind, patterns in cold.items():
        for before, after in zip(patterns, warm[kind], strict=True):
            assert (after.compiled.pattern, after.compiled.flags, after.compiled.groupindex) == (
                before.compiled.pattern, before.compiled.flags, before.compiled.groupindex)
            for example in before.examples:
                found = [m.span() for m in before.compiled.finditer(example.text)]
                assert [m.span() for m in after.compiled.finditer(example.text)] == found
            for text in before.counter_examples:
                assert [m.span() for m in after.compiled.finditer(text)] == [
                    m.span() for m in before.compiled.finditer(text)]


@pytest.mark.parametrize("how, damage", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_regex_store_is_compiled_again(folder, how, damage):
    sources = [group.compiled.pattern for group in scan_groups()[:3]]
    with cache.RegexStore("sample", data_digest()) as store:
        expected = [store.compile(s, FLAGS) for s in sources]
    [entry] = _entries(folder, "regex-sample")
    entry.write_bytes(damage(entry.read_bytes()))
    with cache.RegexStore("sample", data_digest()) as store:
        again = [store.compile(s, FLAGS) for s in sources]
    assert [(r.pattern, r.flags) for r in again] == [(r.pattern, r.flags) for r in expected]
    with cache.RegexStore("sample", data_digest()) as store:
        assert sorted(store._stored) == sorted((s, FLAGS) for s in sources)  # written whole again


def test_a_regex_store_keeps_what_was_asked_for_last(folder):
    with cache.RegexStore("sample", "k") as store:
        store.compile(r"\d+")
        store.compile(r"[a-z]+")
    with cache.RegexStore("sample", "k") as store:
        assert store.compile(r"\d+").pattern == r"\d+"
    with cache.RegexStore("sample", "k") as store:
        assert sorted(store._stored) == [(r"\d+", 0)]


def test_a_regex_that_does_not_compile_still_fails(folder):
    with pytest.raises(regex.error):
        with cache.RegexStore("sample", "k") as store:
            store.compile(r"(unbalanced")
    assert not _entries(folder, "regex-sample")


SCANS = [
    (["Kế hoạch", r"\d+/[A-Z]+"], [0, 1], "Theo Kế hoạch số 862/KH ngày 29/3"),
    (["^Số:", "ngày"], [3, 7], "Số: 12/BC\nAn Hòa, ngày 15 tháng 3"),
]


@pytest.mark.skipif(not AVAILABLE, reason="Hyperscan is not available here")
@pytest.mark.parametrize("expressions, ids, text", SCANS)
def test_a_hyperscan_database_round_trips(folder, expressions, ids, text):
    cold = MultiScan(expressions, ids).starts(text, text.encode("utf-8"))
    [entry] = _entries(folder, "hyperscan")
    warm = MultiScan(expressions, ids).starts(text, text.encode("utf-8"))
    assert warm == cold and cold
    entry.write_bytes(DAMAGE[0][1](entry.read_bytes()))
    assert MultiScan(expressions, ids).starts(text, text.encode("utf-8")) == cold
    assert cache.load("hyperscan", entry.stem.split("-", 1)[1]) is not None
