"""Error categories of a model on ANERcorp dev (last 10 % of train), with propagation as shipped.

    python experiments/dev_errors.py build/m_crf_ctx [--propagate 0.8] [--show 40]
"""
import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.evaluation.ner import DOC_WINDOW, bio_to_spans  # noqa: E402
from pipeline.recognize.model import EntityRecognizer  # noqa: E402
from pipeline.train.data import DEFAULT_SHARED  # noqa: E402
from pipeline.train.ner import DEV_FRACTION, load_sents  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("model", type=Path)
ap.add_argument("--propagate", type=float, default=None)
ap.add_argument("--show", type=int, default=30)
args = ap.parse_args()
aner = load_sents(DEFAULT_SHARED / "ner/anercorp/train.txt")
dev = aner[-int(len(aner) * DEV_FRACTION):]
rec = EntityRecognizer(args.model)
if args.propagate is not None:
    rec.propagate = {"min_score": args.propagate, "factor": 0.6}
words = [w for w, _ in dev]
docs = [words[i:i + DOC_WINDOW] for i in range(0, len(words), DOC_WINDOW)]
pred = [p for d in rec.predict_documents(docs) for p in d]
cats = collections.Counter()
examples = collections.defaultdict(list)
for (ws, tags), ps in zip(dev, pred):
    gold = set(bio_to_spans(tags))
    sys_ = {(s, e, l) for s, e, l, _ in ps}
    for g in gold - sys_:
        over = [p for p in sys_ if p[0] < g[1] and g[0] < p[1]]
        if not over:
            cat = f"miss {g[2]}"
        elif any(p[2] == g[2] for p in over):
            cat = f"boundary {g[2]}"
        else:
            cat = f"type {g[2]}->{over[0][2]}"
        cats[cat] += 1
        examples[cat].append(" ".join(ws[max(0, g[0]-2):g[0]]) + " [" + " ".join(ws[g[0]:g[1]]) + "] " +
                             " ".join(ws[g[1]:g[1]+2]) + ("" if not over else "  SYS=" + " ".join(ws[over[0][0]:over[0][1]])))
    for p in sys_ - gold:
        if not any(g[0] < p[1] and p[0] < g[1] for g in gold):
            cats[f"spurious {p[2]}"] += 1
            examples[f"spurious {p[2]}"].append(" ".join(ws[max(0, p[0]-2):p[0]]) + " [" + " ".join(ws[p[0]:p[1]]) + "] " + " ".join(ws[p[1]:p[1]+2]))
gold_n = collections.Counter(s[2] for _, t in dev for s in bio_to_spans(t))
print("gold:", dict(gold_n))
for c, n in cats.most_common():
    print(f"{n:4d} {c}")
for c, _ in cats.most_common():
    print("\n##", c)
    for e in examples[c][: args.show]:
        print("  ", e)
