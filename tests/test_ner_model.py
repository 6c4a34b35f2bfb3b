"""Statistical entity recognizer: loading, errors, offsets, scores, and the metric itself."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.evaluation.ner import (
    bio_to_spans,
    evaluate_conll,
    read_conll,
    score_spans,
    score_tags,
)
from pipeline.paths import default_model_dir
from pipeline.recognize.model import EntityRecognizer, ModelError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EXAMPLE = SHARED / "examples" / "kazakhstan_oic_2024.txt"
MODEL = default_model_dir()

needs_model = pytest.mark.skipif(not (MODEL / "meta.json").exists(),
                                 reason=f"no shipped model in {MODEL}: run `make train`")


@pytest.fixture(scope="module")
def recognizer():
    if not (MODEL / "meta.json").exists():
        pytest.skip(f"no shipped model in {MODEL}: run `make train`")
    return EntityRecognizer()


# ---------------------------------------------------------------- metric

def test_bio_to_spans_seqeval_style():
    assert bio_to_spans(["B-PER", "I-PER", "O", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC")]
    # an I- without its B- starts an entity; a type change ends one
    assert bio_to_spans(["I-ORG", "I-ORG", "I-LOC"]) == [(0, 2, "ORG"), (2, 3, "LOC")]
    assert bio_to_spans(["B-PER", "B-PER"]) == [(0, 1, "PER"), (1, 2, "PER")]
    assert bio_to_spans([]) == []


def test_exact_span_scores():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG"]]
    pred = [["B-PER", "O", "O", "B-LOC", "O", "B-ORG", "I-ORG"]]  # PER span too short: wrong
    res = score_tags(gold, pred)
    assert res["per_type"]["LOC"]["f1"] == 1.0
    assert res["per_type"]["ORG"]["f1"] == 1.0
    assert res["per_type"]["PER"]["precision"] == 0.0 and res["per_type"]["PER"]["recall"] == 0.0
    m = res["micro"]
    assert (m["tp"], m["pred"], m["gold"]) == (2, 3, 3)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 / 3)


def test_wrong_type_counts_as_fp_and_fn():
    res = score_spans([[(0, 1, "PER")]], [[(0, 1, "LOC", 0.9)]])
    assert res["micro"]["f1"] == 0.0
    assert res["per_type"]["PER"]["gold"] == 1 and res["per_type"]["LOC"]["pred"] == 1


def test_read_conll_maps_labels_and_separators(tmp_path):
    p = tmp_path / "g.conll"
    p.write_text("علي B-PERS\nفي O\nالقاهرة B-LOC\n\nكأس B-MIS\nالعالم I-MIS\n$#$ O\n"
                 "مجلس B-ORG\nالأمن I-ORG\nضد I-ORG\nالأسد I-ORG B-PERS\nمصر B-GPE\n", encoding="utf-8")
    sents = read_conll(p)
    assert [t for t, _ in sents] == [["علي", "في", "القاهرة"], ["كأس", "العالم"], ["مجلس", "الأمن", "ضد", "الأسد", "مصر"]]
    assert sents[0][1] == ["B-PER", "O", "B-LOC"]
    assert sents[1][1] == ["B-MISC", "I-MISC"]
    assert sents[2][1] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "B-LOC"]  # outermost tag wins


class _Fixed:
    """A fake recognizer: predicts exactly the given spans."""

    def __init__(self, spans):
        self.spans = spans

    def predict(self, sentences):
        return self.spans[: len(sentences)]


def test_evaluate_conll_with_fake_recognizer(tmp_path):
    p = tmp_path / "g.conll"
    p.write_text("زار O\nعلي B-PERS\nحسن I-PERS\nالقاهرة B-LOC\n", encoding="utf-8")
    res = evaluate_conll(p, _Fixed([[(1, 3, "PER", 0.9), (3, 4, "ORG", 0.5)]]))
    assert res["per_type"]["PER"]["f1"] == 1.0
    assert res["micro"]["precision"] == 0.5 and res["micro"]["recall"] == 0.5
    assert res["tokens"] == 4


# ---------------------------------------------------------------- loading and errors

def test_missing_model_dir_error(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ModelError) as exc:
        EntityRecognizer(missing)
    assert str(missing) in str(exc.value) and "make train" in str(exc.value)


def test_corrupt_meta_error(tmp_path):
    (tmp_path / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt"):
        EntityRecognizer(tmp_path)


def test_incompatible_version_error(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"format_version": 999, "backend": "crf"}), encoding="utf-8")
    with pytest.raises(ModelError, match="format_version"):
        EntityRecognizer(tmp_path)


@needs_model
def test_corrupt_model_file_error(tmp_path):
    d = tmp_path / "m"
    shutil.copytree(MODEL, d, ignore=shutil.ignore_patterns("baselines"))
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    for name in ("crf.model", "weights.npz"):  # in the model dir or, for an ensemble, in its members' dirs
        for path in d.rglob(name):
            path.write_bytes(b"garbage")
    with pytest.raises(ModelError) as exc:
        EntityRecognizer(d).predict([["محمد", "في", "القاهرة"]])
    assert str(d) in str(exc.value), meta["backend"]


def test_env_var_overrides_default(monkeypatch, tmp_path):
    monkeypatch.setenv("ARABIC_NER_MODEL", str(tmp_path))
    assert default_model_dir() == tmp_path


# ---------------------------------------------------------------- the shipped model

def test_candidates_offsets_and_scores(recognizer):
    text = "وقال الرئيس المصري عبد الفتاح السيسي في القاهرة إن منظمة الصحة العالمية ستساعد.\nزار وزير الخارجية لندن."
    doc = recognizer(Document(text))
    assert doc.tokens and doc.sentences  # tokenized on demand
    assert doc.candidates
    for e in doc.candidates:
        assert e.source == "model"
        assert e.label in {"PER", "ORG", "LOC", "MISC"}
        assert 0.0 <= e.score <= 1.0
        toks = [t for t in doc.tokens if t.start >= e.start and t.end <= e.end]
        assert toks and toks[0].start == e.start and toks[-1].end == e.end
        assert doc.text[e.start:e.end] == doc.text[toks[0].start:toks[-1].end]
    # no proclitic stripping here: spans start at token starts
    starts = {t.start for t in doc.tokens}
    assert all(e.start in starts for e in doc.candidates)


def test_pipe_and_labels_filter(recognizer):
    docs = [Document("التقى محمد بن سلمان في الرياض."), Document(""), Document("القاهرة")]
    out = list(recognizer.pipe(docs, batch_size=2))
    assert len(out) == 3 and out[1].candidates == []
    only = copy.copy(recognizer)  # same loaded backend, a label filter
    only.labels = {"LOC"}
    d = only(Document("التقى محمد بن سلمان في الرياض."))
    assert all(e.label == "LOC" for e in d.candidates)


def test_batch_predict_api(recognizer):
    preds = recognizer.predict([["زار", "محمد", "علي", "القاهرة"], []])
    assert len(preds) == 2 and preds[1] == []
    for a, b, label, score in preds[0]:
        assert 0 <= a < b <= 4 and label in {"PER", "ORG", "LOC", "MISC"} and 0 <= score <= 1


@pytest.mark.shared
@pytest.mark.xfail(strict=False, reason="the model alone tags only لاما شريف (خيرات is a common noun); in the pipeline the appositions stage completes the name (tests/test_acceptance.py). Remove when a model finds it")
def test_reference_document_entities(recognizer):
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE} not found (../shared/data absent)")
    doc = recognizer(Document(EXAMPLE.read_text(encoding="utf-8")))
    found = {(e.label, doc.text[e.start:e.end]) for e in doc.candidates}
    assert any(lab == "PER" and "خيرات لاما شريف" in txt for lab, txt in found), found
    assert any(lab == "ORG" and txt.endswith("منظمة التعاون الإسلامي") for lab, txt in found), found


def test_propagation_tags_untagged_repeats_only():
    from pipeline.recognize.model import propagate

    sents = [["زار", "النادي", "الاهلي", "امس"], ["فاز", "الاهلي", "على", "الزمالك"], ["الاهلي"]]
    preds = [[(2, 3, "ORG", 0.9)], [(3, 4, "ORG", 0.95)], []]
    out = propagate(sents, preds, min_score=0.8, factor=0.5)
    assert out[0] == [(2, 3, "ORG", 0.9)]
    assert (1, 2, "ORG", 0.45) in out[1] and (3, 4, "ORG", 0.95) in out[1]
    assert out[2] == [(0, 1, "ORG", 0.45)]
    # below the threshold nothing spreads; existing spans are never overlapped
    assert propagate(sents, [[(2, 3, "ORG", 0.5)], [], []], min_score=0.8) == [[(2, 3, "ORG", 0.5)], [], []]
    assert propagate([["ا", "ب"], ["ا", "ب"]], [[(0, 2, "PER", 0.9)], [(1, 2, "LOC", 0.3)]])[1] == [(1, 2, "LOC", 0.3)]


def test_propagation_of_family_names():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import propagate

    def norm(text):
        return [normalize_text(w) for w in text.split()]

    places = frozenset(norm("السودان مصر"))
    sents = [norm("قال الرئيس بوريس يلتسين امس"), norm("واضاف يلتسين ان"), norm("التقى ويلتسين الوفد")]
    preds = [[(2, 4, "PER", 0.9)], [], []]
    assert propagate(sents, preds, factor=0.5) == preds  # off unless asked for
    out = propagate(sents, preds, factor=0.5, surnames=True, places=places)
    assert out[1] == [(1, 2, "PER", 0.45)] and out[2] == [(1, 2, "PER", 0.45)]  # with و as for every repeat
    # the end of a compound, a regnal ordinal and a national nisba stand for nobody alone
    for name, repeat in (("علي بن ابي طالب", "طالب"), ("نور الدين", "الدين"), ("الحسن الثاني", "الثاني"),
                         ("محمد شياع السوداني", "السوداني"), ("احمد المصري", "المصري")):
        sents = [norm(f"قال {name} امس"), norm(f"ثم {repeat} هنا")]
        preds = [[(1, 1 + len(name.split()), "PER", 0.9)], []]
        assert propagate(sents, preds, surnames=True, places=places)[1] == [], name
    # a particle stays with its family name; a weak source spreads nothing
    sents = [norm("المدرب ماركو فان باستن قال"), norm("ان فان باستن يريد"), norm("ان باستن يريد")]
    out = propagate(sents, [[(1, 4, "PER", 0.9)], [], []], factor=0.5, surnames=True)
    assert out[1] == [(1, 3, "PER", 0.45)] and out[2] == []
    assert propagate(sents, [[(1, 4, "PER", 0.5)], [], []], surnames=True)[1] == []


def test_person_names_do_not_end_in_a_joining_word():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import complete_names

    def run(text, spans):
        words = [normalize_text(w) for w in text.split()]
        return [" ".join(words[a:b]) for a, b, _, _ in complete_names(words, spans)]

    assert run("ضريح سعد بن ابي وقاص في", [(1, 4, "PER", 0.9)]) == [normalize_text("سعد بن ابي وقاص")]
    assert run("قال جان مارك دو لا سابليير ان", [(1, 4, "PER", 0.9)]) == [normalize_text("جان مارك دو لا سابليير")]
    assert run("وصل سعيد ولد محمد امس", [(1, 2, "PER", 0.9)]) == [normalize_text("سعيد ولد محمد")]
    # the next word is not a name, or is taken: the span stays (آبي ends شينزو آبي)
    assert run("امر صدام حسين ابن عمه", [(1, 4, "PER", 0.9)]) == [normalize_text("صدام حسين ابن")]
    assert run("زار محمد بن القاهرة", [(1, 3, "PER", 0.9), (3, 4, "LOC", 0.9)]) == ["محمد بن", normalize_text("القاهرة")]
    assert run("محمد علي ولد في القاهرة", [(0, 2, "PER", 0.9)]) == [normalize_text("محمد علي")]  # "was born in"
    assert run("مدينة ابو ظبي", [(1, 2, "LOC", 0.9)]) == ["ابو"]  # persons only
    assert run("صرح لحسن آيت علي امس", [(1, 3, "PER", 0.9)]) == [normalize_text("لحسن آيت علي")]  # علي a name there


def test_a_rare_family_nisba_joins_the_person_name():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import complete_names

    counts = {normalize_text(w): n for w, n in (("الدولي", 2232), ("الدولية", 3000), ("التخصصي", 14),
                                                 ("التخصصية", 19), ("التعازي", 6), ("السويدي", 3))}
    places = frozenset({normalize_text("السويد")})

    def run(text, spans):
        words = [normalize_text(w) for w in text.split()]
        return [" ".join(words[a:b]) for a, b, _, _ in complete_names(words, spans, counts, places)]

    assert run("قال خالد طماح الحازمي إن", [(1, 3, "PER", 0.9)]) == [normalize_text("خالد طماح الحازمي")]
    assert run("ملعب عبدالله بن عبدالعزيز الدولي", [(1, 4, "PER", 0.9)]) == [normalize_text("عبدالله بن عبدالعزيز")]
    assert run("مستشفى الملك فيصل التخصصي", [(2, 3, "PER", 0.9)]) == [normalize_text("فيصل")]  # has a feminine
    assert run("وقدم الحرازي التعازي لأسر", [(1, 2, "PER", 0.9)]) == [normalize_text("الحرازي")]  # a plural
    assert run("سعد بن رحيل السويدي", [(0, 3, "PER", 0.9)]) == [normalize_text("سعد بن رحيل")]  # a place's
    assert run("محمد علي الشدادي", [(0, 2, "PER", 0.9)]) == [normalize_text("محمد علي الشدادي")]
    assert complete_names("محمد علي الشدادي".split(), [(0, 2, "PER", 0.9)]) == [(0, 2, "PER", 0.9)]  # no counts


def test_person_names_end_before_blessings_and_prepositional_words():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import trim_names

    counts = {normalize_text(w): n for w, n in (("الطيور", 768), ("المر", 28), ("البرج", 900))}
    places = frozenset({normalize_text("الرياض")})

    def run(text, spans, frequencies=counts):
        words = [normalize_text(w) for w in text.split()]
        return [" ".join(words[a:b]) for a, b, _, _ in trim_names(words, spans, frequencies, places)]

    assert run("الملك سلمان بن عبدالعزيز حفظه الله يفتتح", [(1, 5, "PER", 0.9)]) == [normalize_text("سلمان بن عبدالعزيز")]
    assert run("عن عمر رضي الله عنه", [(1, 4, "PER", 0.9)]) == ["عمر"]
    assert run("والخال عبدالله أطال الله عمره", [(1, 4, "PER", 0.9)]) == [normalize_text("عبدالله")]
    assert run("وقال الراحل الباجي قائد", [(1, 3, "PER", 0.9)]) == [normalize_text("الباجي")]  # "the late"
    assert run("وقال الراحل إن", [(1, 2, "PER", 0.9)]) == [normalize_text("الراحل")]  # nothing left: kept
    assert run("مع فيروس كورونا الجديد", [(1, 3, "PER", 0.9)]) == []
    assert run("وفق مبادئ حسن الجوار", [(2, 4, "PER", 0.9)]) == []
    assert run("وقال حسن الجوار إن", [(1, 4, "PER", 0.9)]) == [normalize_text("حسن الجوار إن")]  # more than the phrase
    assert run("عباس رضي الشماسي", [(0, 3, "PER", 0.9)]) == [normalize_text("عباس رضي الشماسي")]  # رضي a name there
    assert run("عبدالله بن العباس - رضي الله", [(0, 6, "PER", 0.9)]) == [normalize_text("عبدالله بن العباس")]
    assert run("قال وانغ للصحافيين", [(1, 3, "PER", 0.9)]) == ["وانغ"]  # لل: always a new phrase
    assert run("زار محمد بالطيور", [(1, 3, "PER", 0.9)]) == ["محمد"]  # a common word
    assert run("وصل سطام بالرياض", [(1, 3, "PER", 0.9)]) == [normalize_text("سطام")]  # a place
    assert run("التقى خالد والملك حسين", [(1, 4, "PER", 0.9)]) == ["خالد"]  # a title
    # foreign names: the rest is rare (المر) or the letter is not a preposition here (فالبرج)
    assert run("قال جوليان بالمر", [(1, 3, "PER", 0.9)]) == [normalize_text("جوليان بالمر")]
    assert run("الممثل مارك فالبرج", [(1, 3, "PER", 0.9)]) == [normalize_text("مارك فالبرج")]
    assert run("زار محمد بالطيور", [(1, 3, "PER", 0.9)], None) == [normalize_text("محمد بالطيور")]  # no counts
    assert run("زار محمد للرياض", [(1, 3, "LOC", 0.9)]) == [normalize_text("محمد للرياض")]  # persons only
    # the place of an office is no part of the name after it
    assert run("وقال محافظ الرياض نجم الجبوري إن", [(2, 5, "PER", 0.9)]) == [normalize_text("نجم الجبوري")]
    assert run("وقال محافظ الرياض نجم إن", [(2, 4, "PER", 0.9)]) == [normalize_text("الرياض نجم")]  # too short
    # a place right after a name of two words or more is no part of it
    assert run("تعاقد مع ماتيو دارميان الرياض الإيطالي", [(2, 5, "PER", 0.9)]) == [normalize_text("ماتيو دارميان")]
    assert run("قال خالد آل الرياض", [(1, 4, "PER", 0.9)]) == [normalize_text("خالد آل الرياض")]  # after آل: a family


def test_person_spans_split_at_a_joining_word_are_one_name():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import join_linked_names

    words = [normalize_text(w) for w in "الملك سلمان بن عبدالعزيز آل سعود يفتتح".split()]
    assert join_linked_names([(5, 6, "PER", 0.5), (1, 5, "PER", 0.9)], words) == [(1, 6, "PER", 0.9)]
    words = [normalize_text(w) for w in "التقى محمد علي ومحمد حسن".split()]
    assert join_linked_names([(1, 3, "PER", 0.9), (3, 5, "PER", 0.9)], words) == [(1, 3, "PER", 0.9), (3, 5, "PER", 0.9)]
    words = [normalize_text(w) for w in "عبدالله بن مكة".split()]
    assert join_linked_names([(0, 2, "PER", 0.9), (2, 3, "LOC", 0.9)], words) == [(0, 2, "PER", 0.9), (2, 3, "LOC", 0.9)]


def test_a_currency_after_an_amount_is_not_a_club():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import relabel_currencies

    def run(text, i, label="ORG"):
        words = [normalize_text(w) for w in text.split()]
        return relabel_currencies(words, [(i, i + 1, label, 0.9)])[0][2]

    assert run("تجاوزت 4.1 مليار ريال .", 3) == "MISC"
    assert run("بقيمة ( 10.100.000 ) ريال", 4) == "MISC"  # punctuation between
    assert run("بين ألفين وخمسمائة ريال", 3) == "MISC"
    assert run("ومليوني ريال للفرع", 1) == "MISC"
    assert run("مقيمة بالريال السعودي", 1) == "MISC"  # a proclitic, and a nisba after it
    assert run("ارتفاع سعر الريال أمس", 2) == "MISC"
    assert run("فاز ريال على برشلونة", 1) == "ORG"  # the club
    assert run("أندية فيا ريال وإسبانيول", 2) == "ORG"  # Villarreal
    assert run("قال إن 3 مدريد", 2, "LOC") == "LOC"  # not a currency word
    assert run("دفع 500 دولار", 2, "MISC") == "MISC"


def test_spans_over_a_dotted_acronym_become_one():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import join_spelled_acronyms

    words = [normalize_text(w) for w in "أصدرت “ إف . بي . آي ” مذكرة".split()]
    got = join_spelled_acronyms(words, [(2, 4, "ORG", 0.6), (4, 6, "ORG", 0.7)])
    assert got == [(2, 7, "ORG", 0.7)]  # إف . بي . آي, without a trailing dot
    words = [normalize_text(w) for w in "رفعت إكسان بي . إن . بي باريبا تقديرها".split()]
    assert join_spelled_acronyms(words, [(1, 3, "ORG", 0.9), (6, 8, "ORG", 0.6)]) == [(1, 8, "ORG", 0.9)]
    words = [normalize_text(w) for w in "وصل إلى بي . ثم عاد".split()]  # one letter: no acronym
    assert join_spelled_acronyms(words, [(2, 3, "ORG", 0.6)]) == [(2, 3, "ORG", 0.6)]


def test_the_recognizer_repairs_person_names_end_to_end():
    from pipeline.pipeline import Pipeline

    doc = Pipeline.default()("افتتح خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود ـ حفظه الله ـ المعرض.")
    people = [doc.text[e.start:e.end] for e in doc.entities if e.label == "PER"]
    assert "سلمان بن عبدالعزيز آل سعود" in people and not any("حفظه" in p for p in people)


def test_propagation_accepts_proclitic_repeats():
    from pipeline.recognize.model import propagate

    sents = [["مدينه", "لندن", "الكبيره"], ["وصل", "الي", "ولندن"], ["وليد"]]
    out = propagate(sents, [[(1, 2, "LOC", 0.9)], [], []], min_score=0.8, factor=0.5)
    assert out[1] == [(2, 3, "LOC", 0.45)]  # و + لندن, the whole token as everywhere in this stage
    assert out[2] == []  # وليد is not و + ليد of any tagged name


def test_ordinary_senses_of_names_are_dropped_and_currencies_are_misc():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import drop_common_senses, relabel_currencies

    def run(text, spans, repair=drop_common_senses):
        words = [normalize_text(w) for w in text.split()]
        return [(" ".join(words[a:b]), label) for a, b, label, _ in repair(words, spans)]

    mali = normalize_text("مالي")
    assert run("مقابل مبلغ مالي متفق عليه", [(2, 3, "LOC", 0.6)]) == []  # "financial"
    assert run("فندق في وسط مالي أمس", [(3, 4, "LOC", 0.6)]) == [(mali, "LOC")]
    assert run("قتل جنود في مالي", [(3, 4, "LOC", 0.9)]) == [(mali, "LOC")]
    assert run("دول الجوار", [(1, 2, "LOC", 0.6)]) == []
    assert run("وأكد معالي وزير الخارجية", [(1, 2, "PER", 0.5)]) == []  # an honorific alone
    assert run("لخدمة ضيوف الرحمن", [(1, 3, "PER", 0.5)]) == []
    assert run("وقال عبد الرحمن", [(1, 3, "PER", 0.9)]) == [(normalize_text("عبد الرحمن"), "PER")]
    assert run("والرباعي المحترف بحمد الله جاهز", [(2, 4, "PER", 0.5)]) == []
    assert run("أخبروني يا بارك الله فيكم", [(2, 4, "ORG", 0.5)]) == []
    assert run("وقال نصر الله إن", [(1, 3, "PER", 0.9)]) == [(normalize_text("نصر الله"), "PER")]
    assert run("قصفت بريف حمص الشمالي", [(1, 2, "LOC", 0.6), (2, 3, "LOC", 0.5)]) == [
        (normalize_text("بريف حمص"), "LOC")]
    assert run("في ريف ثم حمص", [(1, 2, "LOC", 0.6), (3, 4, "LOC", 0.5)]) == [("ريف", "LOC"), (normalize_text("حمص"), "LOC")]
    # a currency is MISC whatever the model said; ريال only after an amount (else it may be Real Madrid)
    assert run("خروج اليونان من منطقة اليورو", [(4, 5, "LOC", 0.6)], relabel_currencies) == [
        (normalize_text("اليورو"), "MISC")]
    assert run("فاز ريال مدريد", [(1, 2, "ORG", 0.6)], relabel_currencies) == [("ريال", "ORG")]


def test_family_name_tests_leave_out_the_regions_list():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.gazetteer import place_names

    every, without = place_names(), place_names(without_lists=("places",))
    assert normalize_text("عجلون") in every and normalize_text("عجلون") not in without  # العجلوني is a family name
    assert normalize_text("العراق") in without


def test_a_span_ends_before_a_future_verb():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import cut_future_verbs

    counts = {normalize_text(w): 500 for w in ("يغادر", "تتعاون")}
    words = [normalize_text(w) for w in "فريق اتحاد الشجاعية سيغادر غدا إلى مانشستر سيتي".split()]
    got = cut_future_verbs(words, [(1, 4, "ORG", 0.9), (6, 8, "ORG", 0.9)], counts)
    assert got == [(1, 3, "ORG", 0.9), (6, 8, "ORG", 0.9)]
    assert cut_future_verbs(words, [(1, 4, "ORG", 0.9)], None) == [(1, 4, "ORG", 0.9)]  # no counts, no cut


def test_review_cases_for_mali_rahman_and_office_titles():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import drop_common_senses, trim_names

    def run(text, spans):
        return repaired(drop_common_senses, text, spans)

    mali = normalize_text("مالي")
    assert run("وقعت مالي والنيجر اتفاقا", [(1, 2, "LOC", 0.97)]) == [mali]  # after a verb
    assert run("وزير خارجية مالي عبد الله ديوب", [(2, 3, "LOC", 0.8)]) == [mali]
    assert run("بمبلغ مالي كبير", [(1, 2, "LOC", 0.95)]) == [mali]  # the model sure of it: it stands
    assert run("بمبلغ مالي كبير", [(1, 2, "LOC", 0.6)]) == []
    assert run("قال مجيب الرحمن إن", [(1, 3, "PER", 0.99)]) == [normalize_text("مجيب الرحمن")]
    assert run("وقال مولانا فضل الرحمن", [(2, 4, "PER", 0.86)]) == [normalize_text("فضل الرحمن")]
    words = [normalize_text(w) for w in "وقال والي الخرطوم أحمد هارون إن".split()]
    places = frozenset({normalize_text("الخرطوم")})
    assert trim_names(words, [(2, 5, "PER", 0.9)], {}, places) == [(3, 5, "PER", 0.9)]


def repaired(repair, text, spans, *args):
    """The span texts (normalized) after a model repair function over ``text``'s words."""
    from pipeline.normalize import normalize_text

    words = [normalize_text(w) for w in text.split()]
    return [" ".join(words[a:b]) for a, b, _, _ in repair(words, spans, *args)]


def test_a_mauritanian_name_repeated_without_its_first_name_starts_at_walad():
    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import join_patronymics

    def run(text, spans):
        return repaired(join_patronymics, text, spans)

    assert run("وأضاف ولد الشيخ أحمد أن", [(3, 4, "PER", 0.9)]) == [normalize_text("ولد الشيخ أحمد")]
    assert run("وأكد أن ولد الغزواني سيزور", [(3, 4, "PER", 0.9)]) == [normalize_text("ولد الغزواني")]
    assert run("ولد أحمد في القاهرة", [(1, 2, "PER", 0.9)]) == [normalize_text("أحمد")]  # "Ahmed was born"
