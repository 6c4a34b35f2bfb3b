"""The reference document: the entities the product was specified with."""
import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "kazakhstan_oic_2024.txt"


@pytest.fixture(scope="module")
def nlp():
    from pipeline import Pipeline

    return Pipeline.default()


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(SAMPLE.read_text(encoding="utf-8"), id="kazakhstan_oic_2024", meta={"published": "2024-06-03"})


def found(doc):
    return {(e.label, doc.text[e.start:e.end]): e for e in doc.entities}


def test_required_entities(doc):
    ents = found(doc)
    assert ("PER", "خيرات لاما شريف") in ents
    assert ("ORG", "منظمة التعاون الإسلامي") in ents
    assert ("LOC", "القاهرة") in ents  # from بالقاهرة: the preposition is not part of the name
    date = ents[("DATE", "7 يونيو 2024")]
    assert date.value == "2024-06-07" and date.source == "rule"
    assert ents[("DATE", "عام 2030")].value == "2030"
    assert ents[("DATE", "2025-2028")].value == "2025/2028"
    assert ents[("DATE", "3rd, June 2024")].value == "2024-06-03"


def test_every_entity_is_exact_and_well_formed(doc):
    for e in doc.entities:
        text = doc.text[e.start:e.end]
        assert text == text.strip() and text
        assert e.label in {"PER", "ORG", "LOC", "DATE"}
        assert 0.0 <= e.score <= 1.0 and e.source in {"model", "rule", "gazetteer"}
        assert e.canonical and not e.canonical.startswith(("وال", "بال"))


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is absent: gold list of the reference document not available")
def test_recall_against_gold_list(nlp):
    from pipeline.evaluation.reference import score_document

    gold = json.loads((SHARED / "examples" / "kazakhstan_oic_2024.gold.json").read_text(encoding="utf-8"))
    res = score_document(nlp, SAMPLE.read_text(encoding="utf-8"), gold)
    # a floor, not a target: it catches regressions of the whole path
    assert res["recall"] >= 0.6, res["missed"]
    assert res["values_right"] == res["matched"]
