"""Full default pipeline (normalize → tokenize → ner → gazetteer → dates → finisher) per CPU-second."""
import gzip, json, sys, time
from pipeline.document import Document
from pipeline.pipeline import Pipeline

model = sys.argv[1] if len(sys.argv) > 1 else None
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
texts = []
with gzip.open("/work/shared/data/news/saudinewsnet.jsonl.gz", "rt") as f:
    for line in f:
        t = json.loads(line)["text"]
        if t:
            texts.append(t)
        if len(texts) >= n:
            break
t0 = time.process_time(); p = Pipeline.default(model_dir=model); tl = time.process_time() - t0
docs = [Document(t) for t in texts]
t0 = time.process_time()
for d in docs:
    for st in p.stages:
        d = st(d)
tt = time.process_time() - t0
nw = sum(len(d.tokens) for d in docs)
print(f"{model}: build {tl:.2f} cpu-s; {nw} tokens; full pipeline {nw/tt:,.0f} words per CPU-second")
