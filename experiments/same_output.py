"""Do two copies of the code give the same output? Byte-for-byte, on the first N SaudiNewsNet articles.

    python experiments/same_output.py /tmp/speed_base . [--model models/ner] [--articles 500]

1. `arabic-ner extract` (default pipeline, --workers 1) to CSV and to JSONL with each tree first on
   PYTHONPATH; the files must be identical.
2. Unrounded: the NER stage's spans and scores (float repr) and, for an ensemble, each member's tag
   marginals (raw bytes) on the same articles; a change in the last bit of a float fails here even where
   the 4-decimal scores of step 1 hide it.
Exit code 0 when both agree.
"""
from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.evaluation.bench import CLI, WORK, first_articles  # noqa: E402

# run in a child with the tree on PYTHONPATH: prints a digest of the unrounded NER results
_NER_DIGEST = r"""
import hashlib, json, sys
from pipeline.document import Document
from pipeline.recognize.model import EntityRecognizer
from pipeline.tokenize import Tokenizer
rec = EntityRecognizer(sys.argv[1]); tok = Tokenizer()
sents = []
for line in open(sys.argv[2], encoding="utf-8"):
    doc = tok(Document(json.loads(line).get("text") or ""))
    sents += [[t.norm for t in doc.tokens[s.first_token:s.last_token]] for s in doc.sentences]
h = hashlib.sha256(repr(rec.predict(sents)).encode())
for backend, _ in getattr(rec.backend, "members", ()):
    for m in backend.marginals(sents, rec.backend.tags):
        h.update(m.tobytes())
print(h.hexdigest())
"""


def extract(tree: Path, model: Path, inp: Path, out: Path) -> None:
    subprocess.run([CLI, "extract", str(inp), "-o", str(out), "--workers", "1", "--quiet", "--overwrite"],
                   check=True, env=dict(os.environ, PYTHONPATH=str(tree.resolve()),
                                        ARABIC_NER_MODEL=str(model.resolve())))


def ner_digest(tree: Path, model: Path, inp: Path) -> str:
    res = subprocess.run([sys.executable, "-c", _NER_DIGEST, str(model.resolve()), str(inp)], check=True,
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(tree.resolve())))
    return res.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--model", type=Path, default=Path("models/ner"))
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    inp = first_articles(args.shared / "news" / "saudinewsnet.jsonl.gz", args.articles)
    same = True
    for suffix in (".csv", ".jsonl"):
        outs = [WORK / f"same_output_{k}{suffix}" for k in ("base", "new")]
        for tree, out in zip((args.base, args.new), outs):
            extract(tree, args.model, inp, out)
        equal = filecmp.cmp(*outs, shallow=False)
        digest = hashlib.sha256(outs[0].read_bytes()).hexdigest()[:12]
        print(f"{suffix:7s} {'identical' if equal else 'DIFFERENT'} ({outs[0].stat().st_size:,} bytes, {digest})")
        same &= equal
    digests = [ner_digest(tree, args.model, inp) for tree in (args.base, args.new)]
    print(f"ner     {'identical' if digests[0] == digests[1] else 'DIFFERENT'} (unrounded spans + marginals, "
          f"{digests[0][:12]})")
    same &= digests[0] == digests[1]
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
