"""The whole-pipeline evaluation on Wojood-style documents (pipeline.evaluation.pipeline_ner), on a made-up one."""
from pipeline.document import Document, Entity
from pipeline.evaluation.pipeline_ner import gold_document, predict_document, score

DOC = [
    [("قالت", ["O"]), ("بلدية", ["B-ORG"]), ("طولكرم", ["I-ORG", "B-GPE"]), ("إن", ["O"])],
    [("وصل", ["O"]), ("محمد", ["B-PERS"]), ("علي", ["I-PERS"]), ("إلى", ["O"]), ("نابلس", ["B-GPE"])],
]


class FakePipeline:
    """Returns fixed entities by their text, as the real pipeline would for this document."""

    def __init__(self, found):
        self.found = found

    def __call__(self, text):
        doc = Document(text)
        for sub, label in self.found:
            i = text.index(sub)
            doc.entities.append(Entity(i, i + len(sub), label))
        return doc


def test_gold_takes_the_outermost_mapped_tag():
    assert gold_document(DOC) == [{(1, 3, "ORG")}, {(1, 3, "PER"), (4, 5, "LOC")}]


def test_prediction_maps_characters_to_the_tokens_they_overlap():
    # the finisher cut و off a name: the entity still covers the whole token
    doc = [[("وقال", ["O"]), ("ومحمد", ["B-PERS"]), ("علي", ["I-PERS"])]]
    assert predict_document(FakePipeline([("محمد علي", "PER")]), doc) == [{(1, 3, "PER")}]


def test_score_exact_spans_per_type():
    nlp = FakePipeline([("طولكرم", "LOC"), ("محمد علي", "PER"), ("نابلس", "LOC")])
    res = score(nlp, [DOC])
    assert res["PER"]["f1"] == 100.0
    assert res["ORG"]["r"] == 0.0 and res["ORG"]["gold"] == 1
    assert round(res["LOC"]["p"], 1) == 50.0 and res["LOC"]["r"] == 100.0  # طولكرم is inside the ORG in gold
    assert round(res["micro"]["p"], 1) == round(100 * 2 / 3, 1) and round(res["micro"]["r"], 1) == round(100 * 2 / 3, 1)


def test_conll_sentences_run_in_pseudo_documents():
    from pipeline.evaluation.pipeline_ner import conll_spans

    sents = [(["زار", "بوتين", "مصر"], ["O", "B-PER", "B-LOC"]), (["وقال", "بوتين"], ["O", "B-PER"]),
             (["قالت", "رويترز"], ["O", "B-ORG"])]
    texts = []

    class Recording(FakePipeline):
        def __call__(self, text):  # every occurrence of each name, in whichever document it is
            texts.append(text)
            doc = Document(text)
            for sub, label in self.found:
                i = text.find(sub)
                while i >= 0:
                    doc.entities.append(Entity(i, i + len(sub), label))
                    i = text.find(sub, i + 1)
            return doc

    gold, pred = conll_spans(Recording([("بوتين", "PER"), ("مصر", "LOC"), ("رويترز", "MISC")]), sents, window=2)
    assert texts == ["زار بوتين مصر\nوقال بوتين", "قالت رويترز"]  # one sentence a line, two sentences a document
    assert gold == [{(1, 2, "PER"), (2, 3, "LOC")}, {(1, 2, "PER")}, {(1, 2, "ORG")}]
    assert pred == [{(1, 2, "PER"), (2, 3, "LOC")}, {(1, 2, "PER")}, {(1, 2, "MISC")}]
