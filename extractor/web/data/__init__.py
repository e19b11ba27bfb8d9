"""What the web pages show, read from the archive: plain dicts and lists, ready for a template
and for the page's JSON twin alike. One module a page: :mod:`.search` (the archive's folded,
ranked search with facets and snippets), :mod:`.documents` (a document with its facts, outline,
findings and citations), :mod:`.findings` (findings with their evidence and decisions),
:mod:`.figures` (a metric period by period, and its chart), :mod:`.overview` (totals); what
they share is in :mod:`.common`. Nothing here writes: decisions go through
:meth:`Archive.judge`, as ``cchc review``.
"""
