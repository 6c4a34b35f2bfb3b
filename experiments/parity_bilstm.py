"""Check the numpy BiLSTM-CRF forward pass against torch on random weights."""
import sys, time
from pathlib import Path
import numpy as np, torch
torch.set_num_threads(1)
from pipeline.train import bilstm as B
from pipeline.train.ner import load_training, DEFAULT_SHARED
from pipeline.recognize.model import EntityRecognizer, FLAG_NAMES, Featurizer, Lexicon

d = Path(sys.argv[1])
rec = EntityRecognizer(d)
be = rec.backend
train, dev, _ = load_training(DEFAULT_SHARED, [], False)
sents = dev[:40]
import gzip, json
voc = json.load(gzip.open(d / "vocab.json.gz", "rt"))
W = be.W
model = B.Tagger(W["word_emb"].astype(np.float32), len(voc["chars"]), len(FLAG_NAMES), len(voc["tags"]),
                 hidden=be.H)
sd = {k: torch.tensor(v) for k, v in W.items() if k not in ("word_emb", "char_emb")}
sd["word_emb.weight"] = torch.tensor(W["word_emb"]); sd["char_emb.weight"] = torch.tensor(W["char_emb"])
model.load_state_dict(sd); model.eval()
enc = B.encode(sents, be.featurizer, be.words, be.chars, 20)
w, c, f, y, mask, lens = B.batchify(enc)
with torch.no_grad():
    Et = model.emissions(w, c, f, lens).numpy()
En, ln = be.emissions([s for s, _ in sents])
# numpy sorts nothing here (same order)
diff = max(np.abs(Et[i, :l] - En[i, :l]).max() for i, l in enumerate(lens.tolist()))
print("max emission diff", diff)
t = time.perf_counter(); p = rec.predict([s for s, _ in dev]); t1 = time.perf_counter() - t
t = time.perf_counter(); p = rec.predict([s for s, _ in dev]); t2 = time.perf_counter() - t
n = sum(len(s) for s, _ in dev)
print(f"cold {n/t1:.0f} w/s, warm {n/t2:.0f} w/s")
