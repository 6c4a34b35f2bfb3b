"""CPU seconds per stage of the default pipeline (and of writing the mention rows), in one process.

    python experiments/stage_times.py [--articles 500] [--model models/ner]

Runs the stages as the local engine does (batches of BATCH_SIZE documents, ``pipe`` where a stage has it),
timing each stage with process_time, so a change can be aimed at where the time goes.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.document import Document  # noqa: E402
from pipeline.engines.base import BATCH_SIZE, tune_gc_for_batch  # noqa: E402
from pipeline.evaluation.bench import first_articles  # noqa: E402
from pipeline.pipeline import Pipeline  # noqa: E402
from pipeline.table import mention_rows  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--model", default="models/ner")
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    inp = first_articles(args.shared / "news" / "saudinewsnet.jsonl.gz", args.articles)
    t0 = time.process_time()
    nlp = Pipeline.default(model_dir=args.model)
    tune_gc_for_batch()  # as the engine does
    times = {"(load)": time.process_time() - t0}
    records = [json.loads(line) for line in open(inp, encoding="utf-8")]
    docs = [Document(r["text"], id=str(r.get("id", i)), meta=r) for i, r in enumerate(records) if (r.get("text") or "").strip()]
    words = 0
    for k in range(0, len(docs), BATCH_SIZE):
        batch = docs[k:k + BATCH_SIZE]
        for stage in nlp.stages:
            t = time.process_time()
            batch = list(stage.pipe(batch)) if hasattr(stage, "pipe") else [stage(d) for d in batch]
            times[stage.name] = times.get(stage.name, 0.0) + time.process_time() - t
        t = time.process_time()
        for d in batch:
            mention_rows(d)
            words += len(d.tokens)
        times["(rows)"] = times.get("(rows)", 0.0) + time.process_time() - t
    total = sum(times.values())
    print(f"{len(docs)} documents, {words:,} tokens, {total:.1f} CPU-s, {words / total:,.0f} tokens/CPU-s")
    for name, t in times.items():
        print(f"{name:12s} {t:6.2f} s  {100 * t / total:5.1f} %")


if __name__ == "__main__":
    main()
