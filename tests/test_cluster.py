"""Ingest on a Dask LocalCluster of process workers: the same archive as one process, nothing
lost and nothing duplicated when a worker is killed, a file no worker survives recorded."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive_fixtures import (  # noqa: F401 - fixtures
    archive_url, check_consistent, make_documents, pg_server, snapshot)
from extractor.archive import Archive

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

from extractor.archive.cluster import Cluster, ClusterError, local_workers  # noqa: E402

DOCUMENTS = 8


@pytest.fixture(scope="module")
def cluster():
    with Cluster("local:2") as running:
        yield running


def _single_process(request, archive_url: str, tmp_path: Path, folder: Path) -> dict:
    """The archive one process builds from ``folder``, on the backend of ``archive_url``."""
    if archive_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    else:
        url = request.getfixturevalue("pg_server").new_database()
    with Archive.open(url) as archive:
        archive.ingest([str(folder)])
    return snapshot(url)


def test_the_cluster_builds_the_archive_one_process_builds(request, archive_url, tmp_path, cluster):
    folder = make_documents(tmp_path / "in", DOCUMENTS)
    with Archive.open(archive_url) as archive:
        report = archive.ingest([str(folder)], cluster=cluster)
        assert report.documents == {"new": DOCUMENTS}
        again = archive.ingest([str(folder)], cluster=cluster)
        assert again.documents == {"unchanged": DOCUMENTS}
    check_consistent(archive_url)
    assert snapshot(archive_url) == _single_process(request, archive_url, tmp_path, folder)


def test_a_killed_worker_loses_and_duplicates_nothing(request, archive_url, tmp_path, cluster):
    from cluster_fixtures import kill_worker_once

    folder = make_documents(tmp_path / "in", DOCUMENTS)
    (folder / "kill_me.txt").write_text((folder / "doc_0000.txt").read_text(encoding="utf-8")
                                        + "\nBản sao.", encoding="utf-8")
    with Archive.open(archive_url) as archive:
        report = archive.ingest([str(folder)], cluster=cluster, extract=kill_worker_once)
        assert (folder / "kill_me.txt.killed").exists(), "a worker was killed"
        assert report.documents == {"new": DOCUMENTS + 1}
        assert archive.totals()["failed"] == 0
    check_consistent(archive_url)
    (folder / "kill_me.txt.killed").unlink()
    assert snapshot(archive_url) == _single_process(request, archive_url, tmp_path, folder)


def test_a_file_that_kills_every_worker_is_recorded_as_failed(tmp_path):
    import dask

    from cluster_fixtures import kill_worker_always

    folder = make_documents(tmp_path / "in", 3)
    (folder / "kill_me.txt").write_text("Kế hoạch số 1/KH-UBND.", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with Cluster("local:2") as own, Archive.open(url) as archive:
            report = archive.ingest([str(folder)], cluster=own, extract=kill_worker_always)
    assert report.documents == {"new": 3, "failed": 1}
    assert [Path(p).name for p, _ in report.errors] == ["kill_me.txt"]
    check_consistent(url)


@pytest.mark.parametrize("address, workers", [
    ("local", None),
    ("local:3", 3),
    ("tcp://127.0.0.1:8786", None),
])
def test_local_addresses_name_their_workers(address, workers):
    if address == "local":
        assert local_workers(address) >= 1
    else:
        assert local_workers(address) == workers


@pytest.mark.parametrize("address", ["local:0", "local:two"])
def test_a_bad_local_address_is_one_line(address):
    with pytest.raises(ClusterError) as caught:
        local_workers(address)
    assert address in caught.value.message("en") and "\n" not in caught.value.message("en")


def test_an_unreachable_scheduler_is_one_line(monkeypatch):
    monkeypatch.setattr("extractor.archive.cluster.CONNECT_TIMEOUT", 2)
    with pytest.raises(ClusterError) as caught:
        Cluster("tcp://127.0.0.1:9")
    assert "tcp://127.0.0.1:9" in caught.value.message("vi")


def test_the_cli_names_a_bad_cluster_in_one_line(tmp_path):
    from click.testing import CliRunner

    from extractor.archive.commands import ingest as ingest_command

    folder = make_documents(tmp_path / "in", 1)
    result = CliRunner().invoke(ingest_command, [str(folder), "--archive", str(tmp_path / "a.sqlite"),
                                                 "--cluster", "local:0", "--lang", "en"])
    assert result.exit_code != 0
    assert "local:0" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_cli_ingests_on_a_local_cluster(tmp_path):
    from click.testing import CliRunner

    from extractor.archive.commands import ingest as ingest_command

    folder = make_documents(tmp_path / "in", 3)
    result = CliRunner().invoke(ingest_command, [str(folder), "--archive", str(tmp_path / "a.sqlite"),
                                                 "--cluster", "local:1", "--quiet"])
    assert result.exit_code == 0, result.output
    with Archive.open(str(tmp_path / "a.sqlite"), create=False) as archive:
        assert archive.totals()["ok"] == 3
