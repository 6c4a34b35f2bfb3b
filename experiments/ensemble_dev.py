"""Dev/test check: average per-token tag marginals of a CRF and a BiLSTM model, constrained Viterbi."""
import sys
import numpy as np
from pipeline.train.ner import load_training, load_sents, DEFAULT_SHARED
from pipeline.evaluation.ner import bio_to_spans, score_spans
from pipeline.recognize.model import EntityRecognizer, tags_to_spans

crf = EntityRecognizer(sys.argv[1]).backend
bil = EntityRecognizer(sys.argv[2]).backend
TAGS = bil.tags
w = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
which = sys.argv[4] if len(sys.argv) > 4 else "dev"
if which == "dev":
    _, data, _ = load_training(DEFAULT_SHARED, [], False)
else:
    data = load_sents(DEFAULT_SHARED / "ner/anercorp/test.txt")

def crf_marg(words):
    t = crf.tagger
    t.set(crf.featurizer.sentence(words))
    labels = set(t.labels())
    return np.array([[t.marginal(y, i) if y in labels else 0.0 for y in TAGS] for i in range(len(words))])

n = len(TAGS)
allowed = np.zeros((n, n)); start = np.zeros(n)
for j, t in enumerate(TAGS):
    if t.startswith("I-"):
        start[j] = -1e9
        for i, s in enumerate(TAGS):
            if s[2:] != t[2:]:
                allowed[i, j] = -1e9

def viterbi(logp):
    T = len(logp); score = start + logp[0]; back = []
    for t in range(1, T):
        c = score[:, None] + allowed
        b = c.argmax(0); back.append(b); score = c.max(0) + logp[t]
    y = [int(score.argmax())]
    for b in reversed(back): y.append(int(b[y[-1]]))
    return y[::-1]

gold, preds = [], {k: [] for k in ("crf", "bilstm", "ens")}
sents = [ws for ws, _ in data]
bspans = bil.predict(sents)
for (ws, tags), bs in zip(data, bspans):
    gold.append(bio_to_spans(tags))
    if not ws:
        for k in preds: preds[k].append([]); continue
    E, lens = bil.emissions([ws]); _, mb = bil._decode(E, lens); mb = mb[0, :len(ws)]
    mc = crf_marg(ws)
    m = w * mc + (1 - w) * mb
    y = viterbi(np.log(m + 1e-9))
    names = [TAGS[i] for i in y]
    preds["ens"].append(tags_to_spans(names, [float(m[i, y[i]]) for i in range(len(y))]))
    preds["bilstm"].append(bs)
    yc = viterbi(np.log(mc + 1e-9)); preds["crf"].append(tags_to_spans([TAGS[i] for i in yc]))
for k, p in preds.items():
    r = score_spans(gold, p, ["PER", "ORG", "LOC", "MISC"])
    print(which, k, round(100 * r["micro"]["f1"], 2), {t: round(100 * v["f1"], 1) for t, v in r["per_type"].items()})
