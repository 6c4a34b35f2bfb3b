"""Local engine: the pipeline on all cores of this machine.

The main process reads the inputs lazily and cuts the records into chunks (see ``engines.base``);
worker processes ('spawn': no inherited state, no fork of a process holding threads) each build the
pipeline once from the plain config and process whole chunks, writing each chunk's parts
themselves. At most ``2 × workers`` chunks are in flight, so memory does not grow with the input.
With ``workers=1`` everything runs in this process.
"""
from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable

from ..document import Document
from ..io.readers import Failure
from .base import (DEFAULT_CHUNK_SIZE, ChunkResult, Progress, RunResult, RunSpec, WorkDir, build_pipeline,
                   chunked, describe, process_items, run_chunk, tune_gc_for_batch, write_chunk)


class EngineError(Exception):
    """The run stopped (I/O error, a worker died, the pipeline cannot be built); completed chunks are kept."""


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ----------------------------------------------------------------------------------- worker side

_SPEC: RunSpec | None = None
_INIT_ERROR: str | None = None


def _exit_with_parent(parent: int) -> None:
    """A worker must not outlive a main process killed with -9 (it would wait forever for work)."""
    import threading
    import time

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(spec: RunSpec, parent: int) -> None:
    global _SPEC, _INIT_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    _exit_with_parent(parent)
    _SPEC = spec
    try:
        build_pipeline(spec.config)
    except Exception as exc:
        _INIT_ERROR = describe(exc)
        return
    tune_gc_for_batch()


def _worker_chunk(k: int, items: list[Document | Failure]) -> dict[str, Any]:
    if _INIT_ERROR is not None:
        raise EngineError(f"cannot build the pipeline: {_INIT_ERROR}")
    assert _SPEC is not None
    return run_chunk(_SPEC, k, items)


# ----------------------------------------------------------------------------------- driver

def run(records: Iterable[Document | Failure], spec: RunSpec, *, manifest: dict[str, Any] | None = None,
        workers: int | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE, resume: bool = False,
        overwrite: bool = False, total: int | None = None, progress: bool = False,
        on_chunk: Callable[[dict[str, Any]], None] | None = None) -> RunResult:
    """Process ``records`` into the sinks of ``spec``. Raises OutputError (before any work) or
    EngineError / KeyboardInterrupt (completed chunks stay in the work folder for ``resume``)."""
    workers = workers or default_workers()
    if total is not None and total <= chunk_size:
        workers = 1  # one chunk: starting worker processes (and loading the model in each) would only cost
    workdir = WorkDir(spec, {**(manifest or {}), "chunk_size": chunk_size, "config": spec.config,
                             "keep_fields": spec.keep_fields, "context_chars": spec.context_chars,
                             "sinks": [[s.name, s.fmt, s.columns, s.spreadsheet] for s in spec.sinks]})
    done = workdir.prepare(resume=resume, overwrite=overwrite)
    bar = Progress(total, progress)
    result = RunResult(resumed_chunks=len(done))
    n_chunks = 0

    def handle(stats: dict[str, Any]) -> None:
        bar.update(stats["docs"], stats["words"])
        if len(result.error_samples) < 20:
            result.error_samples.extend(stats.get("error_samples", [])[: 20 - len(result.error_samples)])
        if on_chunk is not None:
            on_chunk(stats)

    try:
        if workers <= 1:
            built = False
            for k, items in chunked(records, chunk_size):
                n_chunks = k + 1
                if k in done:
                    bar.update(len(items))
                    continue
                if not built:
                    try:
                        build_pipeline(spec.config)
                    except Exception as exc:
                        raise EngineError(f"cannot build the pipeline: {describe(exc)}") from None
                    tune_gc_for_batch()
                    built = True
                try:
                    handle(run_chunk(spec, k, items))
                except OSError as exc:
                    raise EngineError(f"cannot write chunk {k}: {describe(exc)}") from None
        else:
            n_chunks = _run_pool(records, spec, done, workers, chunk_size, handle, bar)
        totals = commit_outputs(workdir, n_chunks)
    finally:
        bar.close()
    return finish_result(result, spec, n_chunks, bar.elapsed, totals)


def commit_outputs(workdir, n_chunks: int, partitioned: bool = False) -> dict:
    """Assemble the sinks from the finished chunks; the run's totals (docs, words, mentions, errors)."""
    try:
        totals = workdir.totals(n_chunks)
        workdir.commit(n_chunks, partitioned=partitioned)
    except OSError as exc:
        raise EngineError(f"cannot write the outputs: {describe(exc)}") from None
    return totals


def finish_result(result, spec: RunSpec, n_chunks: int, elapsed: float, totals: dict):
    result.chunks = n_chunks
    result.elapsed = elapsed
    for key, value in totals.items():
        setattr(result, key, value)
    result.outputs = [s.path for s in spec.sinks]
    return result


def _new_pool(spec: RunSpec, workers: int) -> ProcessPoolExecutor:
    import multiprocessing as mp

    return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                               initargs=(spec, os.getpid()))


def _kill_pool(ex: ProcessPoolExecutor) -> None:
    procs = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:  # do not wait for chunks in flight: they are rerun on --resume
        try:
            p.terminate()
        except Exception:
            pass


def _worker_items(items: list[Document | Failure]):
    if _INIT_ERROR is not None:
        raise EngineError(f"cannot build the pipeline: {_INIT_ERROR}")
    assert _SPEC is not None
    return process_items(build_pipeline(_SPEC.config), items, _SPEC.keep_fields, _SPEC.context_chars)


def _isolated_chunk(spec: RunSpec, k: int, items: list[Document | Failure]) -> dict[str, Any]:
    """A worker process died (segfault, out of memory) while this chunk was in flight: process the
    chunk one document at a time in a single-worker pool, so the document that kills its process
    becomes a Failure(stage="worker") instead of stopping the run."""
    from concurrent.futures.process import BrokenProcessPool

    total = ChunkResult()
    ex = _new_pool(spec, 1)
    try:
        for item in items:
            try:
                part = ex.submit(_worker_items, [item]).result()
            except BrokenProcessPool:
                _kill_pool(ex)
                ex = _new_pool(spec, 1)
                doc_id = item.doc_id if isinstance(item, Failure) else item.id
                part = ChunkResult(errors=[{"doc_id": doc_id, "stage": "worker",
                                            "error": "the worker process died on this document "
                                                     "(crash or out of memory)"}], docs=1, failed=1)
            for name in ("mentions", "errors", "summary"):
                getattr(total, name).extend(getattr(part, name))
            for name in ("docs", "failed", "warnings", "words"):
                setattr(total, name, getattr(total, name) + getattr(part, name))
    finally:
        _kill_pool(ex)
    return write_chunk(spec, k, total)


def _run_pool(records, spec: RunSpec, done: set[int], workers: int, chunk_size: int, handle, bar) -> int:
    from concurrent.futures.process import BrokenProcessPool

    ex = _new_pool(spec, workers)
    pending: dict[Future, tuple[int, list]] = {}
    n_chunks = 0

    def collect(block_until: int) -> None:
        nonlocal ex
        while len(pending) > block_until:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            broken = []
            for fut in sorted(finished, key=lambda f: pending[f][0]):
                exc = fut.exception()
                if isinstance(exc, BrokenProcessPool):
                    broken.append(fut)
                    continue
                pending.pop(fut)
                if exc is not None:
                    if isinstance(exc, EngineError):
                        raise exc
                    if isinstance(exc, OSError):
                        raise EngineError(f"cannot write a chunk: {describe(exc)}")
                    raise EngineError(f"a worker failed: {describe(exc)}")
                handle(fut.result())
            if broken:  # every chunk in flight is lost with the pool: redo them one document at a time
                lost = sorted(pending.values(), key=lambda kv: kv[0])
                pending.clear()
                _kill_pool(ex)
                for k, items in lost:
                    try:
                        handle(_isolated_chunk(spec, k, items))
                    except OSError as exc:
                        raise EngineError(f"cannot write chunk {k}: {describe(exc)}") from None
                ex = _new_pool(spec, workers)

    def submit(k: int, items: list) -> None:
        nonlocal ex
        try:
            pending[ex.submit(_worker_chunk, k, items)] = (k, items)
            return
        except BrokenProcessPool:
            pass
        # a worker died since the last wait: collect redoes what the pool lost and starts a new one
        collect(0)
        try:
            pending[ex.submit(_worker_chunk, k, items)] = (k, items)
        except BrokenProcessPool:  # no chunk in flight told collect: start the new pool here
            _kill_pool(ex)
            ex = _new_pool(spec, workers)
            pending[ex.submit(_worker_chunk, k, items)] = (k, items)

    try:
        for k, items in chunked(records, chunk_size):
            n_chunks = k + 1
            if k in done:
                bar.update(len(items))
                continue
            collect(2 * workers - 1)
            submit(k, items)
        collect(0)
    except BaseException:
        for fut in pending:
            fut.cancel()
        _kill_pool(ex)
        raise
    ex.shutdown(wait=True)
    return n_chunks


def extract(records: Sequence[Any], config: dict[str, Any] | None = None, keep_fields: Sequence[str] = (),
            context_chars: int = 60):
    """In-process convenience: documents (or Failures) -> (mention rows, error rows, summary rows)."""
    from ..pipeline import default_config
    from .base import process_items

    res = process_items(build_pipeline(config or default_config()), list(records), keep_fields, context_chars)
    return res.mentions, res.errors, res.summary
