"""`arabic-ner extract --workers 1` end to end with several NER models, interleaved in one run.

    python experiments/speed_models.py models/ner models/ner/baselines/ensemble [--articles 2000] [--rounds 2]

Prints words per wall second and per CPU second (user + sys of the child: robust to a busy machine)
for each model, start-up included, on the first N SaudiNewsNet articles (as `make bench` does).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.evaluation.bench import CLI, WORK, count_words, first_articles  # noqa: E402


def run(model: Path, inp: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall s, CPU s) of one CLI run with ``model``; ``env`` adds environment variables (e.g. PYTHONPATH)."""
    out = WORK / "speed_models.csv"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([CLI, "extract", str(inp), "-o", str(out), "--workers", "1", "--quiet", "--overwrite"],
                   check=True, env=dict(os.environ, ARABIC_NER_MODEL=str(model.resolve()), **(env or {})))
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(runs: dict[str, tuple[Path, dict[str, str]]], articles: int, rounds: int, shared: Path,
            title: str = "") -> None:
    """Run each labelled (model, extra env) ``rounds`` times, interleaved, and print the best wall / CPU figures."""
    inp = first_articles(shared / "news" / "saudinewsnet.jsonl.gz", articles)
    words = count_words(inp)
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for label, (model, env) in runs.items():
            wall, cpu = run(model, inp, env)
            w, c = best.get(label, (1e9, 1e9))
            best[label] = (min(w, wall), min(c, cpu))
    print(f"{articles} articles, {words:,} words, --workers 1{title}, best of {rounds}")
    for label, (wall, cpu) in best.items():
        print(f"{label:45s} {words / wall:8,.0f} words/s wall  {words / cpu:8,.0f} words/CPU-s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    compare({str(m): (m, {}) for m in args.models}, args.articles, args.rounds, args.shared)


if __name__ == "__main__":
    main()
