import pytest

from pipeline.document import Document
from pipeline.recognize.gazetteer import Gazetteer, GazetteerRecognizer, entry_words


def test_longest_match_with_proclitics():
    gaz = Gazetteer([(entry_words("كازاخستان"), "LOC", 0.9), (entry_words("منظمة التعاون الإسلامي"), "ORG", 0.8),
                     (entry_words("منظمة"), "ORG", 0.2)])
    words = [w for w in "لدى وكازاخستان و منظمة التعاون الإسلامي".replace("ة", "ه").replace("إ", "ا").split()]
    assert gaz.match(words) == [(1, 2, "LOC", 0.9), (3, 6, "ORG", 0.8)]


def test_stage_on_shipped_gazetteer():
    doc = GazetteerRecognizer()(Document("التقى سفير كازاخستان بالقاهرة مع وفد من مصر"))
    found = {(doc.text[e.start:e.end], e.label) for e in doc.candidates}
    assert {("كازاخستان", "LOC"), ("بالقاهرة", "LOC"), ("مصر", "LOC")} <= found
    assert all(0 < e.score <= 1 and e.source == "gazetteer" for e in doc.candidates)


def test_missing_or_malformed_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make train"):
        Gazetteer.load(tmp_path / "nope.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("مصر\tLOC\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        Gazetteer.load(bad)


def test_a_longer_known_name_outranks_the_models_shorter_guess(tmp_path):
    from pipeline.document import Entity
    from pipeline.finish import EntityFinisher
    from pipeline.tokenize import Tokenizer

    entries = tmp_path / "entries.tsv"
    entries.write_text("حزب العمال الكردستاني\tORG\t0.6\torganizations\nالعراق\tLOC\t0.9\tcldr\n", encoding="utf-8")
    text = "هاجم حزب العمال الكردستاني مواقع في العراق"

    def finished(model_spans):
        doc = Tokenizer()(Document(text))
        doc.candidates = [Entity(text.index(s), text.index(s) + len(s), label, 0.9, "model") for s, label in model_spans]
        doc = EntityFinisher(word_frequencies=None)(GazetteerRecognizer(entries)(doc))
        return {(doc.text[e.start:e.end], e.label, e.source) for e in doc.entities}

    # the model's shorter guess inside the entry: the known name wins
    assert ("حزب العمال الكردستاني", "ORG", "gazetteer") in finished([("حزب العمال", "ORG")])
    # a model span of its own length, or one that reaches outside the entry, still wins over the gazetteer
    assert finished([("العراق", "LOC")]) >= {("العراق", "LOC", "model"), ("حزب العمال الكردستاني", "ORG", "gazetteer")}
    crossing = finished([("الكردستاني مواقع", "LOC")])
    assert ("الكردستاني مواقع", "LOC", "model") in crossing and not any(s == "حزب العمال الكردستاني" for s, _, _ in crossing)


def test_curated_organizations_are_in_the_shipped_gazetteer():
    from pipeline.normalize import normalize_text
    from pipeline.train.gazetteer import curated_organizations

    names = curated_organizations()
    assert "داعش" in names and not any(n.startswith("#") for n in names)
    shipped = {(" ".join(w), label) for w, label, _ in Gazetteer.load().entries()}
    assert (normalize_text("داعش"), "ORG") in shipped and (normalize_text("الأونروا"), "ORG") in shipped


def test_list_priors_keep_several_word_names_apart():
    from pipeline.train.gazetteer import list_priors

    one = [((f"w{i}",), "LOC", "cities") for i in range(6)]
    several = [((f"a{i}", f"b{i}"), "LOC", "cities") for i in range(5)]
    stats = {(w, "LOC"): (10, 2) for w, _, _ in one} | {(w, "LOC"): (4, 3) for w, _, _ in several}
    prior, seen = list_priors(one + several + [(("x", "y"), "LOC", "cities")], stats)
    assert round(prior["cities"], 3) == round((6 * 0.2 + 5 * 0.75) / 11, 3) and seen["cities"] == 11
    assert round(prior[("cities", False)], 3) == 0.2 and round(prior[("cities", True)], 3) == 0.75
    # too few seen names of a kind: no prior of their own
    prior, _ = list_priors(one + several[:4], {k: v for k, v in stats.items() if k[0] != several[4][0]})
    assert ("cities", True) not in prior


def test_curated_people_are_full_names_in_both_spellings_of_abd(tmp_path):
    from pipeline.normalize import normalize_text
    from pipeline.train.gazetteer import abd_spellings, curated_people

    assert abd_spellings("عبد ربه منصور هادي") == ["عبدربه منصور هادي", "عبد ربه منصور هادي"]
    assert abd_spellings("علي عبدالله صالح") == ["علي عبدالله صالح", "علي عبد الله صالح"]
    assert abd_spellings("محمد عبدو") == ["محمد عبدو", "محمد عبدو"]  # عبدو is a name, not عبد + و
    names = curated_people()
    assert "مقتدى الصدر" in names and "عبدالفتاح السيسي" in names and "عبد الفتاح السيسي" in names
    one_word = tmp_path / "people.txt"
    one_word.write_text("# a comment\nمحمد\n", encoding="utf-8")
    with pytest.raises(ValueError, match="one word"):
        curated_people(one_word)
    shipped = {(" ".join(w), label) for w, label, _ in Gazetteer.load().entries()}
    assert (normalize_text("مقتدى الصدر"), "PER") in shipped


def test_a_listed_person_keeps_its_first_word_and_loses_its_proclitic(tmp_path):
    from pipeline.finish import EntityFinisher
    from pipeline.tokenize import Tokenizer

    entries = tmp_path / "entries.tsv"
    entries.write_text("الباجي قائد السبسي\tPER\t0.99\tpeople\nمعمر القذافي\tPER\t0.99\tpeople\n"
                       "فيصل بن فرحان\tPER\t0.99\tpeople\n", encoding="utf-8")
    text = "رحل الباجي قائد السبسي وأرسل برقية لمعمر القذافي وفيصل بن فرحان"
    doc = Tokenizer()(Document(text))
    doc = EntityFinisher(word_frequencies={"معمر": 500, "لمعمر": 3, "يصل": 900, "فيصل": 800})(
        GazetteerRecognizer(entries)(doc))
    got = [doc.text[e.start:e.end] for e in doc.entities]
    # الباجي is no leading nisba adjective here, ل before a listed name is a proclitic, ف of فيصل is not
    assert got == ["الباجي قائد السبسي", "معمر القذافي", "فيصل بن فرحان"]


def test_a_listed_place_loses_its_proclitic_however_rare():
    from pipeline.finish import EntityFinisher
    from pipeline.tokenize import Tokenizer

    text = "تعرض منزلها الواقع بضباء لإطلاق نار"
    doc = Tokenizer()(Document(text))
    doc = EntityFinisher(word_frequencies={})(GazetteerRecognizer()(doc))  # no counts: ضباء is unknown to them
    assert [(doc.text[e.start:e.end], e.label) for e in doc.entities] == [("ضباء", "LOC")]


def test_a_listed_place_beats_a_weaker_model_person_over_the_same_span():
    from pipeline.document import Entity
    from pipeline.finish import EntityFinisher
    from pipeline.tokenize import Tokenizer

    text = "قال أمير عسير إن المشروع اكتمل"

    def finished(score):
        doc = Tokenizer()(Document(text))
        i = text.index("عسير")
        doc.candidates = [Entity(i, i + 4, "PER", score, "model")]
        doc = EntityFinisher(word_frequencies=None)(GazetteerRecognizer()(doc))
        return [(doc.text[e.start:e.end], e.label) for e in doc.entities]

    assert finished(0.43) == [("عسير", "LOC")]
    assert finished(0.95) == [("عسير", "PER")]  # a confident model keeps its reading


def test_curated_places_are_names_without_heads_or_ordinary_words():
    from pipeline.normalize import normalize_text
    from pipeline.train.gazetteer import curated_places

    names = curated_places()
    assert {"عسير", "ذي قار", "صفاقس", "وهران", "بنغازي", "لحج"} <= set(names)
    assert not [n for n in names if n.split()[0] in ("منطقة", "محافظة", "ولاية")]
    assert not {"الشرقية", "العين", "الخبر", "صور", "حجة", "بشار", "سبها"} & set(names)
    shipped = {(" ".join(w), label) for w, label, _ in Gazetteer.load().entries()}
    assert {(normalize_text(n), "LOC") for n in ("عسير", "صفاقس", "ذي قار")} <= shipped


def test_a_word_as_written_beats_its_proclitic_reading_and_tells_the_models_span(tmp_path):
    from pipeline.document import Entity
    from pipeline.finish import EntityFinisher
    from pipeline.tokenize import Tokenizer

    entries = tmp_path / "entries.tsv"
    entries.write_text("جده\tLOC\t0.78\tgeonames\nوجده\tLOC\t0.6\tplaces\nوفاق سطيف\tORG\t0.64\torganizations\n"
                       "تندوف\tLOC\t0.9\tplaces\nاور\tLOC\t0.6\tgeonames\n", encoding="utf-8")
    gaz = Gazetteer.load(entries)
    (i, j, label, score, reading), = gaz.match_readings(["وجده"])
    assert (i, j, label, score, reading.prefix) == (0, 1, "LOC", 0.6, "")  # Oujda, not «and Jeddah»
    (*_, score, reading), = gaz.match_readings(["وبجده"])
    assert (score, reading.prefix, reading.stem) == (0.78, "وب", "جده")

    text = "فاز وفاق سطيف ووصل الوفد إلى وتندوف وأكد أن أكوا باور تعمل"
    doc = Tokenizer()(Document(text))
    doc.candidates = [Entity(text.index(s), text.index(s) + len(s), label, 0.9, "model")
                      for s, label in (("وفاق سطيف", "ORG"), ("وتندوف", "LOC"), ("باور", "LOC"))]
    counts = {"فاق": 900, "تندوف": 5, "اور": 50, "باور": 30}
    doc = EntityFinisher(word_frequencies=counts)(GazetteerRecognizer(entries)(doc))
    got = {doc.text[e.start:e.end] for e in doc.entities}
    # the club's و is its own; the listed place after و tells the model's span to cut it; a 3-letter name does not
    assert got == {"وفاق سطيف", "تندوف", "باور"}


def test_the_reading_that_matched_is_the_one_cut():
    from pipeline.finish import EntityFinisher
    from pipeline.tokenize import Tokenizer

    text = "زار الوزير موسكو وبكين واجتمع مع وبان كي مون"
    doc = Tokenizer()(Document(text))
    doc = EntityFinisher(word_frequencies={})(GazetteerRecognizer()(doc))
    got = [doc.text[e.start:e.end] for e in doc.entities]
    assert "بكين" in got and "كين" not in got  # و + بكين, not و + ب + كين


def test_muscat_is_a_place_but_not_in_a_birthplace():
    doc = GazetteerRecognizer()(Document("وصل المبعوث إلى مسقط للقاء الوفد، وزار مسقط رأسه"))
    assert [doc.text[e.start:e.end] for e in doc.candidates if e.label == "LOC"] == ["مسقط"]


def test_places_whose_first_word_is_a_common_noun_are_listed():
    doc = GazetteerRecognizer()(Document("استهدفت غارة بلدة عيتا الشعب في قضاء بنت جبيل وسيطرت القوات على جسر الشغور"))
    got = {doc.text[e.start:e.end] for e in doc.candidates if e.label == "LOC"}
    assert {"عيتا الشعب", "بنت جبيل", "جسر الشغور"} <= got
