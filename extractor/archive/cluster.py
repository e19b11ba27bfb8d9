"""Ingest on a Dask cluster: documents read on the workers, written by the workers or by us.

``--cluster`` names the cluster: ``local`` or ``local:N`` starts a ``LocalCluster`` of N
single-threaded worker processes on 127.0.0.1 for this run (N defaults to the cores);
``tcp://HOST:8786`` joins a running scheduler whose workers see the files at the same paths
(a shared or copied folder) and have the same version of cchc-extractor installed.

- On PostgreSQL each worker writes the documents it read, one transaction per document, so
  there are as many writers as workers; writers of the same path are serialised by the
  archive's advisory lock and the content hash makes a second write of the same content a no-op
  (``unchanged``). On SQLite (one writer per file, and a file the other machines cannot open)
  the workers send back what they read and this process writes it.
- A worker killed mid-document loses nothing: the scheduler gives its tasks to another worker.
  A task whose workers died ``distributed.scheduler.allowed-failures`` times is read once more
  alone in a process of this machine (the other tasks a dying worker held die with it, guilty or
  not): the file that kills its reader is recorded as failed, naming it, and the batch goes on. A task that is retried after its worker had
  already committed the document finds it stored and reports it ``unchanged``.
- Tasks are submitted in a window a few times the number of workers wide, so a million files
  never become a million futures at once.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Callable, Iterator

from ..messages import message
from ..read.options import ReadOptions
from .store import Outcome, Payload

LOCAL = "local"
# Tasks kept submitted per worker: enough to keep every worker busy while results come back.
WINDOW_PER_WORKER = 4
# Seconds to wait for a remote scheduler to answer before saying it cannot be reached.
CONNECT_TIMEOUT = 20


class ClusterError(Exception):
    """A cluster that cannot be started or reached; ``message(lang)`` is one line naming it."""

    def __init__(self, address: str, reason: str):
        self.address = address
        self.reason = reason
        super().__init__(message("cluster_unreachable", "vi", address=address, reason=reason))

    def message(self, lang: str = "vi") -> str:
        return message("cluster_unreachable", lang, address=self.address, reason=self.reason)


def local_workers(address: str) -> int | None:
    """The number of workers ``local[:N]`` asks for (``None`` when the address is a scheduler's)."""
    if address == LOCAL:
        return os.cpu_count() or 1
    if address.startswith(LOCAL + ":"):
        count = address.split(":", 1)[1]
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(address, "local:N needs a whole number of workers N ≥ 1")
        return int(count)
    return None


class Cluster:
    """A client of a Dask cluster, and the LocalCluster it started, if any (closed with it)."""

    def __init__(self, address: str):
        from distributed import Client, LocalCluster

        self.address = address
        self._local = None
        workers = local_workers(address)
        try:
            if workers is not None:
                # Process workers, one thread each: the readers hold the GIL and fork per document.
                self._local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None,
                                           silence_logs=logging.ERROR)
                self.client = Client(self._local)
            else:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            raise ClusterError(address, " ".join(str(exc).split())[:200] or type(exc).__name__) from None

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._local is not None:
            self._local.close()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True)
class Target:
    """Where a worker writes: the archive's URL (with its password: workers connect too)."""

    url: str
    name: str
    version: str
    force: bool
    lang: str


def run(cluster: Cluster, tasks: Iterator[tuple[str, tuple[str, int] | None]], options: ReadOptions,
        lang: str, write: Callable[[Payload], Outcome], record: Callable[[Outcome], None],
        extract: Callable[..., Payload], target: Target | None, *,
        store: Callable[..., Outcome], alone: Callable[[tuple], Payload],
        crashed: Callable[[str, tuple[str, int] | None, str], Payload]) -> None:
    """Extract every task on the cluster. With a ``target`` the workers run ``store`` (read and
    write one file), else they run ``extract`` and ``write`` stores here. A task no worker
    survived is read by ``alone`` on this machine; one that raised is ``crashed``."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    client = cluster.client
    window = cluster.workers() * WINDOW_PER_WORKER
    inflight: dict[str, tuple[str, tuple[str, int] | None]] = {}
    pending = iter(tasks)
    finished = as_completed()

    def submit() -> bool:
        task = next(pending, None)
        if task is None:
            return False
        path, digest = task
        if target is not None:
            future = client.submit(store, path, options, lang, digest, target, extract, pure=False)
        else:
            future = client.submit(extract, path, options, lang, digest, pure=False)
        inflight[future.key] = task
        finished.add(future)
        return True

    while len(inflight) < window and submit():
        pass
    for future in finished:
        path, digest = inflight.pop(future.key)
        try:
            result = future.result()
        except KilledWorker:
            # Every task a dying worker held is suspect, the innocent with the culprit: read the
            # file once more alone, in a process of this machine, so only the culprit fails.
            result = alone((path, digest))
        except FutureCancelledError as exc:
            result = crashed(path, digest, f"{type(exc).__name__}: {exc}"[:200])
        except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch
            result = crashed(path, digest, f"{type(exc).__name__}: {exc}"[:200])
        future.release()
        record(write(result) if isinstance(result, Payload) else result)
        submit()


__all__ = ["Cluster", "ClusterError", "Target", "local_workers", "run"]
