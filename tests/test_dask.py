"""Dask engine on a real LocalCluster (processes): same rows as the local engine."""
from __future__ import annotations

import json
import os

import pytest

pytest.importorskip("distributed", reason="dask[distributed] is not installed")
pytestmark = pytest.mark.slow  # a real LocalCluster of processes: ~10 s a test

from conftest import light_config, make_records, write_jsonl  # noqa: E402
from pipeline.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def client():
    import logging

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture
def inputs(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = make_records(70)
    recs[5]["text"] = "XXFAIL " + recs[5]["text"]
    jl = write_jsonl(tmp_path / "a.jsonl", recs[:30], raw_lines={7: "{oops"})
    pq.write_table(pa.Table.from_pylist(recs[30:60]), tmp_path / "b.parquet", row_group_size=11)
    folder = tmp_path / "txt"
    folder.mkdir()
    for r in recs[60:]:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps(light_config()), encoding="utf-8")
    return [str(jl), str(tmp_path / "b.parquet"), str(folder)], cfg


def read_parquet_rows(path):
    import pyarrow.parquet as pq

    if os.path.isdir(path):
        files = sorted(os.listdir(path))
        return [row for f in files for row in pq.read_table(os.path.join(path, f)).to_pylist()]
    return pq.read_table(path).to_pylist()


def test_cli_dask_engine_equals_local_engine(client, inputs, tmp_path, capsys):
    paths, cfg = inputs
    common = ["--config", str(cfg), "--keep-fields", "published", "--chunk-size", "8"]
    local_out, dask_out = str(tmp_path / "local.parquet"), str(tmp_path / "dask.parquet")
    assert main(["extract", *paths, "-o", local_out, "--workers", "1", "--errors", str(tmp_path / "le.csv"),
                 "--summary", str(tmp_path / "ls.csv"), *common]) == 1
    code = main(["extract", *paths, "-o", dask_out, "--engine", "dask", "--scheduler", client.scheduler.address,
                 "--errors", str(tmp_path / "de.csv"), "--summary", str(tmp_path / "ds.csv"), *common])
    err = capsys.readouterr().err
    assert code == 1, err
    assert os.path.isdir(dask_out) and len(os.listdir(dask_out)) > 3  # partitioned output
    local_rows, dask_rows = read_parquet_rows(local_out), read_parquet_rows(dask_out)
    assert len(local_rows) > 100 and dask_rows == local_rows
    assert (tmp_path / "de.csv").read_bytes() == (tmp_path / "le.csv").read_bytes()
    assert (tmp_path / "ds.csv").read_bytes() == (tmp_path / "ls.csv").read_bytes()
    assert "71 documents" in err.splitlines()[-1] and "2 errors" in err.splitlines()[-1]


def test_dataframe_api_equals_local_engine(client, tmp_path):
    import dask.dataframe as dd
    import pandas as pd

    from pipeline import dask as ner_dask
    from pipeline.engines.local import extract as local_extract
    from pipeline.io.readers import record_to_document, ReadOptions

    recs = make_records(40)
    pdf = pd.DataFrame(recs)
    ddf = dd.from_pandas(pdf, npartitions=4)
    mentions = ner_dask.extract(ddf, text_col="text", id_col="id", keep=["source"], config=light_config())
    got = mentions.compute()
    docs = [record_to_document(r, str(i), ReadOptions(keep_fields=["source"])) for i, r in enumerate(recs)]
    rows, _, _ = local_extract(docs, light_config(), keep_fields=["source"])
    assert list(got.columns) == list(rows[0])
    assert [tuple(r.values()) for r in got.astype(object).where(got.notna(), None).to_dict("records")] == \
        [tuple(r.values()) for r in rows]

    bad = dd.from_pandas(pd.DataFrame({"text": ["مصر", "XXFAIL"]}), npartitions=1)
    assert len(ner_dask.extract(bad, id_col=None, config=light_config()).compute()) == 1
    with pytest.raises(Exception, match="failed at stage fake_tagger"):
        ner_dask.extract(bad, id_col=None, config=light_config(), errors="raise").compute()


@pytest.mark.slow
def test_cli_dask_without_scheduler_starts_a_local_cluster(tmp_path, capsys):
    p = write_jsonl(tmp_path / "a.jsonl", make_records(12))
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps(light_config()), encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["extract", str(p), "-o", str(out), "--engine", "dask", "--workers", "2", "--config", str(cfg),
                 "--chunk-size", "5"]) == 0, capsys.readouterr().err
    parts = sorted(os.listdir(out))
    assert parts == ["part-00000.csv", "part-00001.csv", "part-00002.csv"]
    assert all((out / p).read_text(encoding="utf-8").startswith("doc_id,") for p in parts)
