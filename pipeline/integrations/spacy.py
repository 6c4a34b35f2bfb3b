"""spaCy adapters: our stages as spaCy components, our tokenizer as a spaCy tokenizer.

Registered through the package's entry points (``spacy_factories`` / ``spacy_tokenizers`` in
pyproject.toml), so once the package is installed nothing needs importing by hand::

    import spacy
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_tokenizer"}}})
    for name in ("arabic_normalizer", "arabic_ner", "arabic_gazetteer", "arabic_org_phrases", "arabic_place_heads",
                 "arabic_appositions", "arabic_dates", "arabic_entity_finisher"):
        nlp.add_pipe(name)
    doc = nlp("...")
    [(e.text, e.label_, e._.canonical, e._.value) for e in doc.ents]

How it works: the components share one ``pipeline.Document`` per spaCy ``Doc`` (kept in
``doc.user_data`` while the pipeline runs). Recognizers add candidates to it exactly as in
``Pipeline.default()``; ``arabic_entity_finisher`` resolves them and writes the result to spaCy:
``doc.spans["arabic_entities"]`` (every entity) and ``doc.ents`` (merged with entities other
components set: theirs win on overlap unless ``overwrite_ents``), with the span extensions
``value`` (ISO 8601 for DATE), ``canonical``, ``score``, ``source`` and ``hijri``; it then drops the
shared Document so the Doc serializes cleanly. Recognizers work behind any tokenizer: entity
offsets are characters, mapped onto the Doc's tokens (``arabic_tokenizer`` splits the proclitics
the finisher cuts, so spans align exactly; with another tokenizer a span widens to whole tokens).

Document metadata the stages read (the publication date for relative dates) goes in
``doc._.arabic_meta`` before running: ``doc = nlp.make_doc(text); doc._.arabic_meta = {"published": "2024-06-01"}; nlp(doc)``.

This module imports spaCy (and with it torch): it is never imported by ``import pipeline``.
"""
import json
from typing import Any, Dict, Iterable, Iterator, List, Optional

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch, registry

from ..clitics import split_proclitics
from ..document import Document, Entity
from ..finish import DEFAULT_TYPES, _normalized_index
from ..normalize import Normalizer
from ..pipeline import build_stage
from ..tokenize import Tokenizer

DOC_KEY = "arabic_ner.document"  # doc.user_data key of the shared Document while components run
SPANS_KEY = "arabic_entities"
SPAN_EXTENSIONS = ("value", "canonical", "score", "source", "hijri")
# The stage order of Pipeline.default(), as spaCy component names.
DEFAULT_COMPONENTS = ("arabic_normalizer", "arabic_ner", "arabic_gazetteer", "arabic_org_phrases", "arabic_place_heads",
                      "arabic_appositions", "arabic_dates", "arabic_entity_finisher")


def _set_extensions() -> None:
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("arabic_meta"):
        Doc.set_extension("arabic_meta", default=None)


_set_extensions()
_TOKENIZER = Tokenizer()
_NORMALIZER = Normalizer()


def arabic_document(doc: Doc) -> Document:
    """The pipeline Document shared by our components for this Doc (created, normalized and
    tokenized as in ``Pipeline.default()`` on first use)."""
    d = doc.user_data.get(DOC_KEY)
    if not isinstance(d, Document) or d.text != doc.text:
        d = Document(doc.text)
        doc.user_data[DOC_KEY] = d
    meta = doc._.arabic_meta
    if meta:
        d.meta.update(meta)
    if d.normalized is None:
        _NORMALIZER(d)
    if not d.tokens:
        _TOKENIZER(d)
    return d


# ----------------------------------------------------------------------------- tokenizer

class ArabicTokenizer:
    """spaCy tokenizer: our words and sentences; proclitics the finisher would cut off a name
    (و/ف/ب/ك/ل before the article or, per the word-frequency lexicon, before a known word) become
    tokens of their own, so entity spans align with tokens. Sets ``norm_`` (the normalized form)
    and sentence starts. ``segment_clitics=False`` keeps words whole."""

    def __init__(self, vocab, segment_clitics: bool = True, word_frequencies: Optional[str] = "default"):
        self.vocab = vocab
        self.segment_clitics = segment_clitics
        self.word_frequencies = word_frequencies
        self._freqs = None

    def _frequencies(self):
        if self._freqs is None and self.word_frequencies is not None:
            from ..lexicon import LEXICON_FILE, load_word_frequencies

            path = LEXICON_FILE if self.word_frequencies == "default" else self.word_frequencies
            self._freqs = load_word_frequencies(path)
        return self._freqs

    def _pieces(self, d: Document, tok) -> List[tuple]:
        """(start, end, norm) pieces of one of our tokens, offsets in the original text."""
        word = tok.norm
        if not (self.segment_clitics and word[:1].isalpha()):
            return [(tok.start, tok.end, word)]
        split = split_proclitics(word, self._frequencies())
        cut = split.prefix_len - (split.canonical != split.stem)  # fused لل stays whole, as in the finisher
        if cut <= 0:
            return [(tok.start, tok.end, word)]
        norm = d.normalized
        nstart = _normalized_index(norm, tok.start)
        pieces = []
        for k in range(cut):
            s, e = norm.to_original(nstart + k, nstart + k + 1)
            pieces.append((s, e, word[k]))
        s = norm.original_start(nstart + cut)
        pieces.append((s, tok.end, word[cut:]))
        return pieces

    def __call__(self, text: str) -> Doc:
        d = Document(text)
        _TOKENIZER(d)
        words: List[str] = []
        spaces: List[bool] = []
        norms: List[Optional[str]] = []
        sent_starts: List[Optional[bool]] = []
        first_tokens = {s.first_token for s in d.sentences}
        pos = 0

        def gap(upto: int) -> None:
            chunk = text[pos:upto]
            if not chunk:
                return
            if words and chunk[0] == " " and not spaces[-1]:
                spaces[-1] = True
                chunk = chunk[1:]
            if chunk:
                words.append(chunk)
                spaces.append(False)
                norms.append(None)
                sent_starts.append(False)

        for i, tok in enumerate(d.tokens):
            for k, (s, e, norm) in enumerate(self._pieces(d, tok)):
                gap(s)
                words.append(text[s:e])
                spaces.append(False)
                norms.append(norm)
                sent_starts.append(k == 0 and i > 0 and i in first_tokens)  # the first sentence starts at token 0
                pos = e
        gap(len(text))
        if sent_starts:
            sent_starts[0] = True
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
        for token, norm in zip(doc, norms):
            if norm is not None and norm != token.text:
                token.norm_ = norm
        doc.user_data[DOC_KEY] = d
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # serialization: the settings are all there is
    def _cfg(self) -> Dict[str, Any]:
        return {"segment_clitics": self.segment_clitics, "word_frequencies": self.word_frequencies}

    def to_bytes(self, **kwargs) -> bytes:
        return srsly.json_dumps(self._cfg()).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> "ArabicTokenizer":
        cfg = srsly.json_loads(data)
        self.segment_clitics = cfg["segment_clitics"]
        self.word_frequencies = cfg["word_frequencies"]
        self._freqs = None
        return self

    def to_disk(self, path, **kwargs) -> None:
        from pathlib import Path

        Path(path).write_text(json.dumps(self._cfg()), encoding="utf-8")

    def from_disk(self, path, **kwargs) -> "ArabicTokenizer":
        from pathlib import Path

        return self.from_bytes(Path(path).read_bytes())


@registry.tokenizers("arabic_tokenizer")
def create_arabic_tokenizer(segment_clitics: bool = True, word_frequencies: Optional[str] = "default"):
    def make(nlp: Language) -> ArabicTokenizer:
        return ArabicTokenizer(nlp.vocab, segment_clitics=segment_clitics, word_frequencies=word_frequencies)

    return make


# ----------------------------------------------------------------------------- components

class StageComponent:
    """A spaCy component running one of our stages on the Doc's shared Document."""

    def __init__(self, stage: Any, name: str):
        self.stage = stage
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        self.stage(arabic_document(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            ds = [arabic_document(doc) for doc in batch]
            if hasattr(self.stage, "pipe"):
                for _ in self.stage.pipe(ds):
                    pass
            else:
                for d in ds:
                    self.stage(d)
            yield from batch


class FinisherComponent(StageComponent):
    """Runs the finisher, then writes entities to ``doc.spans[spans_key]`` and ``doc.ents``."""

    def __init__(self, stage: Any, name: str, spans_key: str = SPANS_KEY, overwrite_ents: bool = False,
                 keep_document: bool = False):
        super().__init__(stage, name)
        self.spans_key = spans_key
        self.overwrite_ents = overwrite_ents
        self.keep_document = keep_document

    def __call__(self, doc: Doc) -> Doc:
        d = arabic_document(doc)
        self.stage(d)
        return self._write(doc, d)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def _write(self, doc: Doc, d: Document) -> Doc:
        spans = [s for s in (to_span(doc, e) for e in d.entities) if s is not None]
        doc.spans[self.spans_key] = spans
        ours = list(spans)
        theirs = list(doc.ents)
        taken: set = set()
        chosen = []
        for span in (ours + theirs if self.overwrite_ents else theirs + ours):
            cover = set(range(span.start, span.end))
            if cover & taken:
                continue
            taken |= cover
            chosen.append(span)
        doc.ents = sorted(chosen, key=lambda s: s.start)
        if not self.keep_document:
            doc.user_data.pop(DOC_KEY, None)
        return doc


def to_span(doc: Doc, e: Entity) -> Optional[Span]:
    """A spaCy Span for an entity, widened to token boundaries if needed, extensions set."""
    span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    for name, value in (("value", e.value), ("canonical", e.canonical), ("score", float(e.score)),
                        ("source", e.source), ("hijri", e.attrs.get("hijri"))):
        if value is not None:  # None is the default: storing it would only bloat doc.user_data
            setattr(span._, name, value)
    return span


@Language.factory("arabic_normalizer")
def make_normalizer(nlp: Language, name: str):
    return StageComponent(build_stage("normalizer"), name)


@Language.factory("arabic_ner", default_config={"model_dir": None, "labels": None})
def make_ner(nlp: Language, name: str, model_dir: Optional[str], labels: Optional[List[str]]):
    """Our statistical recognizer (``models/ner`` or ``$ARABIC_NER_MODEL`` by default)."""
    return StageComponent(build_stage("ner", model_dir=model_dir, labels=set(labels) if labels else None), name)


@Language.factory("arabic_gazetteer", default_config={"path": None, "min_score": 0.5})
def make_gazetteer(nlp: Language, name: str, path: Optional[str], min_score: float):
    return StageComponent(build_stage("gazetteer", path=path, min_score=min_score), name)


@Language.factory("arabic_org_phrases", default_config={"gazetteer": None})
def make_org_phrases(nlp: Language, name: str, gazetteer: Optional[str]):
    """Organization head noun + name chain as one ORG (بلدية طولكرم, وزارة الزراعة الأمريكية)."""
    return StageComponent(build_stage("org_phrases", gazetteer=gazetteer), name)


@Language.factory("arabic_place_heads")
def make_place_heads(nlp: Language, name: str):
    """The rare name after a settlement head as a LOC (قرية العابطية, مخيم الزعتري, محافظة الخرمة)."""
    return StageComponent(build_stage("place_heads"), name)


@Language.factory("arabic_appositions")
def make_appositions(nlp: Language, name: str):
    """Extends our model's person names after a title phrase (سفير كازاخستان لدى مصر خيرات …)."""
    return StageComponent(build_stage("appositions"), name)


@Language.factory("arabic_dates", default_config={"reference_date": None, "date_field": "published"})
def make_dates(nlp: Language, name: str, reference_date: Optional[str], date_field: str):
    """Rule-based DATE recognizer; relative dates resolve against ``reference_date`` or
    ``doc._.arabic_meta[date_field]``."""
    return StageComponent(build_stage("dates", reference_date=reference_date, date_field=date_field), name)


@Language.factory("arabic_stage", default_config={"stage": "camel_ner", "options": {}})
def make_stage(nlp: Language, name: str, stage: str, options: Dict[str, Any]):
    """Any stage of our registry by name (e.g. "camel_ner", "camel_segmenter" or a plugin's)."""
    return StageComponent(build_stage(stage, **options), name)


@Language.factory(
    "arabic_entity_finisher",
    default_config={"types": sorted(DEFAULT_TYPES), "spans_key": SPANS_KEY, "overwrite_ents": False,
                    "keep_document": False},
)
def make_entity_finisher(nlp: Language, name: str, types: List[str], spans_key: str, overwrite_ents: bool,
                         keep_document: bool):
    return FinisherComponent(build_stage("finisher", types=types), name, spans_key, overwrite_ents, keep_document)


def arabic_nlp(components: Iterable[str] = DEFAULT_COMPONENTS, **tokenizer_options: Any) -> Language:
    """``spacy.blank("ar")`` with our tokenizer and components: ``Pipeline.default()`` in spaCy."""
    import spacy

    tok = {"@tokenizers": "arabic_tokenizer", **tokenizer_options}
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": tok}})
    for name in components:
        nlp.add_pipe(name)
    return nlp
