"""Place head rule: a settlement head + a rare name -> a LOC candidate for the name."""
from pipeline.document import Document, Entity
from pipeline.pipeline import Pipeline, default_config
from pipeline.recognize.place_heads import PlaceHeadRule
from pipeline.tokenize import Tokenizer

RULE = PlaceHeadRule()


def places(text, spans=()):
    """spans: (substring, label) candidates before the rule; returns the rule's LOC texts."""
    doc = Tokenizer()(Document(text))
    for sub, label in spans:
        i = text.index(sub)
        doc.candidates.append(Entity(i, i + len(sub), label, 0.9, "model"))
    RULE(doc)
    return [doc.text[c.start:c.end] for c in doc.candidates if c.attrs.get("rule") == "place_heads"]


def test_rare_names_after_settlement_heads():
    assert places("سقطت مقذوفات على قرية العابطية بمحافظة الحرث أمس") == ["العابطية", "الحرث"]
    assert places("وصلت المساعدات إلى مخيم الزعتري للاجئين") == ["الزعتري"]
    assert places("ألقت شرطة محافظة ضباء القبض على شاب") == ["ضباء"]


def test_a_second_rare_word_joins_but_not_an_adjective_or_a_phrase_after_a_preposition():
    assert places("من بلدة الحوش البقاعية في لبنان") == ["الحوش البقاعية"]
    assert places("في قرية العابطية بمحافظة") == ["العابطية"]


def test_common_words_after_the_heads_are_no_names():
    assert places("وأكد ضرورة المحافظة على الأمن ومحافظة على المكتسبات") == []
    assert places("تحويل ينبع إلى مدينة ذكية متكاملة") == []  # an indefinite adjective (ذكي is a word)
    assert places("فاز بولاية خامسة على التوالي") == []
    assert places("سافروا لقضاء عطلتهم الصيفية ولقضاء الإجازة") == []  # قضاء "spending"
    assert places("في ناحية احتوائه على معالج") == []  # a pronoun as written


def test_candidates_already_there_win():
    text = "أقامت بلدية محافظة العارضة دورة"
    assert places(text, [("بلدية محافظة العارضة", "ORG")]) == []
    # the name goes on into a recognized place: its first word is not proposed alone
    assert places("النائب العام عن ولاية ويست فيرجينيا", [("فيرجينيا", "LOC")]) == []


def test_in_the_default_pipeline():
    nlp = Pipeline.from_config(default_config())
    assert "place_heads" in nlp.stage_names
    doc = nlp("وصل الوزير إلى محافظة الخرمة أمس.")
    assert ("LOC", "الخرمة") in {(e.label, doc.text[e.start:e.end]) for e in doc.entities}
    assert "place_heads" not in Pipeline.from_config(default_config(types=["PER", "ORG", "DATE"])).stage_names


def test_yemeni_districts_and_camps_but_not_masculine_adjectives():
    assert places("التوتر يخيم على مديرية يريم في إب") == ["يريم"]
    assert places("دارت اشتباكات في معسكر لبوزة أمس") == ["لبوزة"]
    assert places("أقام الاتحاد معسكر تدريبي في تركيا") == []  # تدريبية is a word: the adjective


def test_maghrebi_districts_and_provinces_named_by_a_nisba():
    assert places("تدشين مشروع بدائرة أرزيو وبجماعة إغيل ومعتمدية الحمامات") == ["أرزيو", "إغيل", "الحمامات"]
    assert places("أعلنت دائرة الأرصاد الجوية أن") == []  # a body's head before a definite word
    assert places("وفي محافظة الشرقية التي تقع") == ["الشرقية"]  # a governorate's nisba, common as it is
    assert places("طرح صكوك محلية مقومة بالريال") == []  # محلية "local"
