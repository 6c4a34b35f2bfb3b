"""Pretrain the BiLSTM tagger's encoder as a language model over arwiki (ELMo-style, class-based).

    python -m pipeline.train.lm_pretrain --out build/lm64.pt --words 3000000 --hidden 64

The tagger's encoder (char-CNN + BiLSTM over frozen word vectors, flags and lookups) is trained on unlabelled
Wikipedia sentences to predict, from its forward states, the word cluster (k-means over the skip-gram vectors,
1,000 classes) of the **next** word and, from its backward states, that of the **previous** word. The states
thereby learn which kinds of words a context announces (a club after نادي, a name after الرئيس) from 25× more
text than the labelled corpora hold. ``pipeline.train.bilstm --init`` starts from these weights; the run-time
model is unchanged in shape and cost. Class-based targets keep the output layer small (hidden × 1,000).
"""
from __future__ import annotations

import argparse
import random
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .bilstm import TAGS, Tagger, batchify, build_vocab, chunks, encode, id_vocabs
from .data import DEFAULT_SHARED
from .ner import write_lexicon
from .silver import arwiki_sentences

CLUSTER_LOOKUP = 2  # index of the fine (1,000) cluster id among the tagger's lookups: the LM's target classes


def lm_loss(model: Tagger, heads: nn.ModuleList, batch) -> torch.Tensor:
    """Cross-entropy of the next word's cluster (forward states) and the previous word's (backward states)."""
    w, c, f, k, _, mask, lens = batch
    h = model.drop(model.encode(w, c, f, k, lens))
    hidden = h.shape[2] // 2
    target = k[:, :, CLUSTER_LOOKUP].masked_fill(~mask, -100)
    next_target = torch.cat([target[:, 1:], torch.full_like(target[:, :1], -100)], dim=1)
    prev_target = torch.cat([torch.full_like(target[:, :1], -100), target[:, :-1]], dim=1).masked_fill(~mask, -100)
    fwd = heads[0](h[:, :, :hidden]).transpose(1, 2)
    bwd = heads[1](h[:, :, hidden:]).transpose(1, 2)
    ce = nn.functional.cross_entropy
    return ce(fwd, next_target, ignore_index=-100) + ce(bwd, prev_target, ignore_index=-100)


def load_pretrained(model: Tagger, path: Path, chars: list[str], ids: list[list[str]]) -> list[str]:
    """Copy a pretrained encoder into ``model``; embeddings are matched by their strings (chars, cluster ids), since
    the fine-tuning vocabularies come from the labelled data. Returns the names of the tensors copied."""
    saved = torch.load(path, weights_only=False)
    state, copied = model.state_dict(), []
    for key, value in saved["state"].items():
        if key.startswith(("char_conv.", "lstm.")):
            if state[key].shape != value.shape:
                raise ValueError(f"{path}: {key} has shape {tuple(value.shape)}, the tagger {tuple(state[key].shape)}"
                                 " (pretrain with the same --hidden and --id-embeddings)")
            state[key] = value
            copied.append(key)
    vocabs = [("char_emb.weight", saved["chars"], chars)]
    vocabs += [(f"id_embs.{j}.weight", old, new) for j, (old, new) in enumerate(zip(saved["ids"], ids)) if j > 0]
    for key, old_vocab, new_vocab in vocabs:
        if key not in state or key not in saved["state"] or state[key].shape[1] != saved["state"][key].shape[1]:
            continue
        old_index = {s: i for i, s in enumerate(old_vocab)}
        rows = [(i, old_index[s]) for i, s in enumerate(new_vocab) if s in old_index and i > 0]
        new_rows, old_rows = zip(*rows)
        state[key][list(new_rows)] = saved["state"][key][list(old_rows)]
        copied.append(key)
    model.load_state_dict(state)
    return copied


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("build/lm64.pt"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"))
    ap.add_argument("--words", type=int, default=3_000_000, help="arwiki words to pretrain on (sentences of 6-60)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--id-embeddings", default="32,16,16", metavar="D_WORD,D_C0,D_C1",
                    help="as the tagger's; the training-word lookup stays 'unknown' here (no labelled words yet)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    from gensim.models import KeyedVectors

    from pipeline.recognize.model import FLAG_NAMES, Featurizer, Lexicon

    t0 = time.time()
    sents, n_words = [], 0
    for words in arwiki_sentences(args.shared):
        sents.append((words, ["O"] * len(words)))
        n_words += len(words)
        if n_words >= args.words:
            break
    tmp = args.out.with_name(args.out.name + ".lexicon.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    write_lexicon(tmp, args.vectors, args.shared, 150000, context="coarse")  # the tagger's own lexicon recipe
    feat = Featurizer(Lexicon.load(tmp))
    shutil.rmtree(tmp)
    words, vec = build_vocab(KeyedVectors.load(str(args.vectors / "w2v.kv")), set(), 60000)
    cc = Counter(ch for ws, _ in sents for w in ws for ch in w)
    chars = ["<pad>", "<unk>"] + [ch for ch, n in cc.most_common() if n >= 5]
    id_dims = [int(d) for d in args.id_embeddings.split(",") if d]
    if len(id_dims) != 3:
        raise SystemExit("--id-embeddings needs three sizes: the LM's targets are the fine cluster lookup's ids")
    ids = id_vocabs([], feat.lex)
    items = encode(sents, feat, {w: i for i, w in enumerate(words)}, {c: i for i, c in enumerate(chars)}, 20,
                   [{v: i for i, v in enumerate(vs)} for vs in ids])
    model = Tagger(vec, len(chars), len(FLAG_NAMES), len(TAGS), hidden=args.hidden, dropout=args.dropout,
                   id_sizes=[len(v) for v in ids], id_dims=id_dims)
    heads = nn.ModuleList(nn.Linear(args.hidden, len(ids[CLUSTER_LOOKUP])) for _ in range(2))
    params = [p for p in list(model.parameters()) + list(heads.parameters()) if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)
    print(f"data ready: {len(items)} sentences, {n_words} words, {len(chars)} chars ({time.time() - t0:.0f}s)",
          flush=True)
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    batches = chunks(order, args.batch)
    for ep in range(args.epochs):
        random.shuffle(batches)
        model.train()
        total, te = 0.0, time.time()
        for bi, b in enumerate(batches, 1):
            loss = lm_loss(model, heads, batchify([items[i] for i in b]))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += loss.item()
            if bi % 500 == 0:
                print(f"epoch {ep + 1} batch {bi}/{len(batches)}: loss {total / bi:.3f} ({time.time() - te:.0f}s)",
                      flush=True)
        print(f"epoch {ep + 1}: loss {total / len(batches):.3f} ({time.time() - te:.0f}s)", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    keep = {k: v for k, v in model.state_dict().items() if not k.startswith(("word_emb.", "proj.", "crf."))}
    torch.save({"state": keep, "chars": chars, "ids": ids, "config": {"hidden": args.hidden, "id_dims": id_dims},
                "words": n_words, "seconds": round(time.time() - t0)}, args.out)
    print(f"wrote {args.out} ({round(time.time() - t0)}s)", flush=True)


if __name__ == "__main__":
    main()
