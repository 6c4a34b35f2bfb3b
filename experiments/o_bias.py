"""Dev check: decode CRF marginals with a penalty on O (recall bias), BIO-constrained Viterbi."""
import sys
import numpy as np
from pipeline.train.ner import load_training, DEFAULT_SHARED
from pipeline.evaluation.ner import bio_to_spans, score_spans
from pipeline.recognize.model import EntityRecognizer, BIO_TAGS, tags_to_spans, propagate

r = EntityRecognizer(sys.argv[1])
be = r.backend
_, dev, _ = load_training(DEFAULT_SHARED, [], False)
sents = [w for w, _ in dev]
gold = [bio_to_spans(t) for _, t in dev]
M = be.marginals(sents, BIO_TAGS)
n = len(BIO_TAGS)
allowed = np.zeros((n, n)); start = np.zeros(n)
for j, t in enumerate(BIO_TAGS):
    if t.startswith("I-"):
        start[j] = -1e4
        for i, s in enumerate(BIO_TAGS):
            if s[2:] != t[2:]:
                allowed[i, j] = -1e4

def vit(logp):
    score = start + logp[0]; back = []
    for t in range(1, len(logp)):
        c = score[:, None] + allowed; b = c.argmax(0); back.append(b); score = c[b, np.arange(n)] + logp[t]
    y = [int(score.argmax())]
    for b in reversed(back): y.append(int(b[y[-1]]))
    return y[::-1]

for beta in [0.0, 0.3, 0.5, 0.7, 1.0, 1.5]:
    pred = []
    for ws, m in zip(sents, M):
        if not ws: pred.append([]); continue
        lp = np.log(m + 1e-6); lp[:, 0] -= beta
        y = vit(lp)
        pred.append(tags_to_spans([BIO_TAGS[i] for i in y], [float(m[i, k]) for i, k in enumerate(y)]))
    docs = [(sents[i:i + 20], pred[i:i + 20]) for i in range(0, len(sents), 20)]
    prop = [p for s, pp in docs for p in propagate(s, pp, 0.8, 0.6)]
    for name, p in (("plain", pred), ("prop", prop)):
        res = score_spans(gold, p, ["PER", "ORG", "LOC", "MISC"])
        print(beta, name, round(100 * res["micro"]["f1"], 2), round(100 * res["micro"]["precision"], 1),
              round(100 * res["micro"]["recall"], 1), {t: round(100 * v["f1"], 1) for t, v in res["per_type"].items()})
