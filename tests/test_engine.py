"""Local engine: failure capture, chunking, resume, determinism across worker counts."""
from __future__ import annotations

import os

import pytest

from conftest import light_config, make_records
from pipeline.document import Document
from pipeline.engines import local
from pipeline.engines.base import RunSpec, Sink, WorkDir, build_pipeline, process_items
from pipeline.io.readers import WARNINGS_KEY, Failure
from pipeline.io.writers import ERROR_COLUMNS, SUMMARY_COLUMNS, OutputError
from pipeline.table import columns_for


def docs(n: int, start: int = 0) -> list[Document]:
    return [Document(r["text"], id=r["id"], meta={k: v for k, v in r.items() if k != "text"})
            for r in make_records(n, start)]


def spec_for(tmp_path, name="out", fmt="csv", config=None) -> RunSpec:
    out = str(tmp_path / f"{name}.{fmt}")
    return RunSpec(config=config or light_config(),
                   sinks=[Sink("mentions", out, fmt, columns_for(["source"])),
                          Sink("errors", str(tmp_path / f"{name}.errors.csv"), "csv", list(ERROR_COLUMNS)),
                          Sink("summary", str(tmp_path / f"{name}.summary.csv"), "csv", list(SUMMARY_COLUMNS))],
                   workdir=WorkDir.for_output(out), keep_fields=["source"])


def read_outputs(spec: RunSpec) -> list[bytes]:
    return [open(s.path, "rb").read() for s in spec.sinks]


def test_failing_document_is_isolated_with_its_stage_name():
    items = docs(5)
    items[2] = Document("XXFAIL في مصر", id="bad")
    items.insert(3, Failure("r:9", "read", "malformed JSON"))
    items.append(Document("", id="empty"))
    warned = Document("مصر \ufffd", id="warned", meta={WARNINGS_KEY: ["invalid UTF-8"]})
    items.append(warned)
    res = process_items(build_pipeline(light_config()), items, ["source"])
    assert res.docs == 8 and res.failed == 2 and res.warnings == 1
    assert res.errors == [
        {"doc_id": "bad", "stage": "fake_tagger", "error": "ValueError: fake failure on XXFAIL"},
        {"doc_id": "r:9", "stage": "read", "error": "malformed JSON"},
        {"doc_id": "warned", "stage": "read", "error": "warning: invalid UTF-8"},
    ]
    ids = [r["doc_id"] for r in res.mentions]
    assert "bad" not in ids and "empty" not in ids and ids == sorted(ids)  # input order kept
    assert {r["doc_id"] for r in res.mentions} == {"d0000", "d0001", "d0003", "d0004", "warned"}
    alone = process_items(build_pipeline(light_config()), docs(5), ["source"])
    assert [r for r in res.mentions if r["doc_id"] in {"d0000", "d0001"}] == \
        [r for r in alone.mentions if r["doc_id"] in {"d0000", "d0001"}]
    s = [r for r in res.summary if r["doc_id"] == "d0000"]
    assert {(r["canonical"], r["count"]) for r in s if r["type"] == "ORG"} == {("ارامكو", 1)}


def test_run_writes_all_tables_and_removes_workdir(tmp_path):
    spec = spec_for(tmp_path)
    items = docs(30) + [Document("XXFAIL", id="bad")]
    res = local.run(iter(items), spec, workers=1, chunk_size=7)
    assert (res.docs, res.errors, res.chunks) == (31, 1, 5)
    assert not os.path.exists(spec.workdir)
    mentions, errors, summary = (b.decode("utf-8").splitlines() for b in read_outputs(spec))
    assert mentions[0].split(",") == columns_for(["source"]) and len(mentions) - 1 == res.mentions
    assert errors == ["doc_id,stage,error", "bad,fake_tagger,ValueError: fake failure on XXFAIL"]
    assert summary[0] == "doc_id,type,canonical,count"


def test_empty_input_writes_header_only(tmp_path):
    spec = spec_for(tmp_path, fmt="parquet")
    res = local.run(iter(()), spec, workers=1)
    import pyarrow.parquet as pq

    t = pq.read_table(spec.sinks[0].path)
    assert res.docs == 0 and t.num_rows == 0 and t.column_names == columns_for(["source"])


def test_interrupted_run_resumes_to_the_same_bytes(tmp_path):
    items = docs(40)
    ref = spec_for(tmp_path, "ref")
    local.run(iter(items), ref, workers=1, chunk_size=6)

    spec = spec_for(tmp_path, "run")
    seen = []

    def stop_after_three(stats):
        seen.append(stats["k"])
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        local.run(iter(items), spec, workers=1, chunk_size=6, on_chunk=stop_after_three)
    assert sorted(WorkDir(spec, {}).done_chunks()) == [0, 1, 2]
    assert not os.path.exists(spec.sinks[0].path)  # nothing that looks complete
    with pytest.raises(OutputError, match="--resume"):
        local.run(iter(items), spec, workers=1, chunk_size=6)
    processed = []
    res = local.run(iter(items), spec, workers=1, chunk_size=6, resume=True,
                    on_chunk=lambda st: processed.append(st["k"]))
    assert processed == [3, 4, 5, 6] and res.resumed_chunks == 3 and res.docs == 40
    assert read_outputs(spec) == read_outputs(ref)


def test_resume_refuses_other_options(tmp_path):
    spec = spec_for(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        local.run(iter(docs(10)), spec, workers=1, chunk_size=3,
                  on_chunk=lambda st: (_ for _ in ()).throw(KeyboardInterrupt))
    spec.context_chars = 10
    with pytest.raises(OutputError, match="cannot resume.*context_chars"):
        local.run(iter(docs(10)), spec, workers=1, chunk_size=3, resume=True)


def test_write_failure_keeps_no_final_output(tmp_path, monkeypatch):
    spec = spec_for(tmp_path)
    from pipeline.io import writers

    real = writers.TableWriter.append_file

    def disk_full(self, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers.TableWriter, "append_file", disk_full)
    monkeypatch.setattr(writers.CsvWriter, "append_file", disk_full)
    with pytest.raises(local.EngineError, match="No space left"):
        local.run(iter(docs(10)), spec, workers=1, chunk_size=4)
    assert not any(os.path.exists(s.path) for s in spec.sinks)
    assert [p for p in os.listdir(tmp_path) if ".tmp-" in p] == []
    monkeypatch.setattr(writers.TableWriter, "append_file", real)
    monkeypatch.undo()
    res = local.run(iter(docs(10)), spec, workers=1, chunk_size=4, resume=True)
    assert res.resumed_chunks == 3 and os.path.exists(spec.sinks[0].path)


def test_pipeline_that_cannot_be_built_is_an_engine_error(tmp_path):
    spec = spec_for(tmp_path, config={"stages": [{"name": "no_such_stage"}]})
    with pytest.raises(local.EngineError, match="unknown stage"):
        local.run(iter(docs(3)), spec, workers=1)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_bytes_whatever_the_number_of_workers(tmp_path, fmt):
    items = docs(60) + [Document("XXFAIL", id="bad")] + docs(20, start=100)
    one = spec_for(tmp_path, "one", fmt)
    two = spec_for(tmp_path, "two", fmt)
    r1 = local.run(iter(items), one, workers=1, chunk_size=9)
    r2 = local.run(iter(items), two, workers=2, chunk_size=9)
    assert (r1.docs, r1.mentions, r1.errors) == (r2.docs, r2.mentions, r2.errors) == (81, r1.mentions, 1)
    assert read_outputs(one) == read_outputs(two)


class _BreaksOnSubmit:
    """A pool that reports itself broken from its ``after``-th submit on, as one does when a worker died between
    two waits of the engine (the engine then meets the broken pool in submit, not in a finished future)."""

    def __init__(self, pool, after: int):
        self.pool, self.after, self.calls = pool, after, 0

    def submit(self, *args):
        from concurrent.futures.process import BrokenProcessPool

        self.calls += 1
        if self.calls > self.after:
            raise BrokenProcessPool("a worker died")
        return self.pool.submit(*args)

    def __getattr__(self, name):
        return getattr(self.pool, name)


@pytest.mark.slow
def test_a_pool_found_broken_at_submit_is_replaced(tmp_path, monkeypatch):
    real_new_pool, made = local._new_pool, []

    def new_pool(spec, workers):
        pool = real_new_pool(spec, workers)
        made.append(pool)
        return _BreaksOnSubmit(pool, after=3) if len(made) == 1 else pool

    monkeypatch.setattr(local, "_new_pool", new_pool)
    spec = spec_for(tmp_path, "run")
    res = local.run(iter(docs(30)), spec, workers=2, chunk_size=4)
    assert (res.docs, res.errors) == (30, 0) and len(made) == 2
    monkeypatch.setattr(local, "_new_pool", real_new_pool)
    ref = spec_for(tmp_path, "ref")
    local.run(iter(docs(30)), ref, workers=1, chunk_size=4)
    assert read_outputs(spec)[0] == read_outputs(ref)[0]


@pytest.mark.slow
def test_a_document_that_kills_its_worker_becomes_an_error_row(tmp_path):
    crash = Document("XXCRASH في مصر", id="killer")
    items = docs(20) + [crash] + docs(10, start=50)
    spec = spec_for(tmp_path, "run", config=light_config(crash_on="XXCRASH"))
    res = local.run(iter(items), spec, workers=2, chunk_size=4)
    assert (res.docs, res.errors) == (31, 1)
    errors = open(spec.sinks[1].path, encoding="utf-8").read().splitlines()
    assert errors[1].startswith("killer,worker,the worker process died")
    ref = spec_for(tmp_path, "ref")
    local.run(iter(docs(20) + docs(10, start=50)), ref, workers=1, chunk_size=4)
    assert read_outputs(spec)[0] == read_outputs(ref)[0]  # every other document's rows are there
