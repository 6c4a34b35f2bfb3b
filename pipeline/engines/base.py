"""What every engine shares: running a chunk of documents and the resumable work folder.

A run numbers its input records 0, 1, 2, ... (reader order) and cuts them into chunks of
``chunk_size`` records; chunk ``k`` holds records ``[k*chunk_size, (k+1)*chunk_size)`` whatever the
number of workers. A worker runs the pipeline on a chunk and writes, into ``OUTPUT.partial/``,
one file per table (``mentions-00000k.csv``, ``errors-…``, ``summary-…``), each atomically
(temporary file, fsync, rename), then the chunk's marker ``chunk-00000k.done`` (its counts, JSON).
A chunk is done exactly when its marker exists, so after Ctrl-C, kill -9 or a power loss
``--resume`` re-reads the inputs, skips the records of done chunks and runs the others.
When every chunk is done, the parts are concatenated in chunk order into each output (again
through a temporary file and an atomic rename) and the work folder is removed. The output bytes
therefore depend only on the input, the options and ``chunk_size`` — not on the number of workers,
on scheduling, or on how many times the run was interrupted.

``manifest.json`` in the work folder records the inputs (path, size) and every option that changes
the output; ``--resume`` refuses to mix parts from a run with different inputs or options.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..document import Document
from ..io.readers import WARNINGS_KEY, Failure
from ..io.writers import (ERROR_COLUMNS, EXTENSIONS, SUMMARY_COLUMNS, OutputError, fsync_dir, open_writer)
from ..table import kept_column

MANIFEST_VERSION = 1
DEFAULT_CHUNK_SIZE = 128
BATCH_SIZE = 32  # documents a stage's ``pipe`` gets at once; a failing batch is rerun one document at a time


@dataclass
class Sink:
    """One output table."""

    name: str  # mentions | errors | summary
    path: str
    fmt: str
    columns: list[str]
    spreadsheet: bool = False

    def part_name(self, k: int) -> str:
        return f"{self.name}-{k:06d}{EXTENSIONS[self.fmt]}"


@dataclass
class RunSpec:
    """Everything a worker needs; plain data, pickled once per worker (never a Pipeline)."""

    config: dict[str, Any]
    sinks: list[Sink]
    workdir: str
    keep_fields: list[str] = field(default_factory=list)
    context_chars: int = 60
    part_header: bool = False  # CSV parts carry their own header (partitioned output)
    fsync: bool = True

    def sink(self, name: str) -> Sink | None:
        for s in self.sinks:
            if s.name == name:
                return s
        return None


# ----------------------------------------------------------------------------------- pipeline

_PIPELINES: dict[str, Any] = {}


def build_pipeline(config: Mapping[str, Any]):
    """Pipeline.from_config, once per process and config. ``config["imports"]`` lists modules
    imported first (plugins that call ``register_stage``)."""
    import importlib

    from ..pipeline import Pipeline

    key = json.dumps(config, sort_keys=True, default=str)
    pipe = _PIPELINES.get(key)
    if pipe is None:
        for mod in config.get("imports", ()):
            importlib.import_module(mod)
        pipe = Pipeline.from_config({k: v for k, v in config.items() if k != "imports"})
        _PIPELINES[key] = pipe
    return pipe


def tune_gc_for_batch() -> None:
    """Garbage-collector settings for a process that runs the pipeline over many documents.

    Call it once the pipeline is built. The model, lexicons and caches live as long as the process, and
    tagging allocates millions of short-lived objects; with the default thresholds (a collection every 700
    allocations, full ones as the caches churn) the collector took ~10 % of the run. Frozen, the loaded
    objects are never rescanned; the youngest generation is collected every 20,000 allocations. Only
    cyclic garbage waits longer, so memory stays bounded.
    """
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def describe(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _run_stages(stages: Sequence[Any], docs: list[Document]) -> list[Document]:
    for stage in stages:
        if hasattr(stage, "pipe"):
            docs = list(stage.pipe(docs))
        else:
            docs = [stage(d) for d in docs]
    return docs


def run_documents(pipeline, docs: list[Document]) -> list[Document | Failure]:
    """Run the stages on a batch; if the batch fails, rerun each document alone, stage by stage,
    and turn the documents that still fail into ``Failure(doc_id, stage_name, error)``."""
    originals = [(d.text, d.id, dict(d.meta)) for d in docs]
    try:
        out = _run_stages(pipeline.stages, docs)
        if len(out) == len(docs):
            return list(out)
    except Exception:
        pass
    results: list[Document | Failure] = []
    for text, doc_id, meta in originals:
        doc: Document | Failure = Document(text, id=doc_id, meta=meta)
        for stage in pipeline.stages:
            try:
                doc = stage(doc)
            except Exception as exc:
                doc = Failure(doc_id, getattr(stage, "name", type(stage).__name__), describe(exc))
                break
        results.append(doc)
    return results


def summary_rows(doc: Document, keep_fields: Sequence[str] = ()) -> list[dict[str, Any]]:
    """One row per (type, canonical) in a document with its count; ``keep_fields`` copied from the input."""
    counts = Counter((e.label, e.canonical or doc.text[e.start:e.end]) for e in doc.entities)
    extra = {kept_column(name, SUMMARY_COLUMNS): doc.meta.get(name) for name in keep_fields}
    return [{"doc_id": doc.id, "type": t, "canonical": c, "count": n, **extra} for (t, c), n in sorted(counts.items())]


@dataclass
class ChunkResult:
    mentions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    docs: int = 0
    failed: int = 0
    warnings: int = 0
    words: int = 0

    def stats(self) -> dict[str, Any]:
        return {"docs": self.docs, "mentions": len(self.mentions), "errors": self.failed,
                "warnings": self.warnings, "words": self.words}


def process_items(pipeline, items: Sequence[Document | Failure], keep_fields: Sequence[str] = (),
                  context_chars: int = 60, batch_size: int = BATCH_SIZE) -> ChunkResult:
    """Documents (and reader failures) -> mention, error and summary rows, in input order."""
    from ..table import mention_rows

    res = ChunkResult()
    for start in range(0, len(items), batch_size):
        batch = list(items[start:start + batch_size])
        todo = [d for d in batch if isinstance(d, Document) and d.text.strip()]
        done = iter(run_documents(pipeline, todo)) if todo else iter(())
        for item in batch:
            res.docs += 1
            if isinstance(item, Failure):
                res.failed += 1
                res.errors.append({"doc_id": item.doc_id, "stage": item.stage, "error": item.error})
                continue
            for w in item.meta.get(WARNINGS_KEY, ()):
                res.warnings += 1
                res.errors.append({"doc_id": item.id, "stage": "read", "error": f"warning: {w}"})
            if not item.text.strip():
                continue  # empty or null text: a document without entities
            doc = next(done)
            if isinstance(doc, Failure):
                res.failed += 1
                res.errors.append({"doc_id": doc.doc_id, "stage": doc.stage, "error": doc.error})
                continue
            res.words += len(doc.tokens) if doc.tokens else len(doc.text.split())
            res.mentions.extend(mention_rows(doc, keep_fields, context_chars))
            res.summary.extend(summary_rows(doc, keep_fields))
    return res


# ----------------------------------------------------------------------------------- chunk files

def write_json_atomic(path: str, obj: Any, fsync: bool = True) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, sort_keys=True, indent=1, default=str)
        f.flush()
        if fsync:
            os.fsync(f.fileno())
    os.replace(tmp, path)
    if fsync:
        fsync_dir(os.path.dirname(path))


def marker_name(k: int) -> str:
    return f"chunk-{k:06d}.done"


def write_chunk(spec: RunSpec, k: int, result: ChunkResult) -> dict[str, Any]:
    """Write a chunk's parts, then its marker (the marker last: it is what makes the chunk done)."""
    tables = {"mentions": result.mentions, "errors": result.errors, "summary": result.summary}
    for sink in spec.sinks:
        header = spec.part_header and sink.fmt == "csv" and sink.name == "mentions"
        w = open_writer(os.path.join(spec.workdir, sink.part_name(k)), sink.columns, sink.fmt,
                        header=header, spreadsheet=sink.spreadsheet, fsync=spec.fsync)
        try:
            w.write(tables[sink.name])
        except BaseException:
            w.abort()
            raise
        w.commit()
    stats = result.stats()
    stats["k"] = k
    stats["error_samples"] = [e for e in result.errors if not e["error"].startswith("warning:")][:5]
    write_json_atomic(os.path.join(spec.workdir, marker_name(k)), stats, spec.fsync)
    return stats


def run_chunk(spec: RunSpec, k: int, items: Sequence[Document | Failure]) -> dict[str, Any]:
    pipeline = build_pipeline(spec.config)
    result = process_items(pipeline, items, spec.keep_fields, spec.context_chars)
    return write_chunk(spec, k, result)


def chunked(items: Iterable[Any], size: int) -> Iterator[tuple[int, list[Any]]]:
    batch: list[Any] = []
    k = 0
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield k, batch
            k += 1
            batch = []
    if batch:
        yield k, batch


# ----------------------------------------------------------------------------------- the work folder

class WorkDir:
    """``OUTPUT.partial/``: manifest, chunk parts and markers; committed into the outputs at the end."""

    def __init__(self, spec: RunSpec, manifest: dict[str, Any]):
        self.spec = spec
        self.path = spec.workdir
        self.manifest = {"version": MANIFEST_VERSION, **manifest}

    @staticmethod
    def for_output(path: str) -> str:
        return os.path.abspath(path) + ".partial"

    def prepare(self, resume: bool = False, overwrite: bool = False) -> set[int]:
        """Create or reopen the work folder; returns the chunks already done. Raises OutputError."""
        main = self.spec.sinks[0]
        if os.path.isdir(self.path) and not os.path.exists(os.path.join(self.path, "manifest.json")):
            shutil.rmtree(self.path)  # the run died before it started: nothing to keep
        if os.path.isdir(self.path):
            if resume:
                old = self._read_manifest()
                if old != json.loads(json.dumps(self.manifest, sort_keys=True, default=str)):
                    diff = sorted(k for k in set(old) | set(self.manifest)
                                  if json.dumps(old.get(k), sort_keys=True, default=str)
                                  != json.dumps(self.manifest.get(k), sort_keys=True, default=str))
                    raise OutputError(f"cannot resume: {self.path} was made with different "
                                      f"{', '.join(diff)}; use --overwrite to start again")
                self._clean_temps()
                return self.done_chunks()
            if not overwrite:
                raise OutputError(f"{self.path} is left from an interrupted run; use --resume to continue it "
                                  f"or --overwrite to start again")
            shutil.rmtree(self.path)
        if not (resume or overwrite):
            for sink in self.spec.sinks:
                if os.path.exists(sink.path):
                    raise OutputError(f"{sink.path} already exists; use --overwrite to replace it")
        try:
            os.makedirs(self.path)
        except OSError as exc:
            raise OutputError(f"cannot write {main.path}: {describe(exc)}") from None
        try:
            write_json_atomic(os.path.join(self.path, "manifest.json"), self.manifest, self.spec.fsync)
        except OSError as exc:
            shutil.rmtree(self.path, ignore_errors=True)
            raise OutputError(f"cannot write {main.path}: {describe(exc)}") from None
        return set()

    def _read_manifest(self) -> dict[str, Any]:
        try:
            with open(os.path.join(self.path, "manifest.json"), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def _clean_temps(self) -> None:
        for name in os.listdir(self.path):
            if ".tmp-" in name:
                try:
                    os.unlink(os.path.join(self.path, name))
                except OSError:
                    pass

    def done_chunks(self) -> set[int]:
        done = set()
        for name in os.listdir(self.path):
            if name.startswith("chunk-") and name.endswith(".done"):
                done.add(int(name[6:12]))
        return done

    def chunk_stats(self, k: int) -> dict[str, Any]:
        with open(os.path.join(self.path, marker_name(k)), encoding="utf-8") as f:
            return json.load(f)

    def totals(self, n_chunks: int) -> dict[str, int]:
        tot = Counter()
        for k in range(n_chunks):
            st = self.chunk_stats(k)
            for key in ("docs", "mentions", "errors", "warnings", "words"):
                tot[key] += st.get(key, 0)
        return dict(tot)

    def commit(self, n_chunks: int, partitioned: bool = False) -> None:
        """Assemble every sink from its parts (in chunk order) and remove the work folder.
        ``partitioned``: the main output becomes a folder of the parts (Dask engine)."""
        missing = [k for k in range(n_chunks) if not os.path.exists(os.path.join(self.path, marker_name(k)))]
        if missing:
            raise RuntimeError(f"chunks not done: {missing[:5]}")
        sinks = self.spec.sinks
        for sink in sinks[1:] + sinks[:1]:  # the main output last
            if partitioned and sink.name == "mentions":
                self._commit_partitioned(sink, n_chunks)
                continue
            w = open_writer(sink.path, sink.columns, sink.fmt, header=True, spreadsheet=sink.spreadsheet,
                            fsync=self.spec.fsync)
            try:
                for k in range(n_chunks):
                    w.append_file(os.path.join(self.path, sink.part_name(k)))
            except BaseException:
                w.abort()
                raise
            w.commit()
        shutil.rmtree(self.path, ignore_errors=True)

    def _commit_partitioned(self, sink: Sink, n_chunks: int) -> None:
        parent = os.path.dirname(os.path.abspath(sink.path))
        tmp = os.path.join(parent, f".{os.path.basename(sink.path)}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        for k in range(n_chunks):
            src = os.path.join(self.path, sink.part_name(k))
            os.link(src, os.path.join(tmp, f"part-{k:05d}{EXTENSIONS[sink.fmt]}"))
        if os.path.isdir(sink.path):
            shutil.rmtree(sink.path)
        elif os.path.exists(sink.path):
            os.unlink(sink.path)
        os.replace(tmp, sink.path)
        fsync_dir(parent)


# ----------------------------------------------------------------------------------- progress

class Progress:
    """tqdm bar on stderr (documents, words/s, ETA when the total is known); silent when disabled."""

    def __init__(self, total: int | None, enabled: bool, initial: int = 0):
        self.start = time.perf_counter()
        self.docs = initial
        self.words = 0
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=initial, unit="doc", file=sys.stderr, dynamic_ncols=True,
                            smoothing=0.1, mininterval=0.5)

    def update(self, docs: int, words: int = 0) -> None:
        self.docs += docs
        self.words += words
        if self.bar is not None:
            self.bar.update(docs)
            elapsed = time.perf_counter() - self.start
            if words and elapsed > 0:
                self.bar.set_postfix_str(f"{self.words / elapsed:,.0f} words/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start


@dataclass
class RunResult:
    docs: int = 0
    mentions: int = 0
    errors: int = 0
    warnings: int = 0
    words: int = 0
    elapsed: float = 0.0
    chunks: int = 0
    resumed_chunks: int = 0
    error_samples: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        rate = f", {self.words / self.elapsed:,.0f} words/s" if self.elapsed > 0 and self.words else ""
        resumed = f" ({self.resumed_chunks} of {self.chunks} chunks from the previous run)" if self.resumed_chunks else ""
        return (f"{self.docs:,} documents, {self.mentions:,} mentions, {self.errors:,} errors, "
                f"{self.warnings:,} warnings in {self.elapsed:.1f}s{rate}{resumed}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
