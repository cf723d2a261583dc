"""App replicas on one shared index, against a real PostgreSQL (``postgres_url``): a replica
reads the live version with no corpus folder and never writes, sees a re-index by another
process without a restart, keeps its connections within the pool's cap, and survives the
database going away and coming back. Two ``QA`` objects stand for two processes: each has its
own store object, pool and loaded version, as a process would.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from eval.postgres_server import postgres_server, stopped
from qa.errors import CorpusError, SettingsError, StoreUnavailableError, UploadError
from qa.service import QA
from qa.store.pg_connection import Database
from tests.helpers import DEMO_CORPUS, FIXTURES, names_quds_commander
from tests.postgres import sql

QUESTION = "Who brokered the ceasefire?"
NEW_FILE = "# Harbour notes\n\nThe pelican census of Umm Qasr counted 4,711 pelicans in spring.\n"
NEW_QUESTION = "How many pelicans did the census of Umm Qasr count?"


def versions(url: str) -> list[tuple[int, str]]:
    return sql(url, "SELECT version, corpus_id FROM qa.versions ORDER BY version")


def test_a_replica_answers_from_the_database_alone(corpus_copy: Path, pg_url: str) -> None:
    QA(corpus_copy, store=pg_url, corpus_id="demo", progress=False).index()
    written = versions(pg_url)
    replica = QA(store=pg_url, corpus_id="demo", read_only=True, progress=False)
    shutil.rmtree(corpus_copy)  # the folder is on another machine: the replica never looks
    report = replica.index()
    assert replica.corpus is None and replica.name == "demo"
    assert report.up_to_date and report.chunks == replica.manifest.chunks > 0
    assert names_quds_commander(replica.answer(QUESTION).text)
    assert versions(pg_url) == written  # it wrote nothing
    with pytest.raises(SettingsError, match="only reads"):
        replica.index(rebuild=True)
    with pytest.raises(UploadError, match="only reads a shared index"):
        replica.add_file("x.md", DEMO_CORPUS / "000_ce3c7cd48da314e0.txt")


def test_a_replica_of_a_missing_corpus_is_told_which_exist(pg_url: str) -> None:
    replica = QA(store=pg_url, corpus_id="nope", read_only=True, progress=False)
    with pytest.raises(CorpusError, match="no corpus 'nope'.*it holds no corpus yet"):
        replica.index()
    QA(DEMO_CORPUS, store=pg_url, corpus_id="demo", progress=False).index()
    with pytest.raises(CorpusError, match="it holds demo .*--corpus-id nope") as e:
        replica.answer(QUESTION)
    assert "\n" not in str(e.value)


def test_a_reader_of_a_folder_store_is_told_how_to_index_under_that_id() -> None:
    reader = QA(corpus_id="never_indexed", read_only=True)  # no store: a folder under QA_HOME
    with pytest.raises(CorpusError, match="qa index FOLDER --corpus-id never_indexed"):
        reader.index()


@pytest.mark.parametrize("corpus_id", ["", "../up", ".hidden", "a b", "x" * 101, 7])
def test_a_bad_corpus_id_is_refused_with_what_a_good_one_is(corpus_id: object) -> None:
    with pytest.raises(SettingsError, match="letters, digits"):
        QA(store="postgresql://nobody@/db", corpus_id=corpus_id, read_only=True)  # type: ignore[arg-type]


def test_a_pdf_without_its_folder_shows_its_text_and_says_why_no_images(
    tmp_path: Path, pg_url: str
) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(FIXTURES / "shared-mime-info-spec.pdf", folder)
    QA(folder, store=pg_url, corpus_id="pdfs", progress=False).index()
    writer = QA(folder, store=pg_url, corpus_id="pdfs", progress=False)
    replica = QA(store=pg_url, corpus_id="pdfs", read_only=True, progress=False)
    passage = replica.retrieve("glob patterns", k=1)[0]
    assert writer.page_view(passage).images  # with the folder: the page, rendered
    view = replica.page_view(passage)
    assert not view.images and "without the documents' files" in view.note
    assert passage.text in replica.document(passage.doc_id).text
    # A folder without a questions file: both offer the questions its headings make.
    assert replica.example_questions() == writer.example_questions() != []


def test_a_reindex_by_another_process_is_seen_without_a_restart(
    corpus_copy: Path, pg_url: str
) -> None:
    indexer = QA(corpus_copy, store=pg_url, corpus_id="demo", progress=False)
    indexer.index()
    replica = QA(store=pg_url, corpus_id="demo", read_only=True, progress=False)
    replica.refresh_seconds = 3600.0  # no check for now: the version it holds stays
    before = replica.retrieve(NEW_QUESTION, k=1, mode="bm25")[0]
    assert before.doc_id != "harbour.md"
    held = replica._loaded
    (corpus_copy / "harbour.md").write_text(NEW_FILE)
    indexer.index()
    assert replica.retrieve(NEW_QUESTION, k=1, mode="bm25")[0].doc_id != "harbour.md"
    replica.refresh_seconds = 0.0  # now every question checks first
    after = replica.retrieve(NEW_QUESTION, k=1, mode="bm25")[0]
    assert after.doc_id == "harbour.md"
    assert "harbour.md" in {f.doc_id for f in replica.indexed_files()}
    # A question that began on the version before finishes on it: it is kept one version.
    assert held is not None and held.retriever.search_batch([QUESTION], 3, "bm25")[0]


def test_a_version_dropped_under_a_replica_is_answered_from_the_live_one(
    corpus_copy: Path, pg_url: str
) -> None:
    """Two re-indexes between two checks: the version the replica holds is gone from the
    database; its next question is answered from the live one, not failed."""
    indexer = QA(corpus_copy, store=pg_url, corpus_id="demo", progress=False)
    indexer.index()
    replica = QA(store=pg_url, corpus_id="demo", read_only=True, progress=False)
    replica.refresh_seconds = 3600.0
    assert names_quds_commander(replica.answer(QUESTION).text)
    for text in ("first", "second"):
        (corpus_copy / f"{text}.md").write_text(f"# {text}\n\n{NEW_FILE}")
        indexer.index()
    assert names_quds_commander(replica.answer(QUESTION).text)
    assert {"first.md", "second.md"} <= {f.doc_id for f in replica.indexed_files()}


def test_a_folder_index_shared_by_two_processes_is_refreshed_too(
    corpus_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    indexer = QA(corpus_copy, index_dir, progress=False)
    indexer.index()
    server = QA(corpus_copy, index_dir, progress=False, refresh_seconds=0)
    assert server.retrieve(NEW_QUESTION, k=1, mode="bm25")[0].doc_id != "harbour.md"
    (corpus_copy / "harbour.md").write_text(NEW_FILE)
    indexer.index()
    assert server.retrieve(NEW_QUESTION, k=1, mode="bm25")[0].doc_id == "harbour.md"


def test_the_pool_keeps_within_its_cap_under_many_threads(pg_url: str) -> None:
    db = Database(pg_url, size=3)
    seen: list[int] = []
    errors: list[Exception] = []

    def ask() -> None:
        try:
            for _ in range(3):
                seen.append(
                    db.run(
                        lambda c: c.execute(
                            "SELECT count(*) FROM pg_stat_activity, pg_sleep(0.05) "
                            "WHERE datname = current_database() AND backend_type = 'client backend'"
                        ).fetchone()[0]
                    )
                )
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(seen) == 36
    assert max(seen) <= 3  # never more sessions than the cap, however many threads ask
    assert max(seen) >= 2  # and they were shared: threads ran at once
    db.close()
    assert (
        sql(
            pg_url,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend'",
        )[0][0]
        == 1
    )  # the one asking; the pool's were closed


def test_a_replica_survives_the_database_going_away_and_coming_back() -> None:
    with postgres_server() as url:
        QA(DEMO_CORPUS, store=url, corpus_id="demo", progress=False).index()
        replica = QA(store=url, corpus_id="demo", read_only=True, progress=False)
        replica.refresh_seconds = 0.0
        expected = replica.answer(QUESTION).text
        with stopped(url):
            for _ in range(2):  # and again: no state left broken by the first failure
                with pytest.raises(StoreUnavailableError, match="start the server") as e:
                    replica.answer(QUESTION)
                assert "\n" not in str(e.value)
        assert replica.answer(QUESTION).text == expected  # back, with no restart of the app


def test_the_cli_lists_corpora_and_serves_a_replica_read_only(
    corpus_copy: Path, pg_url: str, capsys, monkeypatch
) -> None:
    from qa.cli import main

    monkeypatch.delenv("QA_STORE", raising=False)
    assert (
        main(["index", str(corpus_copy), "--store", pg_url, "--corpus-id", "demo", "--quiet"]) == 0
    )
    capsys.readouterr()
    assert main(["corpora", "--store", pg_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["corpus", "id", "version", "documents"]
    assert out[1].split()[:3] == ["demo", "1", "5"] and out[1].endswith(str(corpus_copy))
    assert main(["ask", QUESTION, "--store", pg_url, "--corpus-id", "demo", "--json"]) == 0
    assert names_quds_commander(capsys.readouterr().out)
    assert versions(pg_url) == [(1, "demo")]
    argv = ["serve", "--store", pg_url, "--corpus-id", "demo", "--allow-uploads"]
    assert main(argv) == 1
    assert "--allow-uploads needs the corpus folder" in capsys.readouterr().err
    assert main(["corpora"]) == 1  # no --store, no QA_STORE (the tests' environment)
    assert "give --store postgresql://" in capsys.readouterr().err


def test_a_replica_needs_only_the_readmes_reading_role(
    corpus_copy: Path, postgres_url: str, pg_url: str
) -> None:
    """The README's least-privileged roles: the indexer writes under a corpus id, a replica
    logged in as the reading role lists the corpora, answers and follows a re-index."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    sql(pg_url, readme.split("<!-- postgres-roles -->\n```sql\n")[1].split("```")[0])
    indexer_url = pg_url.replace("postgres:@", "qa_indexer:@", 1)
    reader_url = pg_url.replace("postgres:@", "qa_reader:@", 1)
    try:
        indexer = QA(corpus_copy, store=indexer_url, corpus_id="demo", progress=False)
        indexer.index()
        replica = QA(store=reader_url, corpus_id="demo", read_only=True, refresh_seconds=0)
        assert names_quds_commander(replica.answer(QUESTION).text)
        (corpus_copy / "harbour.md").write_text(NEW_FILE)
        indexer.index()
        assert replica.retrieve(NEW_QUESTION, k=1, mode="bm25")[0].doc_id == "harbour.md"
        db = Database(reader_url, size=1)
        from qa.store.pg_catalog import stored_corpora

        assert [(c.corpus_id, c.documents) for c in stored_corpora(db)] == [("demo", 6)]
        db.close()
    finally:
        sql(pg_url, "DROP OWNED BY qa_reader CASCADE")  # one at a time, as test_postgres does
        sql(pg_url, "DROP OWNED BY qa_indexer CASCADE")
        sql(postgres_url, "DROP ROLE qa_indexer, qa_reader")
