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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    inp = first_articles(args.shared / "news" / "saudinewsnet.jsonl.gz", args.articles)
    words = count_words(inp)
    best: dict[Path, tuple[float, float]] = {}
    for _ in range(args.rounds):
        for m in args.models:
            wall, cpu = run(m, inp)
            w, c = best.get(m, (1e9, 1e9))
            best[m] = (min(w, wall), min(c, cpu))
    print(f"{args.articles} articles, {words:,} words, --workers 1, best of {args.rounds}")
    for m, (wall, cpu) in best.items():
        print(f"{str(m):45s} {words / wall:8,.0f} words/s wall  {words / cpu:8,.0f} words/CPU-s")


if __name__ == "__main__":
    main()
