"""Optional camel-tools backends (need camel-tools' data packages, installed with ``camel_data``).

* ``CamelNERRecognizer`` (stage "camel_ner", ``arabic-ner extract --ner camel``): camel-tools' BERT
  NER (``camel_tools.ner.NERecognizer``) as a recognizer; its PERS/LOC/ORG/MISC become
  PER/LOC/ORG/MISC candidates (source "model"). Data: ``camel_data -i ner-arabert``.
* ``CamelSegmenter`` (stage "camel_segmenter"): camel-tools' morphological disambiguator
  (``MLEDisambiguator`` over a ``MorphologyDB`` analyzer) splits proclitics off words (ATB scheme:
  و/ف/ب/ل/ك/س split, the article stays) and records lemmas and parts of speech in
  ``doc.meta["lemmas"]`` / ``doc.meta["pos"]`` (one a token). Data: ``camel_data -i light``.

Nothing here touches camel-tools' data at import. ``camel_tools.data`` downloads its catalogue
from the network *when imported* if it is missing, and ``camel_tools.ner`` / ``.morphology`` /
``.disambig`` import it, so the backends check the data folder first (``$CAMELTOOLS_DATA``, else
``~/.camel_tools``) and raise ``CamelDataError`` naming the ``camel_data`` command to run
instead of importing them.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..document import Document, Entity, Sentence, Token
from ..normalize import normalize_text
from ..stage import BatchStage

NER_PACKAGE = "ner-arabert"
MORPHOLOGY_PACKAGE = "light"  # morphology-db-msa-r13 + disambig-mle-calima-msa-r13
CAMEL_LABELS = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


class CamelDataError(RuntimeError):
    """camel-tools' data (or the model/database asked for) is not installed."""


def camel_data_dir() -> Path:
    """The folder camel-tools reads its data from: ``$CAMELTOOLS_DATA`` or ``~/.camel_tools``
    (the one camel-tools already settled on, if it was imported)."""
    mod = sys.modules.get("camel_tools.data.catalogue")
    if mod is not None:
        return Path(mod.CT_DATA_DIR)
    env = os.environ.get("CAMELTOOLS_DATA")
    return Path(env).expanduser().absolute() if env else Path.home() / ".camel_tools"


def _install_hint(package: str) -> str:
    return (f"install it with `camel_data -i {package}` (camel-tools' downloader; "
            f"set CAMELTOOLS_DATA to use another folder than ~/.camel_tools)")


def require_catalogue(package: str) -> dict:
    """camel-tools' catalogue, or CamelDataError. Must pass before importing camel_tools.ner /
    .morphology / .disambig: without the catalogue, importing them fetches it from the network."""
    path = camel_data_dir() / "catalogue.json"
    if not path.is_file():
        raise CamelDataError(f"camel-tools data is not installed (no {path}); {_install_hint(package)}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CamelDataError(f"camel-tools catalogue {path} is unreadable ({exc}); {_install_hint(package)}") from None


def dataset_path(component: str, package: str, dataset: str | None = None) -> Path:
    """Folder of an installed camel-tools dataset (e.g. component "NamedEntityRecognition")."""
    catalogue = require_catalogue(package)
    comp = catalogue.get("components", {}).get(component)
    name = dataset or (comp or {}).get("default")
    entry = (comp or {}).get("datasets", {}).get(name) if name else None
    if entry is None:
        raise CamelDataError(f"camel-tools has no {component} dataset {name!r} in its catalogue; {_install_hint(package)}")
    path = camel_data_dir() / "data" / entry["path"]
    if not path.exists():
        raise CamelDataError(f"camel-tools {component} data is not installed (no {path}); {_install_hint(package)}")
    return path


# ----------------------------------------------------------------------------- NER

def bio_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, label) word spans from camel's BIO tags (B-PERS, I-LOC, O...)."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, None
    for i, tag in enumerate(list(tags) + ["O"]):
        kind, _, name = tag.partition("-")
        name = CAMEL_LABELS.get(name, name)
        if tag == "O" or kind == "B" or name != label:
            if label is not None:
                spans.append((start, i, label))
            start, label = (i, name) if tag != "O" else (-1, None)
    return spans


class CamelNERRecognizer(BatchStage):
    """Stage: camel-tools' BERT NER as a recognizer (candidates with source "model").

    ``model_path``: a folder with a fine-tuned ``BertForTokenClassification`` and its vocab (default:
    the installed ``ner-arabert``). ``score``: the confidence given to its entities (camel-tools'
    ``predict`` returns labels only). ``labels``: keep only these types.
    """

    name = "camel_ner"

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 32, score: float = 0.85,
                 labels: Iterable[str] | None = None, use_gpu: bool = False):
        if model_path is None:
            model_path = dataset_path("NamedEntityRecognition", NER_PACKAGE)
        else:
            model_path = Path(model_path)
            if not (model_path / "config.json").is_file():
                raise CamelDataError(f"{model_path} is not a camel-tools NER model folder (no config.json); "
                                     f"{_install_hint(NER_PACKAGE)}, or pass the folder of a fine-tuned BERT")
        require_catalogue(NER_PACKAGE)
        from camel_tools.ner import NERecognizer  # torch + transformers: only now

        self.model_path = Path(model_path)
        self.recognizer = NERecognizer(str(model_path), use_gpu=use_gpu)
        self.batch_size = batch_size
        self.score = float(score)
        self.labels = set(labels) if labels is not None else None
        self._tokenizer = None

    def predict(self, sentences: list[list[str]]) -> list[list[tuple[int, int, str]]]:
        """Word spans for sentences given as lists of words (as written)."""
        if not sentences:
            return []
        tags = self.recognizer.predict(sentences, batch_size=self.batch_size)
        out = []
        for words, sent_tags in zip(sentences, tags):
            if len(sent_tags) != len(words):
                sent_tags = self._realign(words, sent_tags)
            spans = bio_to_spans(sent_tags)
            if self.labels is not None:
                spans = [s for s in spans if s[2] in self.labels]
            out.append(spans)
        return out

    def _realign(self, words: list[str], tags: list[str]) -> list[str]:
        # camel-tools drops words its BERT tokenizer turns into nothing (stray marks, controls)
        tokenize = self.recognizer.tokenizer.tokenize
        it = iter(tags)
        return [next(it, "O") if tokenize(w) else "O" for w in words]

    def _process(self, docs: list[Document]) -> None:
        sentences: list[list[str]] = []
        where: list[tuple[Document, list[Token]]] = []
        for doc in docs:
            _ensure_tokens(self, doc)
            for s in doc.sentences:
                tokens = doc.tokens[s.first_token:s.last_token]
                if tokens:
                    sentences.append([doc.text[t.start:t.end] for t in tokens])
                    where.append((doc, tokens))
        for (doc, tokens), spans in zip(where, self.predict(sentences)):
            for i, j, label in spans:
                doc.candidates.append(Entity(tokens[i].start, tokens[j - 1].end, label, self.score, "model"))


def _ensure_tokens(stage: Any, doc: Document) -> None:
    if not doc.tokens:
        if stage._tokenizer is None:
            from ..tokenize import Tokenizer

            stage._tokenizer = Tokenizer()
        stage._tokenizer(doc)


# ----------------------------------------------------------------------------- morphology

class CamelSegmenter:
    """Stage (after the tokenizer): camel-tools' morphological disambiguation of every word.

    Splits the proclitics of the chosen analysis into tokens of their own (``split=True``; ATB
    scheme ``atbtok``: conjunctions, prepositions and the future س split, the article stays) and
    sets ``doc.meta["lemmas"]`` and ``doc.meta["pos"]``, one entry a token (the lemma without
    diacritics; proclitic pieces and non-words get their own form and "" as pos).

    Default: the installed ``calima-msa-r13`` database and MLE model (``camel_data -i light``).
    ``db_path``/``mle_path`` use other files: a camel-tools morphology DB and, optionally, an MLE
    model (JSON); without ``mle_path`` the analyzer's pos-lex probabilities decide.
    """

    name = "camel_segmenter"

    def __init__(self, db_path: str | Path | None = None, mle_path: str | Path | None = None,
                 scheme: str = "atbtok", split: bool = True, backoff: str = "NOAN_PROP", cache_size: int = 100_000):
        require_catalogue(MORPHOLOGY_PACKAGE)
        if db_path is None and mle_path is None:
            dataset_path("MorphologyDB", MORPHOLOGY_PACKAGE, "calima-msa-r13")
            dataset_path("DisambigMLE", MORPHOLOGY_PACKAGE, "calima-msa-r13")
            from camel_tools.disambig.mle import MLEDisambiguator

            self.disambiguator = MLEDisambiguator.pretrained(cache_size=cache_size)
        else:
            for p in (db_path, mle_path):
                if p is not None and not Path(p).is_file():
                    raise CamelDataError(f"{p}: no such file; {_install_hint(MORPHOLOGY_PACKAGE)}")
            from camel_tools.disambig.mle import MLEDisambiguator
            from camel_tools.morphology.analyzer import Analyzer
            from camel_tools.morphology.database import MorphologyDB

            db = (MorphologyDB(str(db_path), "a") if db_path is not None
                  else MorphologyDB.builtin_db("calima-msa-r13", "a"))
            analyzer = Analyzer(db, backoff, cache_size=cache_size)
            self.disambiguator = MLEDisambiguator(analyzer, None if mle_path is None else str(mle_path),
                                                  cache_size=cache_size)
        from camel_tools.utils.dediac import dediac_ar

        self._dediac = dediac_ar
        self.scheme = scheme
        self.split = split
        self._tokenizer = None

    def analyse(self, words: list[str]) -> list[dict | None]:
        """The top analysis of each word (camel-tools feature dict), None when there is none."""
        return [d.analyses[0].analysis if d.analyses else None for d in self.disambiguator.disambiguate(words)]

    def proclitics(self, analysis: dict | None) -> list[str]:
        """The proclitics of an analysis in the scheme, undiacritized and normalized (و, ب...)."""
        if not analysis:
            return []
        tok = analysis.get(self.scheme)
        if not tok or tok == "NOAN":
            return []
        out = []
        for piece in self._dediac(tok).split("_"):
            if piece.endswith("+") and len(piece) > 1:
                out.append(normalize_text(piece[:-1]))
            else:
                break
        return out

    def __call__(self, doc: Document) -> Document:
        _ensure_tokens(self, doc)
        norm = doc.normalized
        tokens: list[Token] = []
        sentences: list[Sentence] = []
        lemmas: list[str] = []
        pos: list[str] = []
        for s in doc.sentences:
            first = len(tokens)
            sent = doc.tokens[s.first_token:s.last_token]
            is_word = [t.norm[:1].isalpha() for t in sent]
            analyses = iter(self.analyse([doc.text[t.start:t.end] for t, w in zip(sent, is_word) if w]))
            for tok, word in zip(sent, is_word):
                a = next(analyses) if word else None
                lemma = self._dediac(a["lex"]) if a and a.get("lex") and a["lex"] != "NOAN" else tok.norm
                tag = (a.get("pos") or "") if a else ""
                cut = 0
                if self.split and a is not None:
                    clitics = self.proclitics(a)
                    prefix = "".join(clitics)
                    if clitics and tok.norm.startswith(prefix) and len(tok.norm) - len(prefix) >= 2:
                        cut = len(prefix)
                if cut:
                    nstart = _normalized_start(norm, tok.start)
                    pos_in = nstart
                    for clitic in clitics:
                        start, end = norm.to_original(pos_in, pos_in + len(clitic))
                        tokens.append(Token(start, end, clitic))
                        lemmas.append(clitic)
                        pos.append("")
                        pos_in += len(clitic)
                    tokens.append(Token(norm.original_start(nstart + cut), tok.end, tok.norm[cut:]))
                else:
                    tokens.append(tok)
                lemmas.append(lemma)
                pos.append(tag)
            if len(tokens) > first:
                sentences.append(Sentence(tokens[first].start, tokens[-1].end, first, len(tokens)))
        doc.tokens = tokens
        doc.sentences = sentences
        doc.meta["lemmas"] = lemmas
        doc.meta["pos"] = pos
        return doc


def _normalized_start(norm, original_offset: int) -> int:
    from ..finish import _normalized_index

    return _normalized_index(norm, original_offset)


NER_BACKENDS = ("ours", "camel")


def with_ner_backend(config: dict, backend: str = "ours") -> dict:
    """A pipeline config with its "ner" stage run by ``backend``: "ours" (unchanged) or "camel"
    (``camel_ner``, for ``--ner camel``). Checks camel's data up front for a clear message."""
    if backend == "ours":
        return config
    if backend != "camel":
        raise ValueError(f"unknown NER backend {backend!r}; choose from {', '.join(NER_BACKENDS)}")
    stages = [{"name": "camel_ner"} if s.get("name") == "ner" else dict(s) for s in config["stages"]]
    if any(s["name"] == "camel_ner" for s in stages):
        dataset_path("NamedEntityRecognition", NER_PACKAGE)
    return {**config, "stages": stages}
