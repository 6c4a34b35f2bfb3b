"""``arabic-ner``: formats, stdin, exit codes, spreadsheet safety, overwrite/resume, faults.

Most tests call ``pipeline.cli.main(argv)`` in this process (fast); the console script itself,
kill -9 and the full-disk test run real subprocesses.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import CLI, cli_env, light_config, make_records, news_lines, run_cli, write_jsonl
from pipeline.cli import main
from pipeline.table import columns_for


@pytest.fixture
def cli(capsys, config_file, monkeypatch):
    """Run arabic-ner in-process with the light test pipeline: returns (exit code, stderr)."""

    def run(*args, stdin: bytes | None = None, config: bool = True):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        argv = [str(a) for a in args] + (["--config", str(config_file)] if config else [])
        if args and args[0] == "extract" and "--workers" not in argv:
            argv += ["--workers", "1"]  # in-process: no worker pool to spawn
        code = main(argv)
        return code, capsys.readouterr().err

    return run


def read_rows(path) -> list[dict]:
    path = str(path)
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    if path.endswith(".jsonl"):
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def as_text(rows: list[dict]) -> list[dict]:
    return [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]


@pytest.fixture
def news_jsonl(tmp_path):
    return write_jsonl(tmp_path / "news.jsonl", make_records(25))


# ------------------------------------------------------------------------------ help and formats

def test_console_script_help_documents_options_and_exit_codes():
    res = run_cli("extract", "--help")
    assert res.returncode == 0, res.stderr
    text = res.stdout.decode()
    for opt in ("--output", "--format", "--text-field", "--id-field", "--date-field", "--keep-fields",
                "--stdin-format", "--types", "--model", "--bom", "--excel", "--context-chars", "--workers",
                "--engine", "--scheduler", "--errors", "--summary", "--resume", "--overwrite", "--quiet"):
        assert opt in text, opt
    for code in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"  {code}" in text
    assert run_cli("evaluate", "--help").returncode == 0


def test_startup_does_not_import_heavy_libraries():
    code = ("import sys; from pipeline.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('pandas', 'pyarrow', 'dask', 'tqdm', 'camel_tools', 'torch') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env())
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_every_output_format_has_the_same_rows(cli, tmp_path, news_jsonl, fmt):
    out = tmp_path / f"out.{fmt}"
    code, err = cli("extract", news_jsonl, "-o", out, "--keep-fields", "published")
    assert code == 0, err
    assert "25 documents" in err and "0 errors" in err
    rows = read_rows(out)
    assert len(rows) > 25 and list(rows[0]) == columns_for(["published"])
    assert {r["type"] for r in rows} == {"LOC", "ORG", "DATE"}
    if fmt != "csv":
        ref = tmp_path / "ref.csv"
        cli("extract", news_jsonl, "-o", ref, "--keep-fields", "published")
        assert as_text(rows) == read_rows(ref)


def test_format_option_overrides_the_suffix(cli, tmp_path, news_jsonl):
    out = tmp_path / "out.dat"
    code, err = cli("extract", news_jsonl, "-o", out, "--format", "jsonl")
    assert code == 0, err
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["doc_id"] == "d0000"


def test_inputs_txt_folder_csv_parquet_glob_and_compressed(cli, tmp_path):
    recs = make_records(6)
    (tmp_path / "one.txt").write_text(recs[0]["text"], encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    for r in recs[1:3]:
        (folder / f"{r['id']}.txt").write_bytes(b"\xef\xbb\xbf" + r["text"].encode())
    with gzip.open(tmp_path / "c.csv.gz", "wt", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["id", "text"], extrasaction="ignore")
        w.writeheader()
        w.writerow(recs[3])
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(recs[4:5]), tmp_path / "p.parquet")
    write_jsonl(tmp_path / "j1.jsonl", recs[5:6])
    out = tmp_path / "out.csv"
    code, err = cli("extract", tmp_path / "one.txt", folder, tmp_path / "c.csv.gz", tmp_path / "p.parquet",
                    str(tmp_path / "j*.jsonl"), "-o", out)
    assert code == 0, err
    ids = list(dict.fromkeys(r["doc_id"] for r in read_rows(out)))
    assert ids == ["one", "d0001", "d0002", "d0003", "d0004", "d0005"]


def test_stdin_text_and_jsonl(cli, tmp_path):
    code, err = cli("extract", "-", "-o", tmp_path / "a.csv", stdin="وصل الوفد إلى القاهرة من مصر".encode())
    assert code == 0, err
    assert [(r["doc_id"], r["text"]) for r in read_rows(tmp_path / "a.csv")] == [("stdin", "القاهرة"), ("stdin", "مصر")]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in make_records(3)).encode()
    code, err = cli("extract", "-", "--stdin-format", "jsonl", "-o", tmp_path / "b.jsonl", stdin=lines)
    assert code == 0, err
    assert {r["doc_id"] for r in read_rows(tmp_path / "b.jsonl")} == {"d0000", "d0001", "d0002"}


def test_fields_keep_date_and_context(cli, tmp_path):
    recs = [{"key": "k1", "body": "زار الوفد مصر اليوم", "when": "2015-07-30", "outlet": "x"}]
    p = write_jsonl(tmp_path / "f.jsonl", recs)
    out = tmp_path / "o.jsonl"
    code, err = cli("extract", p, "-o", out, "--text-field", "body", "--id-field", "key", "--date-field", "when",
                    "--keep-fields", "outlet,when", "--context-chars", "3")
    assert code == 0, err
    rows = read_rows(out)
    assert [(r["doc_id"], r["type"], r["outlet"], r["when"]) for r in rows] == [
        ("k1", "LOC", "x", "2015-07-30"), ("k1", "DATE", "x", "2015-07-30")]
    assert rows[0]["context"] == "فد مصر ال"
    assert rows[1]["value"] == "2015-07-30"  # the date field reached doc.meta["published"]


def test_summary_table(cli, tmp_path, news_jsonl):
    code, err = cli("extract", news_jsonl, "-o", tmp_path / "o.csv", "--summary", tmp_path / "s.csv",
                    "--keep-fields", "published")
    assert code == 0, err
    rows = read_rows(tmp_path / "s.csv")
    assert list(rows[0]) == ["doc_id", "type", "canonical", "count", "published"]
    assert rows[0]["published"] == "2015-07-01"
    mentions = read_rows(tmp_path / "o.csv")
    assert sum(int(r["count"]) for r in rows) == len(mentions)
    d0 = {(r["type"], r["canonical"]): int(r["count"]) for r in rows if r["doc_id"] == "d0000"}
    assert d0[("LOC", "القاهره")] == 1 and d0[("ORG", "ارامكو")] == 1


# ------------------------------------------------------------------------------ exit codes

@pytest.mark.parametrize("make_args, message", [
    (lambda t: [t / "missing.jsonl"], "no such file or directory"),
    (lambda t: [t / "empty_dir"], "no .txt files"),
    (lambda t: [t / "x.xlsx"], "unknown input format"),
    (lambda t: [t / "n.jsonl", "--text-field", "body"], "no field 'body'"),
    (lambda t: [t / "c.csv"], "no column 'text'"),
    (lambda t: [t / "w.parquet"], "expected string"),
    (lambda t: [t / "n.jsonl", "--format", "xml"], "unknown output format"),
    (lambda t: [t / "n.jsonl", "--types", "PER,FOO"], "unknown type(s) FOO"),
    (lambda t: [t / "n.jsonl", "--keep-fields", "nope"], "no field 'nope' for --keep-fields"),
    (lambda t: [t / "n.jsonl", "--bom", "-f", "jsonl"], "CSV output only"),
    (lambda t: [t / "n.jsonl", "--nope"], "No such option"),
])
def test_usage_errors_exit_2_with_one_line(cli, tmp_path, make_args, message):
    (tmp_path / "empty_dir").mkdir()
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04")
    write_jsonl(tmp_path / "n.jsonl", make_records(2))
    (tmp_path / "c.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "text": [[1, 2]]}), tmp_path / "w.parquet")
    code, err = cli("extract", *make_args(tmp_path), "-o", tmp_path / "out.csv")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.csv.partial").exists()


def test_missing_model_is_a_usage_error(cli, tmp_path, news_jsonl):
    code, err = cli("extract", news_jsonl, "-o", tmp_path / "o.csv", "--model", tmp_path / "nomodel", config=False)
    assert code == 2 and "model not found" in err


def test_camel_ner_without_its_data_is_a_usage_error(cli, tmp_path, news_jsonl, monkeypatch):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "no_camel_data"))
    code, err = cli("extract", news_jsonl, "-o", tmp_path / "o.csv", "--ner", "camel", config=False)
    assert code == 2 and "camel_data -i ner-arabert" in err and len(err.strip().splitlines()) == 1
    code, err = cli("extract", news_jsonl, "-o", tmp_path / "o.csv", "--ner", "spacy", config=False)
    assert code == 2 and "unknown NER backend" in err
    assert not (tmp_path / "o.csv").exists()


def test_output_exists_refused_unless_overwrite(cli, tmp_path, news_jsonl):
    out = tmp_path / "o.csv"
    out.write_text("precious")
    code, err = cli("extract", news_jsonl, "-o", out)
    assert code == 2 and "already exists; use --overwrite" in err and out.read_text() == "precious"
    code, err = cli("extract", news_jsonl, "-o", out, "--overwrite")
    assert code == 0 and out.read_text(encoding="utf-8").startswith("doc_id,")
    code, err = cli("extract", news_jsonl, "-o", out, "--resume")
    assert code == 0 and "already complete" in err
    code, err = cli("extract", news_jsonl, "-o", out, "--resume", "--overwrite")
    assert code == 2


def test_output_under_a_file_is_a_usage_error(cli, tmp_path, news_jsonl):
    (tmp_path / "afile").write_text("x")
    code, err = cli("extract", news_jsonl, "-o", tmp_path / "afile" / "o.csv")
    assert code == 2 and "cannot write" in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_path(cli, tmp_path, news_jsonl):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, err = cli("extract", news_jsonl, "-o", locked / "o.csv")
    finally:
        locked.chmod(0o700)
    assert code == 2 and "cannot write" in err and "Permission denied" in err


def test_per_document_faults_go_to_the_errors_table_and_exit_1(cli, tmp_path):
    recs = make_records(8)
    recs[3]["text"] = "XXFAIL " + recs[3]["text"]
    jl = write_jsonl(tmp_path / "n.jsonl", recs, raw_lines={5: '{"id": "cut", "text": "مص'})
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "ok.txt").write_text("مصر", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes("القاهرة".encode() + b" caf\xe9")
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in make_records(300, start=100)).encode()
    gz = gzip.compress(raw)
    (tmp_path / "cut.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    out, errs = tmp_path / "o.csv", tmp_path / "e.csv"
    code, err = cli("extract", jl, folder, tmp_path / "cut.jsonl.gz", "-o", out, "--errors", errs)
    assert code == 1, err
    errors = read_rows(errs)
    by_id = {e["doc_id"]: e for e in errors}
    assert by_id["d0003"]["stage"] == "fake_tagger"
    assert by_id["n:6"]["stage"] == "read" and "malformed JSON" in by_id["n:6"]["error"]
    assert by_id["image"]["stage"] == "read" and "binary" in by_id["image"]["error"]
    assert by_id["latin1"]["error"].startswith("warning: invalid UTF-8")
    assert any("ends early or is corrupt" in e["error"] for e in errors)
    ids = {r["doc_id"] for r in read_rows(out)}
    assert {"d0000", "d0007", "ok", "latin1", "d0100"} <= ids and "d0003" not in ids  # work before a fault is kept
    assert "errors" in err.splitlines()[-1] and "3 errors" not in err.splitlines()[-1]


def test_empty_and_null_text_are_documents_without_entities(cli, tmp_path):
    p = write_jsonl(tmp_path / "e.jsonl", [{"id": "a", "text": None}, {"id": "b", "text": ""},
                                          {"id": "c", "text": "   "}])
    code, err = cli("extract", p, "-o", tmp_path / "o.csv", "--summary", tmp_path / "s.csv")
    assert code == 0 and "3 documents, 0 mentions, 0 errors" in err


def test_spreadsheet_mode_bom_and_formula_neutralization(cli, tmp_path):
    p = write_jsonl(tmp_path / "x.jsonl", [{"id": "=cmd|' /C calc'!A0", "text": "قال =SUM(A1) و @محمد في مصر"}])
    for flag in ("--bom", "--excel"):
        out = tmp_path / f"o{flag}.csv"
        code, err = cli("extract", p, "-o", out, flag, "--context-chars", "0")
        assert code == 0, err
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = read_rows(out)
        assert [r["text"] for r in rows] == ["'=SUM(A1)", "'@محمد", "مصر"]
        assert all(r["doc_id"] == "'=cmd|' /C calc'!A0" for r in rows)
        cells = [v for r in rows for v in r.values()]
        assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    plain = tmp_path / "plain.csv"
    cli("extract", p, "-o", plain)
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf") and read_rows(plain)[0]["text"] == "=SUM(A1)"


# ------------------------------------------------------------------------------ processes

def _slow_config(tmp_path, delay: float):
    p = tmp_path / f"slow-{delay}.json"
    p.write_text(json.dumps(light_config(delay=delay)), encoding="utf-8")
    return p


def _tagged_processes(tag: str) -> list[int]:
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/environ", "rb") as f:
                    if tag.encode() in f.read():
                        pids.append(int(d))
            except OSError:
                pass
    return pids


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find worker processes")
def test_kill_9_then_resume_equals_an_uninterrupted_run(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", make_records(120) + [{"id": "bad", "text": "XXFAIL"}])
    fast = _slow_config(tmp_path, 0.0)
    common = ["--chunk-size", "8", "--workers", "2", "--summary", "SUMMARY", "--errors", "ERRORS", "-q"]

    def args(out, cfg):
        return [a.replace("SUMMARY", str(out) + ".sum.csv").replace("ERRORS", str(out) + ".err.jsonl")
                for a in common] + ["--config", str(cfg)]

    ref = tmp_path / "ref.csv"
    assert run_cli("extract", inp, "-o", ref, *args(ref, fast)).returncode == 1
    out = tmp_path / "out.csv"
    slow = _slow_config(tmp_path, 0.03)
    cmd = [str(CLI) if CLI.exists() else sys.executable] + ([] if CLI.exists() else ["-m", "pipeline"])
    tag = f"arabic-ner-test-{os.getpid()}-{time.time()}"
    proc = subprocess.Popen(cmd + ["extract", str(inp), "-o", str(out), *args(out, slow)],
                            env={**cli_env(), "ARABIC_NER_TEST_TAG": tag},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    partial = tmp_path / "out.csv.partial"
    deadline = time.time() + 90
    while time.time() < deadline:
        done = [p for p in partial.glob("chunk-*.done")] if partial.exists() else []
        if len(done) >= 4 or proc.poll() is not None:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # kill -9 of the main process only, as a user would
    proc.wait()
    leftovers = _tagged_processes(tag)
    for _ in range(50):  # workers notice their parent is gone and exit
        if not leftovers:
            break
        time.sleep(0.2)
        leftovers = _tagged_processes(tag)
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    assert not leftovers, "worker processes outlived the killed main process"
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not out.exists() and partial.is_dir()
    assert 4 <= len(list(partial.glob("chunk-*.done"))) < 16
    res = run_cli("extract", inp, "-o", out, *args(out, slow), "--resume")
    assert res.returncode == 1, res.stderr
    assert "chunks from the previous run" in res.stderr.decode()
    assert out.read_bytes() == ref.read_bytes()
    assert (tmp_path / "out.csv.sum.csv").read_bytes() == (tmp_path / "ref.csv.sum.csv").read_bytes()
    assert (tmp_path / "out.csv.err.jsonl").read_bytes() == (tmp_path / "ref.csv.err.jsonl").read_bytes()
    assert not partial.exists()


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_with_exit_130_and_resumes(tmp_path, config_file):
    inp = write_jsonl(tmp_path / "in.jsonl", make_records(80))
    out = tmp_path / "o.jsonl"
    # 0.2 s a document keeps the run going for ~8 s: on a loaded machine a faster run ended before the signal
    slow = _slow_config(tmp_path, 0.2)
    cmd = [str(CLI) if CLI.exists() else sys.executable] + ([] if CLI.exists() else ["-m", "pipeline"])
    proc = subprocess.Popen(cmd + ["extract", str(inp), "-o", str(out), "--config", str(slow),
                                   "--workers", "2", "--chunk-size", "5"],
                            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            # a child inherits an ignored SIGINT (set in this process by libraries some earlier
                            # tests load), and would then ignore the Ctrl-C this test sends
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    partial = tmp_path / "o.jsonl.partial"
    deadline = time.time() + 90
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and len(list(partial.glob("chunk-*.done"))) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"--resume" in err and not out.exists() and partial.is_dir()
    res = run_cli("extract", inp, "-o", out, "--config", config_file, "--chunk-size", "5", "--resume")
    assert res.returncode == 2 and b"different config" in res.stderr  # parts of another pipeline are not mixed in
    res = run_cli("extract", inp, "-o", out, "--config", slow, "--chunk-size", "5", "--resume")
    assert res.returncode == 0, res.stderr
    ref = tmp_path / "ref.jsonl"
    run_cli("extract", inp, "-o", ref, "--config", config_file, "--chunk-size", "5", "--workers", "1")
    assert out.read_bytes() == ref.read_bytes()  # the delay changes nothing in the rows


@pytest.mark.slow
def test_full_disk_leaves_no_output_that_looks_complete(tmp_path, config_file):
    import resource

    inp = write_jsonl(tmp_path / "in.jsonl", make_records(200))
    out = tmp_path / "o.jsonl"

    def limit_file_size():  # writes past 40 kB fail with EFBIG, like a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    res = run_cli("extract", inp, "-o", out, "--config", config_file, "--workers", "1", "--chunk-size", "20",
                  preexec_fn=limit_file_size)
    assert res.returncode == 3, res.stderr
    assert "File too large" in res.stderr.decode() and "--resume" in res.stderr.decode()
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    res = run_cli("extract", inp, "-o", out, "--config", config_file, "--workers", "1", "--chunk-size", "20",
                  "--resume")
    assert res.returncode == 0, res.stderr
    ref = tmp_path / "ref.jsonl"
    run_cli("extract", inp, "-o", ref, "--config", config_file, "--workers", "1", "--chunk-size", "20")
    assert out.read_bytes() == ref.read_bytes()


@pytest.mark.slow
def test_news_sample_same_bytes_with_1_and_2_workers(tmp_path, config_file):
    lines = news_lines(150)
    inp = tmp_path / "news.jsonl.gz"
    inp.write_bytes(gzip.compress(b"".join(lines)))
    outs = []
    for n in (1, 2):
        out = tmp_path / f"o{n}.parquet"
        res = run_cli("extract", inp, "-o", out, "--config", config_file, "--workers", n, "--chunk-size", "16",
                      "--keep-fields", "url,published", "--summary", tmp_path / f"s{n}.csv")
        assert res.returncode == 0, res.stderr
        assert "150 documents" in res.stderr.decode()
        outs.append((out.read_bytes(), (tmp_path / f"s{n}.csv").read_bytes()))
    assert outs[0] == outs[1]


# ------------------------------------------------------------------------------ evaluate

def test_evaluate_missing_gold_is_a_usage_error(capsys, tmp_path):
    assert main(["evaluate", str(tmp_path / "nope.conll")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_evaluate_prints_per_type_and_micro_scores(capsys, tmp_path):
    from pipeline.paths import default_model_dir

    try:
        import pipeline.recognize.model  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the NER model stage is not there yet ({exc})")
    if not default_model_dir().is_dir():
        pytest.skip(f"no shipped model at {default_model_dir()}")
    gold = tmp_path / "g.conll"
    gold.write_text("زار O\nخيرات B-PERS\nلاما I-PERS\nشريف I-PERS\nالقاهرة B-LOC\n. O\n\n"
                    "منظمة B-ORG\nالتعاون I-ORG\nالإسلامي I-ORG\n. O\n", encoding="utf-8")
    assert main(["evaluate", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "micro" in out and "PER" in out and "LOC" in out


# ------------------------------------------------------------------------------ progress

@pytest.mark.slow
def test_progress_bar_on_a_terminal_only(tmp_path, config_file):
    import pty

    inp = write_jsonl(tmp_path / "in.jsonl", make_records(30))
    master, slave = pty.openpty()
    try:
        cmd = [str(CLI) if CLI.exists() else sys.executable] + ([] if CLI.exists() else ["-m", "pipeline"])
        proc = subprocess.run(cmd + ["extract", str(inp), "-o", str(tmp_path / "o.csv"), "--config", str(config_file),
                                     "--workers", "1"], stderr=slave, stdout=subprocess.DEVNULL, env=cli_env(),
                              timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    tty_err = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "30doc" in tty_err.replace(" ", "") and "words/s" in tty_err  # tqdm bar: documents, words/s
    assert "30 documents" in tty_err  # the summary line
    res = run_cli("extract", inp, "-o", tmp_path / "p.csv", "--config", config_file, "--workers", "1")
    err = res.stderr.decode()
    assert res.returncode == 0 and "\r" not in err and "doc/s" not in err
    assert err.strip().splitlines()[-1].startswith("arabic-ner: 30 documents, ")
    res = run_cli("extract", inp, "-o", tmp_path / "q.csv", "--config", config_file, "--workers", "1", "--quiet")
    assert "doc/s" not in res.stderr.decode()
