"""Throughput (per CPU-second, so other jobs on the machine matter less) of tokenize + EntityRecognizer on the first N news articles (benchmark only, not training)."""
import gzip, json, sys, time
from pipeline.document import Document
from pipeline.tokenize import Tokenizer
from pipeline.recognize.model import EntityRecognizer

model = sys.argv[1] if len(sys.argv) > 1 else None
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
texts = []
with gzip.open("/work/shared/data/news/saudinewsnet.jsonl.gz", "rt") as f:
    for line in f:
        t = json.loads(line)["text"]
        if t:
            texts.append(t)
        if len(texts) >= n:
            break
t0 = time.process_time(); rec = EntityRecognizer(model); tl = time.process_time() - t0
tok = Tokenizer()
docs = [Document(t) for t in texts]
t0 = time.process_time()
for d in docs: tok(d)
tt = time.process_time() - t0
nw = sum(len(d.tokens) for d in docs)
t0 = time.process_time()
list(rec.pipe(docs, batch_size=64))
tn = time.process_time() - t0
print(f"{rec.backend_name}: load {tl:.2f}s; {nw} tokens; tokenize {nw/tt:,.0f} w/s; ner {nw/tn:,.0f} w/s; "
      f"tokenize+ner {nw/(tt+tn):,.0f} w/s; {sum(len(d.candidates) for d in docs)} candidates")
