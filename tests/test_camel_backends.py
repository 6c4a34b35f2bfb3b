"""camel-tools backends, run for real on small artifacts built here: a camel-tools data folder with
a catalogue, a tiny morphology DB + MLE model, and a tiny BERT token classifier with camel's labels.

Each scenario runs in a fresh interpreter: camel-tools fixes its data folder when
``camel_tools.data`` is first imported, and the missing-data case must prove nothing is imported
(and no connection attempted) before the clear error.
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CAMEL_LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
# Refuse every connection in the child: a missing-data path must fail fast, never fetch.
NO_NETWORK = textwrap.dedent("""
    import socket
    def _refuse(*a, **k):
        raise RuntimeError("network access attempted")
    socket.socket.connect = _refuse
    socket.create_connection = _refuse
    """)


def run_child(code: str, data_dir: Path, tmp_path: Path, timeout: float = 300) -> dict:
    env = dict(os.environ, CAMELTOOLS_DATA=str(data_dir), HOME=str(tmp_path / "home"),
               PYTHONPATH=str(ROOT), TRANSFORMERS_OFFLINE="1", HF_HUB_OFFLINE="1")
    (tmp_path / "home").mkdir(exist_ok=True)
    script = NO_NETWORK + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- artifacts

def write_catalogue(data_dir: Path) -> None:
    components = {
        "MorphologyDB": {"default": "calima-msa-r13",
                         "datasets": {"calima-msa-r13": {"path": "morphology_db/calima-msa-r13"}}},
        "DisambigMLE": {"default": "calima-msa-r13",
                        "datasets": {"calima-msa-r13": {"path": "disambig_mle/calima-msa-r13"}}},
        "NamedEntityRecognition": {"default": "arabert", "datasets": {"arabert": {"path": "ner/arabert"}}},
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "catalogue.json").write_text(json.dumps({"version": "1.6", "packages": {}, "components": components}))


FEATS = ["pos", "diac", "lex", "bw", "gloss", "atbtok", "pos_lex_logprob"]


def _feats(**kv) -> str:
    return " ".join(f"{k}:{v}" for k, v in kv.items())


def write_morphology_db(path: Path) -> None:
    """A camel-tools morphology DB (the text format MorphologyDB parses) covering a few words:
    proclitics و/ب with and without the article, a few stems, an ambiguous كتب (verb / plural
    noun of كتاب) and the NOAN backoff stem for proper nouns."""
    defines = [
        "DEFINE pos pos:noun pos:noun_prop pos:verb pos:digit pos:punc pos:latin",
        *[f"DEFINE {f} {f}:*open*" for f in FEATS[1:]],
    ]
    defaults = [f"DEFAULT pos:{p} " + " ".join(f"{f}:*" for f in FEATS[1:]) for p in ("digit", "punc", "latin")]
    prefixes = [  # surface, category, features (atbtok: the ATB tokenization, '+' marks a proclitic)
        ("", "Pref-0", _feats(diac="", bw="", gloss="", atbtok="")),
        ("و", "Pref-Wa", _feats(diac="وَ", bw="wa/CONJ", gloss="and", atbtok="وَ+_")),
        ("ب", "Pref-Bi", _feats(diac="بِ", bw="bi/PREP", gloss="in", atbtok="بِ+_")),
        ("ال", "Pref-Al", _feats(diac="ال", bw="Al/DET", gloss="the", atbtok="ال")),
        ("بال", "Pref-BiAl", _feats(diac="بِال", bw="bi/PREP+Al/DET", gloss="in+the", atbtok="بِ+_ال")),
        ("وال", "Pref-WaAl", _feats(diac="وَال", bw="wa/CONJ+Al/DET", gloss="and+the", atbtok="وَ+_ال")),
    ]
    stems = [  # normalized surface (what the analyzer looks up), category, features
        ("قاهره", "Nap", _feats(diac="قاهِرَة", lex="قاهِرَة_1", bw="qAhirap/NOUN_PROP", gloss="Cairo",
                                pos="noun_prop", pos_lex_logprob="-4.0")),
        ("رياض", "Nap", _feats(diac="رِياض", lex="رِياض_1", bw="riyAD/NOUN_PROP", gloss="Riyadh",
                               pos="noun_prop", pos_lex_logprob="-4.2")),
        ("لندن", "Np", _feats(diac="لَنْدَن", lex="لَنْدَن_1", bw="landan/NOUN_PROP", gloss="London",
                              pos="noun_prop", pos_lex_logprob="-4.5")),
        ("وزير", "N", _feats(diac="وَزِير", lex="وَزِير_1", bw="waziyr/NOUN", gloss="minister",
                             pos="noun", pos_lex_logprob="-3.5")),
        ("كتب", "PV", _feats(diac="كَتَبَ", lex="كَتَب-u_1", bw="katab/PV", gloss="write",
                             pos="verb", pos_lex_logprob="-3.0")),
        ("كتب", "N", _feats(diac="كُتُب", lex="كِتاب_1", bw="kutub/NOUN", gloss="books",
                            pos="noun", pos_lex_logprob="-4.0")),
        ("NOAN", "Np", _feats(diac="NOAN", lex="NOAN", bw="NOAN/NOUN_PROP", gloss="NOAN",
                              pos="noun_prop", pos_lex_logprob="-99")),
    ]
    ab = {"Pref-0": ["Np", "N", "PV"], "Pref-Wa": ["Np", "N", "PV"], "Pref-Bi": ["Np", "N"],
          "Pref-Al": ["Nap", "N"], "Pref-BiAl": ["Nap", "N"], "Pref-WaAl": ["Nap", "N"]}
    lines = ["###DEFINES###", *defines, "###DEFAULTS###", *defaults, "###ORDER###", "ORDER " + " ".join(FEATS),
             "###TOKENIZATIONS###", "TOKENIZATION atbtok", "###STEMBACKOFF###", "STEMBACKOFF PROP Np",
             "###PREFIXES###", *[f"{s}\t{c}\t{f}" for s, c, f in prefixes],
             "###SUFFIXES###", "\tSuff-0\t" + _feats(diac="", bw="", gloss="", atbtok=""),
             "###STEMS###", *[f"{s}\t{c}\t{f}" for s, c, f in stems],
             "###TABLE AB###", *[f"{p} {s}" for p, ss in ab.items() for s in ss],
             "###TABLE BC###", *[f"{s} Suff-0" for s in ("Np", "Nap", "N", "PV")],
             "###TABLE AC###", *[f"{p} Suff-0" for p in ab]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_mle_model(path: Path) -> None:
    """camel-tools' MLE model format: undiacritized word -> its most likely analysis."""
    path.parent.mkdir(parents=True, exist_ok=True)
    model = {"كتب": {"diac": "كُتُب", "lex": "كِتاب_1", "bw": "kutub/NOUN", "pos": "noun", "gloss": "books"}}
    path.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")


TAGGED = {"القاهرة": "B-LOC", "محمد": "B-PERS", "علي": "I-PERS", "الأمم": "B-ORG", "المتحدة": "I-ORG"}


def write_tiny_bert(folder: Path) -> None:
    """A tiny random BertForTokenClassification with camel's labels (+ vocab), saved like camel's
    ner-arabert. Random, except that the output layers are set so each vocab word predicts its
    label in TAGGED (others O): one encoder layer whose residual path carries a one-hot
    embedding of that label to the classifier."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    torch.manual_seed(0)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *TAGGED, "في", "وصل", "إلى", ".", "،"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    n = len(CAMEL_LABELS)
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=512, num_labels=n,
                        id2label=dict(enumerate(CAMEL_LABELS)), label2id={l: i for i, l in enumerate(CAMEL_LABELS)})
    model = BertForTokenClassification(config)
    with torch.no_grad():
        emb = model.bert.embeddings
        emb.position_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        emb.word_embeddings.weight.zero_()
        for i, word in enumerate(vocab):
            label = TAGGED.get(word, "O")
            emb.word_embeddings.weight[i, CAMEL_LABELS.index(label)] = 8.0
        layer = model.bert.encoder.layer[0]
        layer.attention.output.dense.weight.zero_()
        layer.attention.output.dense.bias.zero_()
        layer.output.dense.weight.zero_()
        layer.output.dense.bias.zero_()
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        for k in range(n):
            model.classifier.weight[k, k] = 1.0
    model.save_pretrained(folder)
    BertTokenizer(str(folder / "vocab.txt"), do_lower_case=False).save_pretrained(folder)


@pytest.fixture(scope="module")
def camel_data(tmp_path_factory):
    pytest.importorskip("camel_tools")
    data = tmp_path_factory.mktemp("camel_data")
    write_catalogue(data)
    write_morphology_db(data / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db")
    write_mle_model(data / "data" / "disambig_mle" / "calima-msa-r13" / "model.json")
    return data


@pytest.fixture(scope="module")
def camel_data_with_ner(camel_data):
    pytest.importorskip("transformers")
    write_tiny_bert(camel_data / "data" / "ner" / "arabert")
    return camel_data


# ----------------------------------------------------------------------------- tests

def test_missing_data_gives_a_clear_message_without_importing_or_network(tmp_path):
    empty = tmp_path / "no_camel_data"
    result = run_child("""
        import json, sys
        from pipeline import Pipeline
        import pipeline.integrations.camel as camel
        assert "camel_tools.data" not in sys.modules
        messages = []
        for build in (lambda: camel.CamelNERRecognizer(),
                      lambda: camel.CamelSegmenter(),
                      lambda: Pipeline.from_config({"stages": [{"name": "tokenizer"}, {"name": "camel_ner"}]})):
            try:
                build()
            except camel.CamelDataError as exc:
                messages.append(str(exc))
        print(json.dumps({"messages": messages, "imported": sorted(m for m in sys.modules
                                                                    if m.startswith(("camel_tools.data", "torch")))}))
        """, empty, tmp_path, timeout=120)
    ner, morph, via_config = result["messages"]
    assert "camel_data -i ner-arabert" in ner and str(empty) in ner
    assert "camel_data -i light" in morph
    assert "camel_data -i ner-arabert" in via_config
    assert result["imported"] == []


def test_segmenter_with_tiny_morphology_db(camel_data, tmp_path):
    """The real MorphologyDB -> Analyzer -> MLEDisambiguator path, default data and explicit files."""
    db = camel_data / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db"
    result = run_child(f"""
        import json
        from pipeline import Pipeline
        from pipeline.integrations.camel import CamelSegmenter

        text = "وصل الوزير بالقاهرةِ والرياض ولندن. الكتب كتب خيرات"
        nlp = Pipeline.from_config({{"stages": [{{"name": "tokenizer"}}, {{"name": "camel_segmenter"}}]}})
        doc = nlp(text)
        out = {{"tokens": [doc.text[t.start:t.end] for t in doc.tokens], "norms": [t.norm for t in doc.tokens],
               "lemmas": doc.meta["lemmas"], "pos": doc.meta["pos"],
               "sentences": [[doc.text[t.start:t.end] for t in doc.tokens[s.first_token:s.last_token]]
                             for s in doc.sentences]}}
        # without the MLE model the analyzer's pos-lex probabilities decide: كتب is the verb
        plain = CamelSegmenter(db_path={str(db)!r})
        doc2 = Pipeline([plain])(text)
        out["lemmas_no_mle"] = doc2.meta["lemmas"]
        whole = Pipeline([CamelSegmenter(split=False)])(text)
        out["whole_tokens"] = len(whole.tokens)
        print(json.dumps(out, ensure_ascii=False))
        """, camel_data, tmp_path)
    tokens, lemmas = result["tokens"], result["lemmas"]
    assert tokens == ["وصل", "الوزير", "ب", "القاهرةِ", "و", "الرياض", "و", "لندن", ".", "الكتب", "كتب", "خيرات"]
    assert result["norms"][3] == "القاهره"
    assert len(lemmas) == len(tokens) == len(result["pos"])
    by_token = dict(zip(tokens, lemmas))
    assert by_token["القاهرةِ"] == "قاهرة" and by_token["الرياض"] == "رياض" and by_token["لندن"] == "لندن"
    assert by_token["الوزير"] == "وزير"
    assert by_token["الكتب"] == "كتاب" and by_token["كتب"] == "كتاب"  # the MLE model's choice
    assert result["lemmas_no_mle"][-2] == "كتب"  # analyzer only: the likelier verb
    assert by_token["خيرات"] == "خيرات"  # unknown: NOAN backoff keeps the word
    assert result["pos"][tokens.index("لندن")] == "noun_prop"
    assert [len(s) for s in result["sentences"]] == [9, 3]
    assert result["whole_tokens"] == 9


@pytest.mark.slow
def test_camel_ner_with_tiny_bert(camel_data_with_ner, tmp_path):
    """camel-tools' NERecognizer (BertForTokenClassification + BertTokenizer loading, NERDataset,
    predict) on a tiny local model, through the stage registry and a pipeline config."""
    model = camel_data_with_ner / "data" / "ner" / "arabert"
    result = run_child(f"""
        import json
        from pipeline import Pipeline
        from pipeline.integrations.camel import CamelNERRecognizer

        config = {{"stages": [{{"name": "normalizer"}}, {{"name": "tokenizer"}}, {{"name": "camel_ner"}},
                              {{"name": "finisher", "types": ["PER", "ORG", "LOC"]}}]}}
        nlp = Pipeline.from_config(config)        # the installed default: data/ner/arabert
        # U+FFFD: a word camel's BERT tokenizer turns into nothing (camel then drops its label)
        texts = ["وصل محمد علي إلى القاهرة.", "في الأمم المتحدة، محمد", "", "\u200f.", "\ufffd وصل محمد علي"]
        docs = list(nlp.pipe(texts, batch_size=3))
        out = {{"ents": [[(d.text[e.start:e.end], e.label, e.source, e.score) for e in d.entities] for d in docs]}}
        explicit = CamelNERRecognizer(model_path={str(model)!r}, labels=["LOC"], score=0.5)
        out["loc_only"] = explicit.predict([["محمد", "علي", "في", "القاهرة"]])
        print(json.dumps(out, ensure_ascii=False))
        """, camel_data_with_ner, tmp_path)
    assert result["ents"][0] == [["محمد علي", "PER", "model", 0.85], ["القاهرة", "LOC", "model", 0.85]]
    assert result["ents"][1] == [["الأمم المتحدة", "ORG", "model", 0.85], ["محمد", "PER", "model", 0.85]]
    assert result["ents"][2:4] == [[], []]
    assert result["ents"][4] == [["محمد علي", "PER", "model", 0.85]]
    assert result["loc_only"] == [[[3, 4, "LOC"]]]


def test_bio_to_spans():
    from pipeline.integrations.camel import bio_to_spans

    assert bio_to_spans(["B-PERS", "I-PERS", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG"]) == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 7, "ORG")]
