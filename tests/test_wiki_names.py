"""Typed arwiki title words (pipeline.train.wiki_names), on a tiny corpus the test writes."""
import gzip
import json

from pipeline.train.ner import build_gazetteer
from pipeline.train.wiki_names import classify, main, title_flags


def test_classify_from_first_sentence():
    assert classify("فخري عبد النور", "فخري عبد النور  فخري عبد النور بك (15 يونيو 1881-9 ديسمبر 1942) سياسي مصري.") == "PER"
    assert classify("بولغاري", "بولغاري  بولغاري، شركة إيطالية تنتج السلع الفاخرة.") == "ORG"
    assert classify("دمياط", "دمياط  مدينة دمياط هي عاصمة محافظة دمياط بأقصى شمال مصر.") == "LOC"
    assert classify("جامعة فيينا", "جامعة فيينا  هي جامعة حكومية.") == "ORG"  # the title's own head noun
    assert classify("1254", "سنة 1254 كانت سنة بسيطة.") is None
    assert classify("قائمة الآلهة", "في العقائد الإسكندنافية، كان هناك عدد من الآلهة.") is None
    assert classify("علم", "العلم هو كل نوع من العلوم والمعارف.") is None


def test_title_flags_follow_anergazet_scheme():
    assert title_flags("عاطف سالم (مخرج)", "PER") == [("عاطف", "PERb"), ("سالم", "PERm")]
    assert title_flags("نادي سموحة", "ORG") == [("سموحه", "ORGm")]  # the head noun itself gets no flag
    assert title_flags("كلكتا", "LOC") == [("كلكتا", "LOC1")]


def test_mine_writes_flags_and_drops_ordinary_words(tmp_path):
    text = tmp_path / "text"
    text.mkdir()
    articles = [{"id": 1, "title": "آن فرانك", "text": "آن فرانك (1929-1945) كاتبة ألمانية."},
                {"id": 2, "title": "كلكتا", "text": "كلكتا هي مدينة في الهند."}]
    # آن (ان after normalization) is an everyday word elsewhere in the corpus: no flag for it
    articles += [{"id": 10 + k, "title": f"مقال {k}", "text": "قال إن الأمر ان " * 200} for k in range(3)]
    with gzip.open(text / "arwiki_2017.jsonl.gz", "wt", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    out = tmp_path / "wiki_names.tsv"
    main(["--shared", str(tmp_path), "--out", str(out)])
    rows = dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())
    assert rows == {"فرانك": "PERm", "كلكتا": "LOC1"}
    gaz = build_gazetteer(tmp_path, out, "W")  # no ANERGazet here: only the wiki flags, under their own names
    assert gaz == {"فرانك": "WPERm", "كلكتا": "WLOC1"}
