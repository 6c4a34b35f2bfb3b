"""Speed and memory benchmarks (``make bench``); figures go to BENCHMARKS.md.

    python -m pipeline.evaluation.bench [--shared ../shared/data] [--quick] [--full]

Every figure is measured in this one run, next to its baseline:
- per-stage words/s in one process, against the normalizer+tokenizer alone;
- ``arabic-ner extract`` end to end (start-up included) on the first 2,000 / 5,000
  SaudiNewsNet articles with 1 and 2 workers;
- peak RSS of the whole process tree for 1,000 vs 30,000 articles;
- a BERT-base token classifier (random weights; the architecture of camel-tools'
  NER) on the same text, and our 2-worker speed as a multiple of it;
- ``--full``: the whole dump end to end, with wall time and error count.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipeline.train.data import DEFAULT_SHARED

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "bench"
CLI = str(Path(sys.executable).with_name("arabic-ner"))


def first_articles(dump: Path, n: int) -> Path:
    out = WORK / f"news_{n}.jsonl"
    if not out.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        with gzip.open(dump, "rt", encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
    return out


def count_words(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(len((json.loads(line).get("text") or "").split()) for line in f)


def run_tree(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak summed RSS of the process tree in bytes, exit code)."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    root = psutil.Process(proc.pid)
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()))
    reader.start()
    while proc.poll() is None:
        try:
            procs = [root] + root.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    reader.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(b"".join(stderr_chunks).decode("utf-8", "replace")[-2000:])
    return wall, peak, proc.returncode


def extract_cmd(inp: Path, workers: int, out: Path) -> list[str]:
    return [CLI, "extract", str(inp), "-o", str(out), "--workers", str(workers), "--quiet", "--overwrite",
            "--errors", str(out.with_suffix(".errors.csv"))]


def stage_speeds(path: Path, max_docs: int = 500) -> list[tuple[str, float]]:
    """words/s in this process for growing prefixes of the default pipeline (first ``max_docs`` articles)."""
    from pipeline import Pipeline
    from pipeline.pipeline import default_config
    from pipeline import Document

    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line).get("text") or "" for line in f][:max_docs]
    words = sum(len(t.split()) for t in texts)
    stages = default_config()["stages"]
    finisher = stages[-1]
    results = []
    for k in range(2, len(stages)):
        config = {"stages": stages[:k] + [finisher]}
        nlp = Pipeline.from_config(config)
        for t in texts[:20]:
            nlp(t)  # warm-up
        t0 = time.perf_counter()
        for doc in nlp.pipe(Document(t, id=str(i)) for i, t in enumerate(texts)):
            pass
        results.append(("+".join(s["name"] for s in config["stages"]), words / (time.perf_counter() - t0)))
    return results


def bert_speed(path: Path, max_docs: int = 60) -> float:
    """words/s of a BERT-base token classifier (random weights) over the same articles, 512-piece windows."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    torch.set_num_threads(2)
    model = BertForTokenClassification(BertConfig(num_labels=9)).eval()  # bert-base: 12 layers, 768 dims
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line).get("text") or "" for line in f][:max_docs]
    words = sum(len(t.split()) for t in texts)
    # ~1.5 word pieces per Arabic word for CAMeLBERT's vocabulary; ids are random: speed does not depend on them
    pieces = int(words * 1.5)
    t0 = time.perf_counter()
    with torch.inference_mode():
        remaining = pieces
        while remaining > 0:
            n = min(512, remaining)
            model(torch.randint(1000, 30000, (1, n)))
            remaining -= n
    return words / (time.perf_counter() - t0)


class _Rows(list):
    """Table rows, printed as soon as they are measured (a long run keeps what it measured)."""

    def append(self, row: tuple[str, str]) -> None:
        super().append(row)
        print(f"| {row[0]} | {row[1]} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--quick", action="store_true", help="skip the 30,000-article memory run")
    parser.add_argument("--full", action="store_true", help="also run the whole dump end to end")
    args = parser.parse_args(argv)
    dump = args.shared / "news" / "saudinewsnet.jsonl.gz"
    if not dump.is_file():
        print(f"news dump not found at {dump} (needs ../shared/data); nothing to measure")
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print("\n| measure | figure |\n|---|---|", flush=True)
    rows = _Rows()
    n2k = first_articles(dump, 2000)
    w2k = count_words(n2k)
    for name, speed in stage_speeds(n2k):
        rows.append((f"in-process, 1 core, 500 articles: {name}", f"{speed:,.0f} words/s"))
    for workers in (1, 2):
        wall, peak, rc = run_tree(extract_cmd(n2k, workers, WORK / f"out_2k_w{workers}.csv"))
        rows.append((f"arabic-ner extract, 2,000 articles ({w2k:,} words), {workers} worker(s)",
                     f"{w2k / wall:,.0f} words/s ({wall:.1f} s, peak RSS {peak / 2**20:,.0f} MB, exit {rc})"))
    n5k = first_articles(dump, 5000)
    w5k = count_words(n5k)
    speeds = {}
    for workers in (1, 2):
        wall, peak, rc = run_tree(extract_cmd(n5k, workers, WORK / f"out_5k_w{workers}.csv"))
        speeds[workers] = w5k / wall
        rows.append((f"arabic-ner extract, 5,000 articles ({w5k:,} words), {workers} worker(s)",
                     f"{speeds[workers]:,.0f} words/s ({wall:.1f} s, peak RSS {peak / 2**20:,.0f} MB, exit {rc})"))
    rows.append(("scaling 1 → 2 workers (5,000 articles)", f"{speeds[2] / speeds[1]:.2f}×"))
    bert = bert_speed(n2k)
    rows.append(("BERT-base token classifier (random weights, 2 threads)", f"{bert:,.0f} words/s"))
    rows.append(("our speed (2 workers, 5,000 articles) / BERT-base", f"{speeds[2] / bert:,.0f}×"))
    if not args.quick:
        peaks = {}
        for n in (1000, 30000):
            inp = first_articles(dump, n)
            wall, peaks[n], rc = run_tree(extract_cmd(inp, 2, WORK / f"out_{n}.csv"))
            rows.append((f"peak RSS, {n:,} articles, 2 workers", f"{peaks[n] / 2**20:,.0f} MB ({wall:.0f} s, exit {rc})"))
        rows.append(("peak RSS ratio 30,000 / 1,000 articles", f"{peaks[30000] / peaks[1000]:.2f}×"))
    if args.full:
        out = WORK / "out_full.csv"
        wall, peak, rc = run_tree(extract_cmd(dump, 2, out))
        errors = out.with_suffix(".errors.csv")
        n_err = max(0, sum(1 for _ in open(errors, encoding="utf-8")) - 1) if errors.exists() else 0
        rows.append(("whole SaudiNewsNet dump (31,016 articles), 2 workers",
                     f"{wall / 60:.1f} min, peak RSS {peak / 2**20:,.0f} MB, {n_err} errors, exit {rc}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
