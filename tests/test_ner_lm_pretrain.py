"""The BiLSTM's language-model pretraining: shifted targets, and weights carried over by string, not by index."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from pipeline.recognize.model import FLAG_NAMES, Featurizer, Lexicon  # noqa: E402
from pipeline.train import bilstm, lm_pretrain  # noqa: E402

SENTENCES = ["قال الرئيس جورج بوش في واشنطن".split(), "وصل بوش الي لندن".split()]
LEXICON = Lexicon(clusters={"بوش": ("7", "70"), "لندن": ("3", "30"), "واشنطن": ("3", "31"), "في": ("1", "10")})


def tagger(chars, ids, hidden=4):
    torch.manual_seed(len(chars))
    vectors = np.eye(3, 5, dtype=np.float32)
    return bilstm.Tagger(vectors, len(chars), len(FLAG_NAMES), len(bilstm.TAGS), hidden=hidden, dropout=0.0,
                         id_sizes=[len(v) for v in ids], id_dims=[2, 3, 3])


def items(chars, ids):
    return bilstm.encode([(ws, ["O"] * len(ws)) for ws in SENTENCES], Featurizer(LEXICON), {},
                         {c: i for i, c in enumerate(chars)}, 20, [{v: i for i, v in enumerate(vs)} for vs in ids])


def test_lm_targets_are_the_neighbouring_words_clusters():
    chars = ["<pad>", "<unk>"] + sorted({c for ws in SENTENCES for w in ws for c in w})
    ids = bilstm.id_vocabs([], LEXICON)
    model = tagger(chars, ids)
    n_classes = len(ids[lm_pretrain.CLUSTER_LOOKUP])
    heads = torch.nn.ModuleList(torch.nn.Linear(4, n_classes) for _ in range(2))
    batch = bilstm.batchify(items(chars, ids))
    seen = {}

    def capture(name):
        def hook(_module, _inputs, output):
            seen[name] = output
        return hook

    for name, head in zip(("fwd", "bwd"), heads):
        head.register_forward_hook(capture(name))
    loss = lm_pretrain.lm_loss(model, heads, batch)
    loss.backward()
    assert torch.isfinite(loss) and all(p.grad is not None for p in heads.parameters())
    # the loss equals cross-entropy against the next word's (forward) and previous word's (backward) cluster
    cluster = {v: i for i, v in enumerate(ids[lm_pretrain.CLUSTER_LOOKUP])}
    fwd_logits, bwd_logits, terms_f, terms_b = seen["fwd"], seen["bwd"], [], []
    for b, ws in enumerate(SENTENCES):
        target = [cluster.get(LEXICON.clusters.get(w, ("-", "-"))[1], 1) for w in ws]
        for t in range(len(ws) - 1):
            terms_f.append(-torch.log_softmax(fwd_logits[b, t], 0)[target[t + 1]])
            terms_b.append(-torch.log_softmax(bwd_logits[b, t + 1], 0)[target[t]])
    expected = torch.stack(terms_f).mean() + torch.stack(terms_b).mean()
    assert abs(loss.item() - expected.item()) < 1e-5


def test_pretrained_weights_are_matched_by_string(tmp_path):
    ids = bilstm.id_vocabs([], LEXICON)
    pre = tagger(["<pad>", "<unk>", "ا", "ب", "ل"], ids)
    path = tmp_path / "lm.pt"
    torch.save({"state": pre.state_dict(), "chars": ["<pad>", "<unk>", "ا", "ب", "ل"], "ids": ids}, path)
    chars = ["<pad>", "<unk>", "ل", "ن", "ا"]  # another order, one new char
    fine_ids = [["<pad>", "<unk>", "بوش"], ids[1], list(reversed(ids[2]))]
    model = tagger(chars, fine_ids)
    before = model.char_emb.weight.detach().clone()
    copied = lm_pretrain.load_pretrained(model, path, chars, fine_ids)
    assert "lstm.weight_ih_l0" in copied and "char_emb.weight" in copied and "id_embs.0.weight" not in copied
    assert torch.equal(model.lstm.weight_hh_l0_reverse, pre.lstm.weight_hh_l0_reverse)
    assert torch.equal(model.char_emb.weight[2], pre.char_emb.weight[4])  # ل
    assert torch.equal(model.char_emb.weight[4], pre.char_emb.weight[2])  # ا
    assert torch.equal(model.char_emb.weight[3], before[3])  # ن: not pretrained, left as initialized
    new_c1 = fine_ids[2]
    for i, key in enumerate(new_c1):
        if i > 0:
            assert torch.equal(model.id_embs[2].weight[i], pre.id_embs[2].weight[ids[2].index(key)])


def test_pretrained_encoder_of_another_size_is_refused(tmp_path):
    ids = bilstm.id_vocabs([], LEXICON)
    chars = ["<pad>", "<unk>", "ا"]
    path = tmp_path / "lm.pt"
    torch.save({"state": tagger(chars, ids, hidden=4).state_dict(), "chars": chars, "ids": ids}, path)
    with pytest.raises(ValueError, match="same --hidden"):
        lm_pretrain.load_pretrained(tagger(chars, ids, hidden=6), path, chars, ids)
