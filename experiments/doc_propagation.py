"""Dev check: propagate confident spans to unlabelled repeats within a window of sentences (pseudo-document)."""
import sys
from pipeline.train.ner import load_training, DEFAULT_SHARED
from pipeline.evaluation.ner import bio_to_spans, score_spans
from pipeline.recognize.model import EntityRecognizer

rec = EntityRecognizer(sys.argv[1])
win = int(sys.argv[2]) if len(sys.argv) > 2 else 20
thr = float(sys.argv[3]) if len(sys.argv) > 3 else 0.8
SURNAME = len(sys.argv) > 4 and sys.argv[4] == "surname"
_, dev, _ = load_training(DEFAULT_SHARED, [], False)
sents = [w for w, _ in dev]
gold = [bio_to_spans(t) for _, t in dev]
pred = rec.predict(sents)
new = [list(p) for p in pred]
for s0 in range(0, len(sents), win):
    block = range(s0, min(len(sents), s0 + win))
    lex = {}
    for i in block:
        for a, b, lab, sc in pred[i]:
            if sc >= thr:
                lex.setdefault(tuple(sents[i][a:b]), lab)
                if SURNAME and lab == "PER" and b - a >= 2 and len(sents[i][b - 1]) >= 3:
                    lex.setdefault((sents[i][b - 1],), lab)
    for i in block:
        ws = sents[i]
        taken = [False] * len(ws)
        for a, b, _, _ in new[i]:
            for k in range(a, b):
                taken[k] = True
        for seq, lab in sorted(lex.items(), key=lambda x: -len(x[0])):
            n = len(seq)
            for a in range(len(ws) - n + 1):
                if tuple(ws[a:a + n]) == seq and not any(taken[a:a + n]):
                    new[i].append((a, a + n, lab, 0.5))
                    for k in range(a, a + n):
                        taken[k] = True
for name, p in (("base", pred), ("propagated", new)):
    r = score_spans(gold, p, ["PER", "ORG", "LOC", "MISC"])
    print(name, win, thr, round(100 * r["micro"]["f1"], 2), {t: round(100 * v["f1"], 1) for t, v in r["per_type"].items()})
