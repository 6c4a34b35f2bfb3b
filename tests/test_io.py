"""Readers and writers: formats, decoding, ids, per-record failures, atomic commit."""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_records, write_jsonl
from pipeline.document import Document
from pipeline.io.readers import (WARNINGS_KEY, Failure, InputError, ReadOptions, decode_bytes, iter_documents,
                                 open_sources)
from pipeline.io.writers import infer_format, neutralize, open_writer, write_table


def docs_of(*inputs, **opts):
    return list(iter_documents([str(i) for i in inputs], **opts))


# ------------------------------------------------------------------ decoding

@pytest.mark.parametrize("data", [
    "القاهرة".encode("utf-8"),
    b"\xef\xbb\xbf" + "القاهرة".encode("utf-8"),
    "\ufeffالقاهرة".encode("utf-16-le"),
    "\ufeffالقاهرة".encode("utf-16-be"),
    "\ufeffالقاهرة".encode("utf-32-le"),
])
def test_decode_utf8_and_boms(data):
    assert decode_bytes(data) == ("القاهرة", None)


def test_decode_invalid_bytes_is_a_warning_not_a_crash():
    text, warning = decode_bytes("مصر ".encode() + b"\xff\xfe\x80" + " القاهرة".encode())
    assert text.startswith("مصر ") and text.endswith(" القاهرة") and "\ufffd" in text
    assert "invalid UTF-8" in warning


def test_decode_binary_raises():
    with pytest.raises(ValueError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


# ------------------------------------------------------------------ formats

def test_txt_file_and_folder_ids(tmp_path):
    (tmp_path / "a.txt").write_text("مصر", encoding="utf-8")
    sub = tmp_path / "folder" / "sub"
    sub.mkdir(parents=True)
    (tmp_path / "folder" / "b.txt").write_text("القاهرة", encoding="utf-8")
    (sub / "c.txt").write_bytes("\ufeffالرياض".encode("utf-16-le"))
    (tmp_path / "folder" / "ignored.md").write_text("x")
    docs = docs_of(tmp_path / "a.txt", tmp_path / "folder")
    assert [(d.id, d.text) for d in docs] == [("a", "مصر"), ("b", "القاهرة"), ("sub/c", "الرياض")]


def test_jsonl_compressed_ids_meta_and_date_field(tmp_path):
    recs = [{"id": "x1", "text": "مصر", "when": "2015-07-01", "source": "s"}, {"text": "القاهرة"}]
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs).encode() + b"\n"
    (tmp_path / "n.jsonl.gz").write_bytes(gzip.compress(raw))
    (tmp_path / "m.jsonl.bz2").write_bytes(bz2.compress(raw))
    import zstandard

    (tmp_path / "z.ndjson.zst").write_bytes(zstandard.ZstdCompressor().compress(raw))
    for name in ("n.jsonl.gz", "m.jsonl.bz2", "z.ndjson.zst"):
        docs = docs_of(tmp_path / name, date_field="when")
        stem = name.split(".")[0]
        assert [d.id for d in docs] == ["x1", f"{stem}:2"]
        assert docs[0].meta["published"] == "2015-07-01" and docs[0].meta["source"] == "s"


def test_jsonl_malformed_line_in_the_middle_and_null_text(tmp_path):
    p = write_jsonl(tmp_path / "n.jsonl", [{"id": "a", "text": "مصر"}, {"id": "b", "text": None},
                                           {"id": "c", "text": ""}, {"id": "d", "text": "الرياض"}],
                    raw_lines={1: '{"id": "broken", "text": "مص', 3: "[1, 2]"})
    items = docs_of(p)
    kinds = [(type(i).__name__, getattr(i, "id", None) or i.doc_id) for i in items]
    assert kinds == [("Document", "a"), ("Failure", "n:2"), ("Document", "b"), ("Failure", "n:4"),
                     ("Document", "c"), ("Document", "d")]
    assert items[2].text == "" and items[4].text == ""
    assert "malformed JSON on line 2" in items[1].error


def _zstd(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


def _xz(data: bytes) -> bytes:
    import lzma

    return lzma.compress(data)


@pytest.mark.parametrize("suffix, compress", [("gz", gzip.compress), ("bz2", bz2.compress), ("zst", _zstd),
                                              ("xz", _xz)])
def test_truncated_compressed_input_keeps_what_was_read(tmp_path, suffix, compress):
    n = 4000  # ~1 MB: more than one bz2 block / zstd block, so something is readable before the cut
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in make_records(n)).encode() + b"\n"
    data = compress(raw)
    p = tmp_path / f"t.jsonl.{suffix}"
    p.write_bytes(data[: len(data) * 9 // 10])  # bz2 blocks are 900 kB of text: cut late enough to keep one
    items = docs_of(p)
    assert isinstance(items[-1], Failure) and "ends early or is corrupt" in items[-1].error
    good = [d for d in items if isinstance(d, Document)]
    assert 10 < len(good) < n and [d.id for d in good] == [f"d{i:04d}" for i in range(len(good))]


def test_zstd_with_several_frames(tmp_path):
    recs = make_records(30)
    one = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[:10]).encode()
    two = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[10:]).encode()
    (tmp_path / "m.jsonl.zst").write_bytes(_zstd(one) + _zstd(two))
    assert [d.id for d in docs_of(tmp_path / "m.jsonl.zst")] == [r["id"] for r in recs]


def test_csv_reader(tmp_path):
    p = tmp_path / "t.csv"
    with open(p, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "outlet"])
        w.writerow(["", "سطر\nثان, مع فاصلة \"واقتباس\"", "x"])
        w.writerow(["k2", "مصر", "y"])
        w.writerow(["k3", "only two"])
    items = docs_of(p, keep_fields=["outlet"])
    assert items[0].id == "t:1" and items[0].text == "سطر\nثان, مع فاصلة \"واقتباس\"" and items[0].meta["outlet"] == "x"
    assert items[1].id == "k2"
    assert isinstance(items[2], Failure) and "row has 2 fields, header has 3" in items[2].error


def test_parquet_reader_streams_batches(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = make_records(600)
    pq.write_table(pa.Table.from_pylist(recs), tmp_path / "p.parquet", row_group_size=200)
    docs = docs_of(tmp_path / "p.parquet", keep_fields=["source"])
    assert [d.id for d in docs] == [r["id"] for r in recs]
    assert docs[5].meta["published"] == recs[5]["published"] and docs[5].meta["source"] == "test"
    assert open_sources([str(tmp_path / "p.parquet")])[0].count() == 600


def test_globs_and_several_inputs_in_order(tmp_path):
    for i in range(3):
        write_jsonl(tmp_path / f"part{i}.jsonl", make_records(2, start=10 * i))
    docs = docs_of(tmp_path / "part*.jsonl", tmp_path / "part0.jsonl")
    assert [d.id for d in docs] == ["d0000", "d0001", "d0010", "d0011", "d0020", "d0021", "d0000", "d0001"]


# ------------------------------------------------------------------ whole-input errors

def test_input_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.docx").write_bytes(b"PK")
    write_jsonl(tmp_path / "n.jsonl", [{"body": "x"}])
    (tmp_path / "c.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    cases = {
        str(tmp_path / "missing.jsonl"): "no such file",
        str(tmp_path / "empty"): "no .txt files",
        str(tmp_path / "x.docx"): "unknown input format",
        str(tmp_path / "n.jsonl"): "no field 'text'",
        str(tmp_path / "c.csv"): "no column 'text'",
        str(tmp_path / "bad.parquet"): "not a readable Parquet file",
        str(tmp_path / "nothing*.csv"): "no file matches",
    }
    for path, message in cases.items():
        with pytest.raises(InputError, match=message):
            open_sources([path], ReadOptions())


def test_parquet_wrong_schema(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1], "text": [3]}), tmp_path / "w.parquet")
    with pytest.raises(InputError, match="has type int64, expected string"):
        open_sources([str(tmp_path / "w.parquet")])


# ------------------------------------------------------------------ writers

COLS = ["doc_id", "start", "score", "text"]
ROWS = [{"doc_id": "a", "start": 1, "score": 0.5, "text": "=HYPERLINK(\"x\")"},
        {"doc_id": "b", "start": 2, "score": 1.0, "text": "مصر\n\"سطر\""}]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_writer_commit_is_atomic_and_abort_leaves_nothing(tmp_path, fmt):
    out = tmp_path / f"o.{fmt}"
    w = open_writer(str(out), COLS)
    w.write(ROWS[:1])
    assert not out.exists() and [p.name for p in tmp_path.iterdir()][0].startswith(f".o.{fmt}.tmp-")
    w.write(ROWS[1:])
    w.commit()
    assert out.exists() and [p.name for p in tmp_path.iterdir()] == [out.name]
    w2 = open_writer(str(tmp_path / f"p.{fmt}"), COLS)
    w2.write(ROWS)
    w2.abort()
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        assert pq.read_table(out).to_pylist() == ROWS
    elif fmt == "jsonl":
        assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == ROWS


def test_csv_spreadsheet_mode_bom_and_formulas(tmp_path):
    out = tmp_path / "o.csv"
    write_table(str(out), ROWS + [{"doc_id": "-1", "text": "@x", "start": 3, "score": 0.1},
                                  {"doc_id": "+c", "text": "\tx", "start": 4, "score": 0.2}],
                COLS, spreadsheet=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ["'=HYPERLINK(\"x\")", "مصر\n\"سطر\"", "'@x", "'\tx"]
    assert [r["doc_id"] for r in rows] == ["a", "b", "'-1", "'+c"]
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=5))
def test_csv_roundtrip_any_text(tmp_path_factory, texts):
    out = tmp_path_factory.mktemp("rt") / "o.csv"
    rows = [{"doc_id": str(i), "start": i, "score": 0.5, "text": t} for i, t in enumerate(texts)]
    write_table(str(out), rows, COLS, spreadsheet=False)
    with open(out, encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert [r["text"] for r in back] == texts


def test_neutralize_and_infer_format():
    assert neutralize("=1+1") == "'=1+1" and neutralize("مصر") == "مصر" and neutralize("") == ""
    assert infer_format("a/b.CSV") == "csv" and infer_format("x.parquet") == "parquet"
    assert infer_format("x.txt", "jsonl") == "jsonl"
    with pytest.raises(Exception, match="suffix"):
        infer_format("x.xlsx")


def test_reader_warning_recorded(tmp_path):
    (tmp_path / "w.txt").write_bytes("مصر ".encode() + b"\xff" + " القاهرة".encode())
    (doc,) = docs_of(tmp_path / "w.txt")
    assert doc.meta[WARNINGS_KEY] and "\ufffd" in doc.text
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (fail,) = docs_of(tmp_path / "bin.txt")
    assert isinstance(fail, Failure) and fail.stage == "read" and "binary" in fail.error
    assert os.path.exists(tmp_path / "bin.txt")
