"""Writers: rows (dicts) -> CSV, JSONL or Parquet, written to a hidden temporary file and renamed on commit.

    w = open_writer("out.csv", columns)
    w.write(rows); w.write(more_rows)
    w.commit()          # fsync, then atomic rename to out.csv (and fsync of the folder)
    # or w.abort()      # removes the temporary file; out.csv is untouched

A crash or a full disk therefore never leaves a truncated file under the final name: until ``commit``
the data lives in ``.out.csv.tmp-<pid>`` next to it. Writers also copy chunk files written by the
same format (``append_file``), which is how engines assemble per-chunk parts into one output.

Spreadsheet mode (``spreadsheet=True``, CSV only) writes a UTF-8 BOM and neutralizes cells that a
spreadsheet would run as a formula (starting with = + - @ tab or CR) by prefixing a single quote.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..table import MENTION_COLUMNS  # noqa: F401  (re-exported for callers)

OUTPUT_FORMATS = ("csv", "jsonl", "parquet")
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Column types for Parquet; any other column (e.g. --keep-fields) is written as a string.
COLUMN_TYPES = {
    "entity_id": "int64", "start": "int64", "end": "int64", "sentence_id": "int64",
    "score": "float64", "count": "int64",
}
ERROR_COLUMNS = ("doc_id", "stage", "error")
SUMMARY_COLUMNS = ("doc_id", "type", "canonical", "count")


class OutputError(Exception):
    """A problem with an output path or format (one line, exit code 2)."""


def infer_format(path: str, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower()
        if fmt not in OUTPUT_FORMATS:
            raise OutputError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")
        return fmt
    lower = path.lower()
    for suf, f in SUFFIXES.items():
        if lower.endswith(suf):
            return f
    raise OutputError(f"{path}: cannot tell the output format from the suffix; use .csv, .jsonl or .parquet "
                      f"or pass --format")


def neutralize(value: str) -> str:
    """Make a cell safe to open in a spreadsheet: a leading = + - @ tab or CR gets a ' in front."""
    return "'" + value if value.startswith(FORMULA_START) else value


def fsync_dir(path: str) -> None:
    try:
        fd = os.open(path or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path(path: str) -> str:
    d, name = os.path.split(os.path.abspath(path))
    return os.path.join(d, f".{name}.tmp-{os.getpid()}")


class TableWriter:
    """Base: a hidden temporary file, renamed over ``path`` on commit."""

    fmt = ""

    def __init__(self, path: str, columns: Sequence[str], *, header: bool = True, spreadsheet: bool = False,
                 fsync: bool = True):
        self.path = os.path.abspath(path)
        self.columns = list(columns)
        self.header = header
        self.spreadsheet = spreadsheet
        self.fsync = fsync
        self.rows_written = 0
        self.tmp = temp_path(self.path)
        self._closed = False
        self._open()

    def _open(self) -> None:
        self._f = open(self.tmp, "wb")

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        raise NotImplementedError

    def append_file(self, path: str) -> None:
        """Append a chunk file written by the same format (CSV chunks carry no header)."""
        with open(path, "rb") as src:
            shutil.copyfileobj(src, self._f, 1 << 20)

    def _close_file(self) -> None:
        self._f.flush()
        if self.fsync:
            os.fsync(self._f.fileno())
        self._f.close()

    def commit(self) -> str:
        if self._closed:
            raise RuntimeError("writer already closed")
        try:
            self._close_file()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise
        self._closed = True
        if self.fsync:
            fsync_dir(os.path.dirname(self.path))
        return self.path

    def abort(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._f.close()
        except Exception:
            pass
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
        elif not self._closed:
            self.commit()


class CsvWriter(TableWriter):
    fmt = "csv"

    def _open(self) -> None:
        super()._open()
        self._text = io.TextIOWrapper(self._f, encoding="utf-8", newline="", write_through=True)
        self._csv = csv.writer(self._text, lineterminator="\r\n")  # RFC 4180; a lone \r in a cell gets quoted
        if self.header:
            if self.spreadsheet:
                self._f.write(b"\xef\xbb\xbf")
            self._csv.writerow(self.columns)

    def _cell(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, float):
            return repr(value)
        if not isinstance(value, (str, int)):
            value = value if isinstance(value, str) else _to_text(value)
        if self.spreadsheet and isinstance(value, str):
            return neutralize(value)
        return value

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        cols = self.columns
        for row in rows:
            self._csv.writerow([self._cell(row.get(c)) for c in cols])
            self.rows_written += 1

    def append_file(self, path: str) -> None:
        self._text.flush()
        super().append_file(path)

    def _close_file(self) -> None:
        self._text.flush()
        self._text.detach()
        super()._close_file()

    def abort(self) -> None:
        try:
            self._text.detach()
        except Exception:
            pass
        super().abort()


class JsonlWriter(TableWriter):
    fmt = "jsonl"

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        cols = self.columns
        parts = []
        for row in rows:
            parts.append(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False, default=_to_text))
            self.rows_written += 1
        if parts:
            self._f.write(("\n".join(parts) + "\n").encode("utf-8"))


class ParquetWriter(TableWriter):
    fmt = "parquet"

    def _open(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self.schema = pa.schema([(c, getattr(pa, COLUMN_TYPES.get(c, "string"))()) for c in self.columns])
        self._pq = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")

    def _table(self, rows: Sequence[Mapping[str, Any]]):
        data = {}
        for c in self.columns:
            typ = COLUMN_TYPES.get(c, "string")
            values = [row.get(c) for row in rows]
            if typ == "string":
                values = [v if v is None or isinstance(v, str) else _to_text(v) for v in values]
            data[c] = values
        return self._pa.Table.from_pydict(data, schema=self.schema)

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if rows:
            self._pq.write_table(self._table(rows))
            self.rows_written += len(rows)

    def append_file(self, path: str) -> None:
        import pyarrow.parquet as pq

        table = pq.read_table(path, schema=self.schema)
        if table.num_rows:
            self._pq.write_table(table)
            self.rows_written += table.num_rows

    def _close_file(self) -> None:
        self._pq.close()
        if self.fsync:
            fd = os.open(self.tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def abort(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._pq.close()
        except Exception:
            pass
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


WRITERS = {"csv": CsvWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter}
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}


def open_writer(path: str, columns: Sequence[str], fmt: str | None = None, **options: Any) -> TableWriter:
    """A writer for ``path`` (format from ``fmt`` or the suffix). Options: header, spreadsheet, fsync."""
    return WRITERS[infer_format(path, fmt)](path, columns, **options)


def write_table(path: str, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str | None = None,
                **options: Any) -> str:
    """Write all rows at once, atomically."""
    w = open_writer(path, columns, fmt, **options)
    try:
        w.write(rows)
    except BaseException:
        w.abort()
        raise
    return w.commit()


def _to_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
