"""Every text document of ../shared/corpus/public runs through extraction cleanly."""
from __future__ import annotations

import pytest

from extractor import extract_document, read_document

# The whole public corpus takes seconds: out of the inner loop.
pytestmark = pytest.mark.slow


def test_public_text_documents_extract_with_exact_offsets(shared_dir):
    public = shared_dir / "corpus" / "public"
    paths = sorted(p for p in public.rglob("*") if p.suffix.lower() in (".md", ".txt", ".html", ".htm"))
    assert len(paths) > 50
    total = 0
    for path in paths:
        record = extract_document(str(path))
        assert not record["errors"], record["errors"]
        text = read_document(path).text
        for fact in record["facts"]:
            assert text[fact["start"]:fact["end"]] == fact["text"], (path.name, fact)
        total += len(record["facts"])
    assert total > 1000
