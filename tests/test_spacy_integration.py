"""spaCy integration: entry-point factories and tokenizer, a pipeline built purely from a .cfg file,
parity with Pipeline.default(), mixing with spaCy's own components, serialization."""
import subprocess
import sys
import textwrap

import pytest

spacy = pytest.importorskip("spacy", reason="spaCy is an optional extra: pip install -e '.[spacy]'")

from pipeline import Pipeline  # noqa: E402
from pipeline.paths import default_model_dir  # noqa: E402

HAS_MODEL = (default_model_dir() / "meta.json").exists()
needs_model = pytest.mark.skipif(not HAS_MODEL, reason=f"the shipped NER model is absent ({default_model_dir()}); "
                                                       "run `make train`")

TEXTS = [
    "عقد سفير كازاخستان لدى مصر اجتماعا بالقاهرة في 7 يونيو 2024 مع منظمة التعاون الإسلامي.",
    "وقال الرئيس  الفرنسي إن  باريس ستستضيف القمة في 15 مارس 2025.\n\nوأضاف أن الوفد وصل إلى الرياض أمس.",
    "عقد سفير كازاخستان لدى مصر خيرات لاما شريف اجتماعا مع منظمة التعاون الإسلامي.",
    "",
    "   \n",
]

CONFIG = textwrap.dedent("""
    [nlp]
    lang = "ar"
    pipeline = ["arabic_normalizer", "arabic_ner", "arabic_gazetteer", "arabic_org_phrases", "arabic_place_heads",
                "arabic_appositions", "arabic_dates", "arabic_entity_finisher"]

    [nlp.tokenizer]
    @tokenizers = "arabic_tokenizer"
    segment_clitics = true

    [components]

    [components.arabic_normalizer]
    factory = "arabic_normalizer"

    [components.arabic_ner]
    factory = "arabic_ner"

    [components.arabic_gazetteer]
    factory = "arabic_gazetteer"
    min_score = 0.5

    [components.arabic_org_phrases]
    factory = "arabic_org_phrases"

    [components.arabic_place_heads]
    factory = "arabic_place_heads"

    [components.arabic_appositions]
    factory = "arabic_appositions"

    [components.arabic_dates]
    factory = "arabic_dates"
    date_field = "published"

    [components.arabic_entity_finisher]
    factory = "arabic_entity_finisher"
    types = ["DATE", "LOC", "ORG", "PER"]
    """)


@pytest.fixture(scope="module")
def nlp_from_cfg(tmp_path_factory):
    if not HAS_MODEL:
        pytest.skip(f"the shipped NER model is absent ({default_model_dir()}); run `make train`")
    path = tmp_path_factory.mktemp("cfg") / "arabic.cfg"
    path.write_text(CONFIG, encoding="utf-8")
    config = spacy.util.load_config(path)
    return spacy.util.load_model_from_config(config, auto_fill=True)


def test_entry_points_register_everything_without_importing_our_module():
    code = textwrap.dedent("""
        import sys, spacy
        nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer"}}})
        for name in ("arabic_normalizer", "arabic_gazetteer", "arabic_dates", "arabic_entity_finisher"):
            nlp.add_pipe(name)
        assert {"arabic_ner", "arabic_stage"} <= set(nlp.factory_names), nlp.factory_names
        doc = nlp("وصل الوفد إلى القاهرة في 7 يونيو 2024")
        print([(e.text, e.label_, e._.value) for e in doc.ents])
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "('7 يونيو 2024', 'DATE', '2024-06-07')" in out.stdout
    assert "('القاهرة', 'LOC', None)" in out.stdout


@needs_model
def test_pipeline_from_cfg_file_matches_pipeline_default(nlp_from_cfg):
    nlp = nlp_from_cfg
    assert nlp.pipe_names == ["arabic_normalizer", "arabic_ner", "arabic_gazetteer", "arabic_org_phrases",
                              "arabic_place_heads", "arabic_appositions", "arabic_dates", "arabic_entity_finisher"]
    ours = Pipeline.default()
    for text in TEXTS:
        doc = nlp(text)
        assert doc.text == text  # the tokenizer loses nothing
        expected = [(e.start, e.end, e.label, e.canonical, e.value) for e in ours(text).entities]
        got = [(s.start_char, s.end_char, s.label_, s._.canonical, s._.value) for s in doc.spans["arabic_entities"]]
        assert got == expected  # exact: arabic_tokenizer splits the proclitics the finisher cuts
        assert [(s.start_char, s.end_char, s.label_) for s in doc.ents] == [g[:3] for g in got]
        for span in doc.ents:
            assert 0 < span._.score <= 1 and span._.source in {"model", "rule", "gazetteer"}
    doc = nlp(TEXTS[0])
    by_text = {e.text: e for e in doc.ents}
    assert by_text["القاهرة"].label_ == "LOC" and by_text["القاهرة"]._.canonical == "القاهره"
    assert by_text["7 يونيو 2024"]._.value == "2024-06-07"
    assert by_text["منظمة التعاون الإسلامي"].label_ == "ORG"
    assert [t.text for t in doc[5:8]] == ["اجتماعا", "ب", "القاهرة"]


@needs_model
def test_blank_with_config_and_pipe_equals_call(nlp_from_cfg):
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer"}}})
    for name in nlp_from_cfg.pipe_names:
        nlp.add_pipe(name)
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "arabic_tokenizer"
    piped = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(TEXTS, batch_size=2)]
    called = [[(e.start_char, e.end_char, e.label_) for e in nlp_from_cfg(t).ents] for t in TEXTS]
    assert piped == called


def test_sentences_norms_and_whitespace_from_tokenizer():
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer"}}})
    text = "\u200fوصل  الوفدُ إلى القاهرة.\nثم غادر بالقاهرة"
    doc = nlp(text)
    assert doc.text == text
    assert [s.text.strip() for s in doc.sents] == ["\u200fوصل  الوفدُ إلى القاهرة.", "ثم غادر بالقاهرة"]
    assert [t.norm_ for t in doc if t.text == "الوفدُ"] == ["الوفد"]
    assert [t.text for t in doc][-2:] == ["ب", "القاهرة"]
    whole = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer",
                                                             "segment_clitics": False}}})
    assert [t.text for t in whole(text)][-1] == "بالقاهرة"


def test_mixing_with_spacy_tokenizer_and_entity_ruler():
    """Our components behind spaCy's own tokenizer, next to spaCy's entity_ruler."""
    nlp = spacy.blank("ar")  # spaCy's Arabic tokenizer
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "EVENT", "pattern": "7 يونيو"}])
    nlp.add_pipe("arabic_gazetteer")
    nlp.add_pipe("arabic_dates")
    nlp.add_pipe("arabic_entity_finisher")
    doc = nlp("وصل الوفد بالقاهرة في 7 يونيو 2024")
    ents = [(e.text, e.label_) for e in doc.ents]
    # spaCy keeps بالقاهرة one token: the span widens to it, the canonical form has no proclitic
    assert ("بالقاهرة", "LOC") in ents and doc.ents[0]._.canonical == "القاهره"
    assert ("7 يونيو", "EVENT") in ents  # theirs wins on overlap by default
    assert [(s.text, s.label_) for s in doc.spans["arabic_entities"]][-1] == ("7 يونيو 2024", "DATE")

    nlp.replace_pipe("arabic_entity_finisher", "arabic_entity_finisher", config={"overwrite_ents": True})
    ents = [(e.text, e.label_) for e in nlp("وصل الوفد بالقاهرة في 7 يونيو 2024").ents]
    assert ("7 يونيو 2024", "DATE") in ents and ("7 يونيو", "EVENT") not in ents


def test_meta_drives_relative_dates_and_doc_serializes():
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer"}}})
    nlp.add_pipe("arabic_dates")
    nlp.add_pipe("arabic_entity_finisher")
    doc = nlp.make_doc("وصل الوفد أمس إلى الرياض")
    doc._.arabic_meta = {"published": "2024-06-08"}
    doc = nlp(doc)
    assert [(e.text, e._.value) for e in doc.ents] == [("أمس", "2024-06-07")]
    from spacy.tokens import Doc, DocBin

    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # the shared Document was dropped
    assert [(e.text, e.label_, e._.value) for e in again.ents] == [("أمس", "DATE", "2024-06-07")]
    DocBin(docs=[doc], store_user_data=True).to_bytes()


def test_nlp_to_disk_and_spacy_load(tmp_path):
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer",
                                                           "segment_clitics": False}}})
    nlp.add_pipe("arabic_gazetteer")
    nlp.add_pipe("arabic_entity_finisher", config={"types": ["LOC"]})
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == ["arabic_gazetteer", "arabic_entity_finisher"]
    assert loaded.tokenizer.segment_clitics is False
    doc = loaded("وصل الوفد بالقاهرة")
    assert [(e.text, e.label_) for e in doc.ents] == [("بالقاهرة", "LOC")]
    assert doc.ents[0]._.canonical == "القاهره"
