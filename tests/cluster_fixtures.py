"""Extractions run on Dask workers by tests/test_cluster.py (workers import them by name)."""
from __future__ import annotations

import os
import signal
from pathlib import Path


def kill_worker_once(path, options=None, lang="vi", digest=None):
    """Kills the worker process reading a file named ``kill*`` the first time it is read (a
    marker beside the file says it happened); the retry on another worker reads it normally."""
    from extractor.archive.worker import extract_file

    file = Path(path)
    marker = file.with_name(file.name + ".killed")
    if file.name.startswith("kill") and not marker.exists():
        marker.write_text(str(os.getpid()), encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_file(path, options, lang, digest)


def kill_worker_always(path, options=None, lang="vi", digest=None):
    """Kills every worker that reads a file named ``kill*`` (a file no worker survives)."""
    from extractor.archive.worker import extract_file

    if Path(path).name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_file(path, options, lang, digest)
