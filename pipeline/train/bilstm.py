"""Train the char-CNN + BiLSTM-CRF tagger in torch; export numpy weights for the run time.

    python -m pipeline.train.bilstm --out build/m_bilstm [--extra aqmar] [--epochs 20]

Inputs per token: a frozen skip-gram word vector pretrained on arwiki
(``pipeline.train.vectors``; looked up by the word, else its proclitic-stripped
stem), a char-CNN over the normalized word, and binary gazetteer / trigger /
proclitic flags (``pipeline.recognize.model.word_flags``). Model selection:
the best epoch on the held-out ANERcorp dev (last 10 % of train).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn

from pipeline.evaluation.ner import LABEL_MAP

from .data import DEFAULT_SHARED
from .ner import ANERGAZET, ARWIKI, SOURCES, dir_size, evaluate_dir, git_commit, load_sents, load_training_domains, \
    parse_fold, replace_dir, short, write_lexicon

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


class CRF(nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.transitions = nn.Parameter(torch.zeros(n, n))
        self.start_transitions = nn.Parameter(torch.zeros(n))
        self.end_transitions = nn.Parameter(torch.zeros(n))

    def nll(self, E, y, mask):
        """E (B,T,n), y (B,T), mask (B,T) bool; mean negative log-likelihood."""
        B, T, n = E.shape
        ar = torch.arange(B)
        score = self.start_transitions[y[:, 0]] + E[ar, 0, y[:, 0]]
        for t in range(1, T):
            s = self.transitions[y[:, t - 1], y[:, t]] + E[ar, t, y[:, t]]
            score = score + s * mask[:, t]
        last = y[ar, mask.sum(1) - 1]
        score = score + self.end_transitions[last]
        alpha = self.start_transitions + E[:, 0]
        for t in range(1, T):
            a = torch.logsumexp(alpha[:, :, None] + self.transitions[None] + E[:, t, None, :], dim=1)
            alpha = torch.where(mask[:, t, None], a, alpha)
        logz = torch.logsumexp(alpha + self.end_transitions, dim=1)
        return (logz - score).mean()


class Tagger(nn.Module):
    def __init__(self, vectors: np.ndarray, n_chars: int, n_flags: int, n_tags: int, char_dim=30, char_out=50,
                 hidden=128, dropout=0.5, id_sizes: Sequence[int] = (), id_dims: Sequence[int] = (),
                 extra_heads: int = 0):
        super().__init__()
        self.word_emb = nn.Embedding.from_pretrained(torch.tensor(vectors), freeze=True)
        self.char_emb = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.char_conv = nn.Conv1d(char_dim, char_out, 3, padding=1)
        # trainable lookups (training words, the two cluster ids): what the CRF memorizes, the frozen vectors cannot
        self.id_embs = nn.ModuleList(nn.Embedding(n, d, padding_idx=0) for n, d in zip(id_sizes, id_dims))
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(vectors.shape[1] + char_out + n_flags + sum(id_dims), hidden, bidirectional=True,
                            batch_first=True)
        self.proj = nn.Linear(2 * hidden, n_tags)
        self.crf = CRF(n_tags)
        # multi-task: each extra data set gets its own output layer and CRF, so its label conventions (AQMAR's
        # Wikipedia MISC, Wojood's ORG for states) train the shared encoder without overwriting ANERcorp's head;
        # only head 0 (ANERcorp) is exported
        self.extra_heads = nn.ModuleList(nn.ModuleDict({"proj": nn.Linear(2 * hidden, n_tags), "crf": CRF(n_tags)})
                                         for _ in range(extra_heads))

    def head(self, i: int) -> tuple[nn.Linear, CRF]:
        if i == 0:
            return self.proj, self.crf
        h = self.extra_heads[i - 1]
        return h["proj"], h["crf"]

    def emissions(self, w, c, f, k, lens, head: int = 0):
        return self.head(head)[0](self.drop(self.encode(w, c, f, k, lens)))

    def encode(self, w, c, f, k, lens):
        """The BiLSTM's states (B, T, 2·hidden): forward direction first, then backward."""
        B, T, L = c.shape
        ce = self.char_emb(c.view(B * T, L)).transpose(1, 2)  # (BT, dc, L)
        conv = self.char_conv(ce)
        conv = conv.masked_fill((c.view(B * T, L) == 0)[:, None, :], -1e4)
        crep = conv.max(dim=2).values.view(B, T, -1)
        x = torch.cat([self.word_emb(w), crep, f] + [e(k[:, :, j]) for j, e in enumerate(self.id_embs)], dim=2)
        x = self.drop(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=T)
        return h


def build_vocab(kv, train_words: set[str], max_words: int):
    """Pretrained words: the most frequent ``max_words`` plus every training word that has a vector (with
    fastText vectors every word has one, from its character n-grams, as unseen words get at run time)."""
    words = ["<pad>", "<unk>"]
    seen = set(words)
    for w in kv.index_to_key[:max_words]:
        if w not in seen:
            words.append(w)
            seen.add(w)
    subwords = has_subword_vectors(kv)
    for w in sorted(train_words):
        if w not in seen and (subwords or w in kv.key_to_index):
            words.append(w)
            seen.add(w)
    dim = kv.vector_size
    vec = np.zeros((len(words), dim), dtype=np.float32)
    for i, w in enumerate(words[2:], 2):
        vec[i] = kv[w]
    vec[2:] /= np.linalg.norm(vec[2:], axis=1, keepdims=True).clip(1e-6)
    return words, vec


def has_subword_vectors(kv) -> bool:
    """fastText vectors (``pipeline.train.vectors --fasttext``): any word has a vector from its n-grams."""
    ngrams = getattr(kv, "vectors_ngrams", None)
    return ngrams is not None and len(ngrams) > 0


def id_vocabs(train, lexicon, min_count: int = 2) -> list[list[str]]:
    """Vocabularies of the trainable lookups: training words seen ``min_count``+ times, cluster ids."""
    from collections import Counter

    counts = Counter(w or "_" for ws, _ in train for w in ws)
    words = ["<pad>", "<unk>"] + sorted(w for w, n in counts.items() if n >= min_count)
    c0 = ["<pad>", "<unk>", "-"] + sorted({c[0] for c in lexicon.clusters.values() if c})
    c1 = ["<pad>", "<unk>", "-"] + sorted({c[1] for c in lexicon.clusters.values() if len(c) > 1})
    return [words, c0, c1]


def encode(sents, feat, words_idx, chars_idx, max_len, ids: Sequence[dict[str, int]] = ()):
    from pipeline.recognize.model import FLAG_NAMES, char_ids, type_ids, word_flags, word_lookup

    tag_idx = {t: i for i, t in enumerate(TAGS)}
    out = []
    for ws, tags in sents:
        ws = [w or "_" for w in ws]
        infos = [feat.word_info(w) for w in ws]
        wid = [word_lookup(w, info[2], words_idx) for w, info in zip(ws, infos)]
        cid = [char_ids(w, chars_idx, max_len) for w in ws]
        fl = np.zeros((len(ws), len(FLAG_NAMES)), dtype=np.float32)
        for r, info in enumerate(infos):
            fl[r, word_flags(info, info[0][3][4:])] = 1.0
        kid = [type_ids(info, ids) for info in infos]
        out.append((wid, cid, fl, kid, [tag_idx[t] for t in tags]))
    return out


def batchify(items, word_dropout=0.0):
    B = len(items)
    T = max(len(it[0]) for it in items)
    L = max(len(c) for it in items for c in it[1])
    w = torch.zeros(B, T, dtype=torch.long)
    c = torch.zeros(B, T, L, dtype=torch.long)
    f = torch.zeros(B, T, items[0][2].shape[1])
    k = torch.zeros(B, T, len(items[0][3][0]), dtype=torch.long)
    y = torch.zeros(B, T, dtype=torch.long)
    mask = torch.zeros(B, T, dtype=torch.bool)
    lens = []
    for b, (wid, cid, fl, kid, tags) in enumerate(items):
        n = len(wid)
        lens.append(n)
        ww = torch.tensor(wid)
        drop = torch.rand(n) < word_dropout if word_dropout else None
        if drop is not None:
            ww = torch.where(drop, torch.ones_like(ww), ww)
        w[b, :n] = ww
        for t, cc in enumerate(cid):
            c[b, t, :len(cc)] = torch.tensor(cc) if cc else 0
        f[b, :n] = torch.from_numpy(fl)
        if k.shape[2]:
            kk = torch.tensor(kid)
            if drop is not None:  # the training word's own lookup is dropped with it (1 = unknown)
                kk[:, 0] = torch.where(drop, torch.ones_like(kk[:, 0]), kk[:, 0])
            k[b, :n] = kk
        y[b, :n] = torch.tensor(tags)
        mask[b, :n] = True
    return w, c, f, k, y, mask, torch.tensor(lens)


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def export(model: Tagger, out: Path, words, chars, meta: dict, ids: Sequence[list[str]] = ()) -> None:
    sd = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    arrays = {"word_emb": sd["word_emb.weight"].astype(np.float16), "char_emb": sd["char_emb.weight"]}
    for k, v in sd.items():
        if k.startswith(("char_conv.", "lstm.", "proj.", "crf.", "id_embs.")):
            arrays[k] = v
    np.savez_compressed(out / "weights.npz", **arrays)
    with gzip.open(out / "vocab.json.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump({"words": words, "chars": chars, "tags": TAGS, "ids": list(ids)}, f, ensure_ascii=False)
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("build/m_bilstm"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"))
    ap.add_argument("--extra", default="", help="comma-separated: aqmar,wojood")
    ap.add_argument("--extra-heads", action="store_true",
                    help="each --extra set trains its own output layer + CRF over the shared encoder (multi-task)")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--patience", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--no-context", action="store_true", help="without the arwiki trigger-context flags")
    ap.add_argument("--wiki-names", type=Path, default=None,
                    help="typed arwiki title words (pipeline.train.wiki_names) merged into the gazetteer flags")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--max-words", type=int, default=60000)
    ap.add_argument("--word-dropout", type=float, default=0.05)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-minutes", type=float, default=40)
    ap.add_argument("--id-embeddings", default="", metavar="D_WORD,D_C0,D_C1",
                    help="trainable lookups of training words (seen twice+) and both cluster ids, e.g. 32,16,16")
    ap.add_argument("--cv-fold", default=None, metavar="K/N",
                    help="hold out the K-th of N contiguous blocks of ANERcorp train as dev (cross-validation)")
    ap.add_argument("--fixed-epochs", action="store_true",
                    help="train exactly --epochs epochs and keep the last (no selection on dev; implied by --full, "
                         "whose dev was seen in training)")
    ap.add_argument("--init", type=Path, default=None,
                    help="start from an encoder pretrained by pipeline.train.lm_pretrain (same --hidden, --id-embeddings)")
    ap.add_argument("--test", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: use only the first N training sentences")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    from gensim.models import KeyedVectors

    from pipeline.recognize.model import FLAG_NAMES, EntityRecognizer, Featurizer, Lexicon

    t0 = time.time()
    extra = [e for e in args.extra.split(",") if e]
    fixed = args.fixed_epochs or args.full
    train, dev, used, domains = load_training_domains(args.shared, extra, args.full, parse_fold(ap, args.cv_fold))
    if args.limit:
        train, dev, domains = train[:args.limit], dev[:args.limit], domains[:args.limit]
    heads = domains if args.extra_heads else [0] * len(train)  # the output head each training sentence trains
    tmp = args.out.with_name(args.out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    lex_info = write_lexicon(tmp, args.vectors, args.shared, 150000, context=None if args.no_context else "coarse",
                             wiki_names=args.wiki_names)
    feat = Featurizer(Lexicon.load(tmp))
    kv = KeyedVectors.load(str(args.vectors / "w2v.kv"))
    train_words = {w for ws, _ in train for w in ws}
    train_words |= {feat.word_info(w or "_")[2] for w in train_words}
    words, vec = build_vocab(kv, train_words, args.max_words)
    words_idx = {w: i for i, w in enumerate(words)}
    from collections import Counter

    cc = Counter(ch for ws, _ in train for w in ws for ch in w)
    chars = ["<pad>", "<unk>"] + [ch for ch, n in cc.most_common() if n >= 2]
    chars_idx = {c: i for i, c in enumerate(chars)}
    max_len = 20
    id_dims = [int(d) for d in args.id_embeddings.split(",") if d]
    ids = id_vocabs(train, feat.lex)[:len(id_dims)] if id_dims else []
    ids_idx = [{v: i for i, v in enumerate(vs)} for vs in ids]
    tr = encode(train, feat, words_idx, chars_idx, max_len, ids_idx)
    model = Tagger(vec, len(chars), len(FLAG_NAMES), len(TAGS), hidden=args.hidden, dropout=args.dropout,
                   id_sizes=[len(v) for v in ids], id_dims=id_dims, extra_heads=len(extra) if args.extra_heads else 0)
    if args.init:
        from .lm_pretrain import load_pretrained

        print("pretrained:", ", ".join(load_pretrained(model, args.init, chars, ids)), flush=True)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    meta = {"format_version": 1, "backend": "bilstm", "name": "arabic-ner-bilstm",
            "labels": ["PER", "ORG", "LOC", "MISC"], "label_map": LABEL_MAP,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "code_commit": git_commit(),
            "config": {"max_word_len": max_len, "hidden": args.hidden, "char_dim": 30, "char_out": 50,
                       "word_dim": int(vec.shape[1]), "vocab": len(words), "flags": list(FLAG_NAMES),
                       "subword_vectors": has_subword_vectors(kv) and feat.lex.subwords is not None,
                       "id_embeddings": {"dims": id_dims, "sizes": [len(v) for v in ids]}},
            "training": {"sources": [{"name": n, "path": "../shared/data/" + SOURCES[n][0], "what": SOURCES[n][1],
                                      "license": SOURCES[n][2]} for n in used],
                         "dev": (f"held out: block {args.cv_fold} of ANERcorp train" if args.cv_fold else
                                 "held out: last 10% of ANERcorp train sentences" + (
                                     " (NOT held out: --full)" if args.full else "")),
                         "epochs": f"fixed: {args.epochs}, the last kept" if fixed else
                                   f"best on dev of up to {args.epochs} (patience {args.patience})",
                         "sentences": len(train), "tokens": sum(len(w) for w, _ in train),
                         "resources": {"lexicon": lex_info,
                                       "unlabelled": {"path": "../shared/data/" + ARWIKI[0], "what": ARWIKI[1],
                                                      "license": ARWIKI[2],
                                                      "use": "skip-gram word2vec 100d (frozen) + k-means clusters" + (
                                                          f"; encoder pretrained as a language model ({args.init.name}"
                                                          ", pipeline.train.lm_pretrain)" if args.init else "")},
                                       "gazetteers": {"path": "../shared/data/" + ANERGAZET[0], "what": ANERGAZET[1],
                                                      "license": ANERGAZET[2]}},
                         "params": vars(args) | {"out": str(args.out), "shared": str(args.shared),
                                                 "vectors": str(args.vectors)},
                         "command": "python -m pipeline.train.bilstm " + " ".join(argv or __import__("sys").argv[1:])}}
    meta["training"]["params"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in meta["training"]["params"].items()}
    print(f"data ready: {len(tr)} train sentences, vocab {len(words)}, chars {len(chars)} ({time.time()-t0:.0f}s)",
          flush=True)
    best, best_ep, bad = -1.0, -1, 0
    # length-sorted batches, each from one data set (one head)
    order = sorted(range(len(tr)), key=lambda i: len(tr[i][0]))
    all_batches = [b for h in sorted(set(heads)) for b in chunks([i for i in order if heads[i] == h], args.batch)]
    for ep in range(args.epochs):
        model.train()
        te = time.time()
        batches = list(all_batches)
        random.shuffle(batches)
        tot = 0.0
        for bi in batches:
            w, c, f, k, y, mask, lens = batchify([tr[i] for i in bi], args.word_dropout)
            head = heads[bi[0]]
            loss = model.head(head)[1].nll(model.emissions(w, c, f, k, lens, head), y, mask)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            tot += loss.item()
        model.eval()
        export(model, tmp, words, chars, meta, ids)
        res = evaluate_dir(tmp, dev)
        f1 = res["micro"]["f1"]
        print(f"epoch {ep+1}: loss {tot/len(batches):.3f}, dev F1 {100*f1:.2f} "
              f"({' '.join('%s %.1f' % (t, 100 * m['f1']) for t, m in res['per_type'].items())}) "
              f"{res['words_per_s']:.0f} w/s, {time.time()-te:.0f}s", flush=True)
        if f1 > best or fixed:
            best, best_ep, bad = f1, ep + 1, 0
            torch.save(model.state_dict(), tmp / "best.pt")
        else:
            bad += 1
        if (bad >= args.patience and not fixed) or (time.time() - t0) / 60 > args.max_minutes:
            break
    model.load_state_dict(torch.load(tmp / "best.pt"))
    (tmp / "best.pt").unlink()
    meta["training"]["best_epoch"] = best_ep
    meta["training"]["seconds"] = round(time.time() - t0)
    export(model, tmp, words, chars, meta, ids)
    scores = {"anercorp_dev": short(evaluate_dir(tmp, dev))}
    if args.test:
        for key, rel in (("anercorp_test", "ner/anercorp/test.txt"), ("aqmar_test", "ner/aqmar/test.txt")):
            scores[key] = short(evaluate_dir(tmp, load_sents(args.shared / rel)))
    meta["scores"] = scores
    meta["size_bytes"] = dir_size(tmp)
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    replace_dir(tmp, args.out)
    from .card import write_card

    write_card(args.out)
    print(json.dumps({"out": str(args.out), "scores": scores, "size_bytes": meta["size_bytes"],
                      "best_epoch": best_ep, "seconds": round(time.time() - t0)}, indent=1), flush=True)


if __name__ == "__main__":
    main()
