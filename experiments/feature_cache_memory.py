"""RSS and speed of Pipeline.default() over the first 6,000 SaudiNewsNet articles for a given CRF feature-cache size.

    .venv/bin/python experiments/feature_cache_memory.py 20000
"""
import gzip, json, time, sys, resource, psutil
from pipeline import Pipeline, Document
size = int(sys.argv[1])
nlp = Pipeline.default()
ner = nlp.get_stage("ner")
feat = ner.backend.featurizer if hasattr(ner.backend, "featurizer") else None
print("featurizer", type(feat).__name__ if feat else None, [a for a in vars(ner.backend)][:10])
if feat is not None:
    feat._cache_size = size
texts = []
with gzip.open("../shared/data/news/saudinewsnet.jsonl.gz", "rt") as f:
    for i, line in enumerate(f):
        if i >= 6000: break
        texts.append(json.loads(line)["text"] or "")
p = psutil.Process()
t0 = time.time(); words = 0
for i, t in enumerate(texts):
    nlp(t); words += len(t.split())
    if i % 2000 == 1999:
        print(i + 1, f"{words/(time.time()-t0):,.0f} w/s", f"rss {p.memory_info().rss/2**20:.0f} MB", "cache", len(feat._cache) if feat else "-", flush=True)
