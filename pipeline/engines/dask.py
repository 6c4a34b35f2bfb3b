"""Dask engine: the same pipeline on a Dask cluster.

Two ways in:

- ``extract(ddf, text_col="text", ...)`` for people who already hold a Dask DataFrame: returns a lazy
  Dask DataFrame of mention rows (the columns of ``pipeline.table.columns_for``), one partition per
  input partition. Each worker process builds the pipeline once from the plain config and reuses it.

      import dask.dataframe as dd
      from pipeline import dask as ner_dask
      mentions = ner_dask.extract(dd.read_parquet("news/"), text_col="text", id_col="id", keep=["source"])
      mentions.to_parquet("mentions/")

- ``run_sources`` behind ``arabic-ner extract --engine dask [--scheduler ADDRESS]``: Parquet row groups
  and groups of .txt files are read by the workers themselves, in parallel; stream inputs (JSONL, CSV)
  are read by the client and shipped in chunks. Every chunk is written by its worker into the work
  folder (``OUTPUT.partial/``, so workers and client need a shared filesystem — always true for a
  LocalCluster), with the same resumable chunk protocol as the local engine; at the end the mention
  parts become a partitioned output folder (``OUTPUT/part-00000.parquet`` ...) and the errors and
  summary tables single files. The rows are the local engine's, in the same order.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from ..io.readers import DEFAULT_DATE_FIELD, Failure, ReadOptions, Source, record_to_document
from ..table import columns_for
from .base import (DEFAULT_CHUNK_SIZE, Progress, RunResult, RunSpec, WorkDir, build_pipeline, describe,
                   process_items, run_chunk)
from .local import EngineError, commit_outputs, default_workers, finish_result

STRING_DTYPE = object
INT_COLUMNS = ("entity_id", "start", "end", "sentence_id")


# ----------------------------------------------------------------------------------- DataFrame API

def _meta(keep: Sequence[str]):
    import pandas as pd

    cols = columns_for(keep)
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in cols})


def _dtype(col: str):
    if col in INT_COLUMNS:
        return "int64"
    if col == "score":
        return "float64"
    return STRING_DTYPE


def _extract_partition(pdf, text_col: str, id_col: str | None, date_col: str | None, keep: Sequence[str],
                       config: dict[str, Any], context_chars: int, errors: str):
    import pandas as pd

    opts = ReadOptions(text_field=text_col, id_field=id_col or "\0no-id", date_field=date_col,
                       keep_fields=list(keep))
    wanted = [c for c in dict.fromkeys([text_col, id_col, date_col or DEFAULT_DATE_FIELD, *keep])
              if c and c in pdf.columns]
    columns = {c: pdf[c].tolist() for c in wanted}
    index = [str(i) for i in pdf.index]
    items = []
    for i in range(len(pdf)):
        record = {c: _plain(columns[c][i]) for c in wanted}
        items.append(record_to_document(record, index[i], opts))
    res = process_items(build_pipeline(config), items, list(keep), context_chars)
    if errors == "raise":
        failed = [e for e in res.errors if not e["error"].startswith("warning:")]
        if failed:
            e = failed[0]
            raise RuntimeError(f"document {e['doc_id']} failed at stage {e['stage']}: {e['error']}")
    cols = columns_for(keep)
    frame = pd.DataFrame(res.mentions, columns=cols)
    return frame.astype({c: _dtype(c) for c in cols})


def _plain(value: Any) -> Any:
    """pandas missing values (NaN, NA, NaT) -> None; other values unchanged."""
    try:
        import pandas as pd

        if not isinstance(value, (list, dict)) and pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def extract(ddf, text_col: str = "text", id_col: str | None = "id", date_col: str | None = None,
            keep: Sequence[str] = (), config: dict[str, Any] | None = None, context_chars: int = 60,
            errors: str = "skip"):
    """Mention rows for every row of ``ddf`` (a lazy Dask DataFrame; ``.compute()`` or ``.to_parquet()`` it).

    ``id_col`` None (or absent) -> the index value is the document id. ``date_col``: publication date
    (used to resolve relative dates; ``published`` is used when present). ``config``: pipeline config
    (default: ``Pipeline.default()``'s). ``errors``: "skip" drops documents a stage fails on, "raise" fails
    the partition. Rows of documents that failed are never half-written.
    """
    from ..pipeline import default_config

    if errors not in ("skip", "raise"):
        raise ValueError("errors must be 'skip' or 'raise'")
    if text_col not in ddf.columns:
        raise KeyError(f"no column {text_col!r} (columns: {', '.join(map(str, ddf.columns))})")
    if id_col is not None and id_col not in ddf.columns:
        id_col = None
    return ddf.map_partitions(_extract_partition, text_col, id_col, date_col, list(keep),
                              config or default_config(), context_chars, errors, meta=_meta(keep))


# ----------------------------------------------------------------------------------- CLI engine

def _dask_chunk(spec: RunSpec, k: int, payload: Any, source: Source | None, opts: ReadOptions) -> dict[str, Any]:
    """On a worker: read the part (or take the shipped records), run the pipeline, write the chunk."""
    items = list(source.read_part(payload, opts)) if source is not None else payload
    return run_chunk(spec, k, items)


def _tasks(sources: Sequence[Source], opts: ReadOptions, chunk_size: int) -> Iterator[tuple[Any, Source | None, int]]:
    """(payload, source or None, number of records or -1) in input order."""
    for source in sources:
        parts = source.parts(files_per_part=chunk_size)
        if parts:
            for part in parts:
                yield part, source, -1
            continue
        batch: list[Any] = []
        for item in source.read(opts):
            batch.append(item)
            if len(batch) >= chunk_size:
                yield batch, None, len(batch)
                batch = []
        if batch:
            yield batch, None, len(batch)


@contextlib.contextmanager
def client_for(scheduler: str | None, workers: int | None):
    """A distributed Client: on ``scheduler`` if given, else on a new LocalCluster of processes."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def run_sources(sources: Sequence[Source], opts: ReadOptions, spec: RunSpec, *, manifest: dict[str, Any] | None = None,
                workers: int | None = None, scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
                resume: bool = False, overwrite: bool = False, progress: bool = False) -> RunResult:
    from distributed import as_completed

    from ..io.readers import total_count

    workdir = WorkDir(spec, {**(manifest or {}), "chunk_size": chunk_size, "config": spec.config,
                             "keep_fields": spec.keep_fields, "context_chars": spec.context_chars,
                             "sinks": [[s.name, s.fmt, s.columns, s.spreadsheet] for s in spec.sinks]})
    done = workdir.prepare(resume=resume, overwrite=overwrite)
    bar = Progress(total_count(sources) if progress else None, progress)
    result = RunResult(resumed_chunks=len(done))
    n_chunks = 0
    try:
        with client_for(scheduler, workers) as client:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            window = as_completed()
            in_flight = 0
            run_id = uuid.uuid4().hex

            def handle(fut) -> None:
                try:
                    stats = fut.result()
                except OSError as exc:
                    raise EngineError(f"cannot write a chunk: {describe(exc)}") from None
                except Exception as exc:
                    raise EngineError(f"a task failed: {describe(exc)}") from None
                bar.update(stats["docs"], stats["words"])
                if len(result.error_samples) < 20:
                    result.error_samples.extend(stats.get("error_samples", [])[: 20 - len(result.error_samples)])

            for k, (payload, source, n) in enumerate(_tasks(sources, opts, chunk_size)):
                n_chunks = k + 1
                if k in done:
                    bar.update(workdir.chunk_stats(k)["docs"] if n < 0 else n)
                    continue
                while in_flight >= 2 * n_workers:
                    handle(next(window))
                    in_flight -= 1
                window.add(client.submit(_dask_chunk, spec, k, payload, source, opts, pure=False,
                                         key=f"arabic-ner-chunk-{k}-{run_id}"))
                in_flight += 1
            for fut in window:
                handle(fut)
        totals = commit_outputs(workdir, n_chunks, partitioned=True)
    finally:
        bar.close()
    return finish_result(result, spec, n_chunks, bar.elapsed, totals)


__all__ = ["extract", "run_sources", "client_for", "Failure"]
