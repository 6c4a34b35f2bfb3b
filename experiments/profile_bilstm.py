"""Where the numpy BiLSTM-CRF baseline spends its time (cProfile), on the first 300 SaudiNewsNet articles.

    .venv/bin/python experiments/profile_bilstm.py [MODEL_DIR, default models/ner/bilstm]
"""
import cProfile, pstats, gzip, json, time, sys
sys.path.insert(0, ".")
from pipeline.document import Document
from pipeline.tokenize import Tokenizer
from pipeline.recognize.model import EntityRecognizer
texts=[]
with gzip.open("/work/shared/data/news/saudinewsnet.jsonl.gz","rt") as f:
    for line in f:
        t=json.loads(line)["text"]
        if t: texts.append(t)
        if len(texts)>=300: break
rec=EntityRecognizer(sys.argv[1] if len(sys.argv) > 1 else "models/ner/bilstm"); be=rec.backend
tok=Tokenizer(); docs=[Document(t) for t in texts]
for d in docs: tok(d)
sents=[]
for d in docs:
    for s in d.sentences:
        sents.append([t.norm for t in d.tokens[s.first_token:s.last_token]])
nw=sum(map(len,sents))
t0=time.process_time(); be.predict(sents); t1=time.process_time()
print("cold us/w", (t1-t0)/nw*1e6)
pr=cProfile.Profile(); pr.enable(); t0=time.process_time(); be.predict(sents); t1=time.process_time(); pr.disable()
print("warm us/w", (t1-t0)/nw*1e6, nw)
pstats.Stats(pr).sort_stats("tottime").print_stats(12)
