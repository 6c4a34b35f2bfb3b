"""Readers: files and streams -> ``Document`` (or ``Failure``), lazily, in a stable order.

Supported inputs (``open_sources``):

- ``x.txt`` (optionally .gz/.bz2/.xz/.zst): one document, id = file stem;
- a folder: every ``*.txt`` under it (sorted, recursive), id = path relative to the folder without suffix;
- ``x.jsonl`` / ``x.ndjson`` (optionally compressed): one JSON object a line;
- ``x.csv`` / ``x.tsv`` (optionally compressed): a header row, then one record a row;
- ``x.parquet``: read batch by batch (never a whole file in memory);
- a glob (``news/*.jsonl.gz``), expanded in sorted order;
- ``-``: standard input, plain text (one document, id ``stdin``) or JSONL.

Ids come from the id field when it is present and non-empty, else ``<file stem>:<line or row number>``
(1-based), so they are stable across runs. A bad record yields a ``Failure(doc_id, "read", error)`` and
reading goes on; a problem with a whole input (missing, unknown format, no text column...) raises
``InputError`` with a one-line message, and ``open_sources`` checks for those before anything is processed.

Text is decoded robustly: UTF-8, UTF-8 with BOM, UTF-16/32 with BOM; invalid bytes become U+FFFD and the
document carries a warning (``doc.meta["_warnings"]``) instead of failing.
"""
from __future__ import annotations

import codecs
import glob as globmod
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..document import Document

COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd", ".zstd": "zstd"}
FORMATS = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
           ".parquet": "parquet", ".pq": "parquet"}
WARNINGS_KEY = "_warnings"  # doc.meta key holding reader warnings (list of str)
DEFAULT_DATE_FIELD = "published"
_GLOB_CHARS = set("*?[")


class InputError(Exception):
    """A problem with a whole input (or with the options for it): one line, exit code 2."""


@dataclass(slots=True)
class Failure:
    """A record that could not become a document (or a document a stage failed on)."""

    doc_id: str
    stage: str
    error: str


@dataclass(slots=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    date_field: str | None = None  # None: use "published" when the input has it
    keep_fields: Sequence[str] = ()
    stdin_format: str = "text"  # text | jsonl


# --------------------------------------------------------------------------- decoding

def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Bytes of a text file -> (text, warning or None). Raises ValueError for binary data."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(enc), None
            except UnicodeDecodeError:
                text = body.decode(enc, "replace")
                return text, f"invalid {enc.upper()} data replaced with U+FFFD ({text.count(chr(0xFFFD))} chars)"
    if b"\x00" in data[:65536]:
        raise ValueError("binary file (NUL bytes; UTF-16 without a BOM is not supported)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
        bad = text.count("\ufffd")
        if bad > max(16, len(text) // 10):
            raise ValueError(f"binary file or not UTF-8 ({bad} invalid byte sequences)") from None
        return text, f"invalid UTF-8 replaced with U+FFFD ({bad} byte sequences)"


def _decode_line(line: bytes) -> tuple[str, str | None]:
    try:
        return line.decode("utf-8"), None
    except UnicodeDecodeError:
        text = line.decode("utf-8", "replace")
        return text, f"invalid UTF-8 replaced with U+FFFD ({text.count(chr(0xFFFD))} byte sequences)"


def split_suffix(path: str) -> tuple[str, str | None, str]:
    """'a/b.jsonl.gz' -> (format, compression, stem) where format may be '' when unknown."""
    name = os.path.basename(path.rstrip("/"))
    lower = name.lower()
    compression = None
    for suf, comp in COMPRESSIONS.items():
        if lower.endswith(suf):
            compression = comp
            name, lower = name[: -len(suf)], lower[: -len(suf)]
            break
    fmt = ""
    for suf, f in FORMATS.items():
        if lower.endswith(suf):
            fmt = f
            name = name[: -len(suf)]
            break
    return fmt, compression, name


def open_binary(path: str, compression: str | None) -> BinaryIO:
    """Open a possibly compressed file for binary reading (decompressed stream)."""
    if compression == "gzip":
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "bz2":
        import bz2

        return bz2.open(path, "rb")  # type: ignore[return-value]
    if compression == "xz":
        import lzma

        return lzma.open(path, "rb")  # type: ignore[return-value]
    if compression == "zstd":
        return io.BufferedReader(_ZstdReader(open(path, "rb")))  # type: ignore[return-value]
    return open(path, "rb")


class _ZstdReader(io.RawIOBase):
    """Streaming zstd decompression (several frames) that raises EOFError on a truncated file,
    like gzip and bz2 do (zstandard's own stream_reader just stops)."""

    def __init__(self, raw: BinaryIO):
        import zstandard

        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._obj = self._dctx.decompressobj()
        self._buf = b""
        self._fed = False
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while not self._buf and not self._done:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._fed and not self._obj.eof:
                    raise EOFError("zstd stream ended before the end of the frame")
                self._done = True
                break
            self._fed = True
            out = self._obj.decompress(chunk)
            while self._obj.eof and self._obj.unused_data:
                rest = self._obj.unused_data
                self._obj = self._dctx.decompressobj()
                out += self._obj.decompress(rest)
            self._buf += out
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _describe(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


# --------------------------------------------------------------------------- records -> documents

def _text_value(value: Any, field_name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    raise TypeError(f"field {field_name!r} is a {type(value).__name__}, expected a string")


def record_to_document(record: Any, fallback_id: str, opts: ReadOptions,
                       warning: str | None = None) -> Document | Failure:
    """A mapping record -> Document; problems with this record only -> Failure(stage='read')."""
    if not isinstance(record, dict):
        return Failure(fallback_id, "read", f"record is a JSON {type(record).__name__}, expected an object")
    raw_id = record.get(opts.id_field)
    doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
    if opts.text_field not in record:
        return Failure(doc_id, "read", f"no field {opts.text_field!r} in this record")
    try:
        text = _text_value(record[opts.text_field], opts.text_field)
    except TypeError as exc:
        return Failure(doc_id, "read", str(exc))
    meta = {k: v for k, v in record.items() if k != opts.text_field}
    date_field = opts.date_field or DEFAULT_DATE_FIELD
    if date_field in record and record[date_field] not in (None, ""):
        meta["published"] = record[date_field]
    if warning:
        meta[WARNINGS_KEY] = [warning]
    return Document(text, id=doc_id, meta=meta)


# --------------------------------------------------------------------------- sources

@dataclass
class Source:
    """One input: a file, a folder or stdin."""

    path: str
    fmt: str  # txt | folder | jsonl | csv | tsv | parquet | stdin-text | stdin-jsonl
    compression: str | None = None
    stem: str = ""
    files: list[str] = field(default_factory=list)  # folder: the .txt files, sorted

    def fingerprint(self) -> list[Any]:
        """What identifies this input for --resume (path, size)."""
        if self.fmt.startswith("stdin"):
            return [self.path, self.fmt]
        if self.fmt == "folder":
            return [os.path.abspath(self.path), len(self.files), sum(os.path.getsize(f) for f in self.files)]
        return [os.path.abspath(self.path), os.path.getsize(self.path)]

    def count(self) -> int | None:
        """Number of records when cheap to know (txt, folder, parquet), else None."""
        if self.fmt == "txt" or self.fmt == "stdin-text":
            return 1
        if self.fmt == "folder":
            return len(self.files)
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(self.path).metadata.num_rows
        return None

    # -- validation ------------------------------------------------------------------------
    def check(self, opts: ReadOptions) -> None:
        """Raise InputError for problems with the whole input (before any processing)."""
        if self.fmt == "jsonl":
            self._check_jsonl(opts)
        elif self.fmt in ("csv", "tsv"):
            self._check_csv(opts)
        elif self.fmt == "parquet":
            self._check_parquet(opts)
        elif self.fmt == "txt":
            if not os.access(self.path, os.R_OK):
                raise InputError(f"{self.path}: not readable (permission denied)")

    def _check_jsonl(self, opts: ReadOptions) -> None:
        try:
            with open_binary(self.path, self.compression) as f:
                for line in f:
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line.decode("utf-8", "replace").lstrip("\ufeff"))
                    except ValueError:
                        return  # a malformed first line is a per-record failure, reported later
                    if isinstance(record, dict):
                        if opts.text_field not in record:
                            raise InputError(f"{self.path}: no field {opts.text_field!r} in the first record "
                                             f"(fields: {', '.join(map(str, record)) or 'none'}); use --text-field")
                        _check_fields(self.path, list(record), opts, "field")
                    return
        except InputError:
            raise
        except EOFError:
            return  # truncated before the first record: reported as a read failure, other inputs go on
        except (OSError, ValueError) as exc:
            raise InputError(f"{self.path}: cannot read ({_describe(exc)})") from None
        except Exception as exc:  # zstd errors and the like
            raise InputError(f"{self.path}: cannot read ({_describe(exc)})") from None

    def _check_csv(self, opts: ReadOptions) -> None:
        import csv

        try:
            with self._csv_text() as f:
                header = next(csv.reader(f, delimiter=self._delimiter()), None)
        except (OSError, EOFError, csv.Error) as exc:
            raise InputError(f"{self.path}: cannot read CSV ({_describe(exc)})") from None
        except Exception as exc:
            raise InputError(f"{self.path}: cannot read CSV ({_describe(exc)})") from None
        if not header:
            raise InputError(f"{self.path}: empty CSV (no header row)")
        if opts.text_field not in header:
            raise InputError(f"{self.path}: no column {opts.text_field!r} (columns: {', '.join(header)}); "
                             f"use --text-field")
        _check_fields(self.path, header, opts, "column")

    def _check_parquet(self, opts: ReadOptions) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            schema = pq.ParquetFile(self.path).schema_arrow
        except Exception as exc:
            raise InputError(f"{self.path}: not a readable Parquet file ({_describe(exc)})") from None
        names = schema.names
        if opts.text_field not in names:
            raise InputError(f"{self.path}: no column {opts.text_field!r} (columns: {', '.join(names)}); "
                             f"use --text-field")
        typ = schema.field(opts.text_field).type
        if not (pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_null(typ)
                or pa.types.is_string_view(typ)):
            raise InputError(f"{self.path}: column {opts.text_field!r} has type {typ}, expected string")
        _check_fields(self.path, names, opts, "column")

    # -- reading ---------------------------------------------------------------------------
    def _delimiter(self) -> str:
        return "\t" if self.fmt == "tsv" else ","

    def _csv_text(self):
        return io.TextIOWrapper(open_binary(self.path, self.compression), encoding="utf-8-sig",
                                errors="replace", newline="")

    def __iter__(self) -> Iterator[Document | Failure]:
        return self.read()

    def read(self, opts: ReadOptions | None = None) -> Iterator[Document | Failure]:
        opts = opts or ReadOptions()
        if self.fmt == "txt":
            yield self._read_txt(self.path, self.stem)
        elif self.fmt == "folder":
            for part in self.parts():
                yield from self.read_part(part, opts)
        elif self.fmt == "stdin-text":
            data = sys.stdin.buffer.read()
            yield _text_document(data, "stdin", {})
        elif self.fmt == "stdin-jsonl":
            yield from _read_jsonl_stream(sys.stdin.buffer, "stdin", opts)
        elif self.fmt == "jsonl":
            yield from self._read_jsonl(opts)
        elif self.fmt in ("csv", "tsv"):
            yield from self._read_csv(opts)
        elif self.fmt == "parquet":
            yield from self._read_parquet(opts)
        else:  # pragma: no cover - open_sources never builds these
            raise InputError(f"{self.path}: unknown format {self.fmt!r}")

    def _read_txt(self, path: str, doc_id: str) -> Document | Failure:
        _, compression, _ = split_suffix(path)
        try:
            with open_binary(path, compression) as f:
                data = f.read()
        except Exception as exc:
            return Failure(doc_id, "read", f"{path}: {_describe(exc)}")
        return _text_document(data, doc_id, {"path": path})

    def _read_jsonl(self, opts: ReadOptions) -> Iterator[Document | Failure]:
        try:
            f = open_binary(self.path, self.compression)
        except OSError as exc:
            yield Failure(f"{self.stem}:1", "read", f"{self.path}: {_describe(exc)}")
            return
        with f:
            yield from _read_jsonl_stream(f, self.stem, opts, self.path)

    def _read_csv(self, opts: ReadOptions) -> Iterator[Document | Failure]:
        import csv

        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        row_no = 0
        with self._csv_text() as f:
            reader = csv.reader(f, delimiter=self._delimiter())
            try:
                header = next(reader)
            except StopIteration:
                return
            while True:
                row_no += 1
                fallback = f"{self.stem}:{row_no}"
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Failure(fallback, "read", f"malformed CSV row: {exc}")
                    continue
                except Exception as exc:  # truncated/corrupt compressed data: stop this input
                    yield Failure(fallback, "read", f"{self.path}: input ends early or is corrupt "
                                                    f"({_describe(exc)}); rows after {row_no - 1} not read")
                    return
                if not row:  # blank line
                    row_no -= 1
                    continue
                if len(row) != len(header):
                    yield Failure(fallback, "read", f"row has {len(row)} fields, header has {len(header)}")
                    continue
                record = dict(zip(header, row))
                warning = None
                if any("\ufffd" in v for v in row):
                    warning = "invalid UTF-8 replaced with U+FFFD"
                yield record_to_document(record, fallback, opts, warning)

    def _read_parquet(self, opts: ReadOptions) -> Iterator[Document | Failure]:
        for part in self.parts():
            yield from self.read_part(part, opts)

    # -- parts: pieces of an input a worker can read on its own (Parquet row groups, groups of files) --
    def parts(self, files_per_part: int = 64) -> list[tuple[Any, ...]]:
        """Independent pieces of this input, in order: ("rowgroup", i, first_row) or ("files", i, j).
        Inputs that can only be read as a stream (JSONL, CSV, stdin, .txt) have no parts: []."""
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(self.path).metadata
            out, row = [], 0
            for i in range(meta.num_row_groups):
                out.append(("rowgroup", i, row))
                row += meta.row_group(i).num_rows
            return out
        if self.fmt == "folder":
            return [("files", i, min(i + files_per_part, len(self.files)))
                    for i in range(0, len(self.files), files_per_part)]
        return []

    def read_part(self, part: tuple[Any, ...], opts: ReadOptions) -> Iterator[Document | Failure]:
        kind = part[0]
        if kind == "files":
            base = Path(self.path)
            for f in self.files[part[1]:part[2]]:
                rel = Path(f).relative_to(base)
                stem = split_suffix(rel.name)[2]
                doc_id = stem if rel.parent == Path(".") else str(rel.with_name(stem))
                yield self._read_txt(f, doc_id)
            return
        import pyarrow.parquet as pq

        _, group, row_no = part
        try:
            pf = pq.ParquetFile(self.path)
            names = pf.schema_arrow.names
            date_field = opts.date_field or DEFAULT_DATE_FIELD
            wanted = [opts.text_field, opts.id_field, date_field, *opts.keep_fields]
            columns = [c for c in dict.fromkeys(wanted) if c in names]
            for batch in pf.iter_batches(batch_size=256, row_groups=[group], columns=columns):
                cols = {name: batch.column(i).to_pylist() for i, name in enumerate(batch.schema.names)}
                for i in range(batch.num_rows):
                    row_no += 1
                    record = {name: values[i] for name, values in cols.items()}
                    yield record_to_document(record, f"{self.stem}:{row_no}", opts)
        except Exception as exc:
            yield Failure(f"{self.stem}:{row_no + 1}", "read",
                          f"{self.path}: corrupt Parquet data in row group {group} ({_describe(exc)})")


def _check_fields(path: str, names: Sequence[str], opts: ReadOptions, what: str) -> None:
    missing = [f for f in opts.keep_fields if f not in names]
    if missing:
        raise InputError(f"{path}: no {what} {missing[0]!r} for --keep-fields (available: {', '.join(names)})")
    if opts.date_field and opts.date_field not in names:
        raise InputError(f"{path}: no {what} {opts.date_field!r} for --date-field (available: {', '.join(names)})")


def _text_document(data: bytes, doc_id: str, meta: dict[str, Any]) -> Document | Failure:
    try:
        text, warning = decode_bytes(data)
    except ValueError as exc:
        return Failure(doc_id, "read", str(exc))
    if warning:
        meta[WARNINGS_KEY] = [warning]
    return Document(text, id=doc_id, meta=meta)


def _read_jsonl_stream(f: BinaryIO, stem: str, opts: ReadOptions, path: str = "stdin") -> Iterator[Document | Failure]:
    line_no = 0
    while True:
        try:
            line = f.readline()
        except Exception as exc:  # truncated gzip, corrupt zstd...: keep what was read, stop this input
            yield Failure(f"{stem}:{line_no + 1}", "read",
                          f"{path}: input ends early or is corrupt ({_describe(exc)}); lines after {line_no} not read")
            return
        if not line:
            return
        line_no += 1
        if not line.strip():
            continue
        fallback = f"{stem}:{line_no}"
        text, warning = _decode_line(line)
        if line_no == 1:
            text = text.lstrip("\ufeff")
        try:
            record = json.loads(text)
        except ValueError as exc:
            yield Failure(fallback, "read", f"malformed JSON on line {line_no}: {exc}")
            continue
        yield record_to_document(record, fallback, opts, warning)


def _expand(inp: str) -> list[str]:
    if inp == "-" or os.path.exists(inp) or not (_GLOB_CHARS & set(inp)):
        return [inp]
    matches = sorted(globmod.glob(inp, recursive=True))
    if not matches:
        raise InputError(f"{inp}: no file matches this pattern")
    return matches


def open_sources(inputs: Iterable[str], opts: ReadOptions | None = None, check: bool = True) -> list[Source]:
    """Resolve inputs (paths, folders, globs, '-') to sources and check them; raises InputError."""
    opts = opts or ReadOptions()
    if opts.stdin_format not in ("text", "jsonl"):
        raise InputError(f"unknown --stdin-format {opts.stdin_format!r}; use text or jsonl")
    sources: list[Source] = []
    for inp in inputs:
        for path in _expand(str(inp)):
            sources.append(_make_source(path, opts))
    if not sources:
        raise InputError("no input given")
    if sum(s.fmt.startswith("stdin") for s in sources) > 1:
        raise InputError("'-' (stdin) can be given only once")
    if check:
        for s in sources:
            s.check(opts)
    return sources


def _make_source(path: str, opts: ReadOptions) -> Source:
    if path == "-":
        return Source("-", "stdin-" + opts.stdin_format, stem="stdin")
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file or directory")
    if os.path.isdir(path):
        files = sorted(str(p) for p in Path(path).rglob("*")
                       if p.is_file() and split_suffix(p.name)[0] == "txt")
        if not files:
            raise InputError(f"{path}: folder has no .txt files")
        return Source(path, "folder", stem=Path(path).name, files=files)
    fmt, compression, stem = split_suffix(path)
    if not fmt:
        raise InputError(f"{path}: unknown input format (expected .txt, .jsonl, .csv, .tsv or .parquet, "
                         f"optionally .gz/.bz2/.xz/.zst)")
    if fmt == "parquet" and compression:
        raise InputError(f"{path}: compressed Parquet files are not supported (Parquet compresses internally)")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: not readable (permission denied)")
    return Source(path, fmt, compression, stem)


def iter_documents(inputs: Iterable[str] | Sequence[Source], opts: ReadOptions | None = None,
                   **kwargs: Any) -> Iterator[Document | Failure]:
    """All documents of all inputs, in order. ``kwargs`` are ReadOptions fields."""
    opts = opts or ReadOptions(**kwargs)
    items = list(inputs)
    sources = items if items and all(isinstance(s, Source) for s in items) else open_sources(items, opts)
    for source in sources:
        yield from source.read(opts)


def total_count(sources: Sequence[Source]) -> int | None:
    total = 0
    for s in sources:
        n = s.count()
        if n is None:
            return None
        total += n
    return total
