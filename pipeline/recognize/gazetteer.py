"""Gazetteer stage: known place and organization names, matched on normalized tokens.

Entries live in ``models/gazetteer/entries.tsv`` (``form<TAB>label<TAB>score<TAB>list``),
compiled by ``python -m pipeline.train.gazetteer`` from CLDR, GeoNames, ANERGazet and the
team's curated lists (organizations, places, people; see models/gazetteer/README.md). Each
entry's score is its precision measured on the labelled training corpora (how often its
occurrences were gold entities of that type), so noisy
entries ("اليوم" listed as a newspaper) were dropped at build time.
A word matches an entry's first word as written or after its proclitics
(وكازاخستان matches كازاخستان); the finisher trims the proclitics later.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from ..clitics import Split, candidate_splits
from ..document import Document, Entity
from ..normalize import normalize_text
from ..tokenize import TOKEN_PATTERN, Tokenizer

GAZETTEER_FILE = Path(__file__).resolve().parents[2] / "models" / "gazetteer" / "entries.tsv"
# one-word names that are an ordinary word before these words: «مسقط رأسه» "his birthplace", not Muscat
NOT_BEFORE = {normalize_text("مسقط"): frozenset(normalize_text(w) for w in "رأس رأسه رأسها رأسهم رأسي".split())}
MIN_TWIN_STEM = 4  # letters a listed name needs before its proclitic reading is trusted over the model's word
MAX_MODEL_SPAN = 300  # characters: longer than any model span, so the overlap search can stop early


def entry_words(name: str) -> tuple[str, ...]:
    return tuple(TOKEN_PATTERN.findall(normalize_text(name)))


class Gazetteer:
    """Longest-match lookup of multi-word names over sequences of normalized words."""

    # word types whose index entries are kept; a news article repeats most of its words, and the
    # proclitic readings of a word cost more than the whole lookup
    CACHE_SIZE = 20_000

    def __init__(self, entries: Iterable[tuple[Sequence[str], str, float]]):
        # first word -> [(all words, label, score)], longest first, then best score
        self._index: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for words, label, score in entries:
            words = tuple(words)
            if words:
                self._index.setdefault(words[0], []).append((words, label, score))
        for options in self._index.values():
            options.sort(key=lambda o: (-len(o[0]), -o[2]))
        self._starting = lru_cache(maxsize=self.CACHE_SIZE)(self._entries_starting)

    def _entries_starting(self, word: str) -> tuple[tuple[Split, list[tuple[tuple[str, ...], str, float]]], ...]:
        """(reading, the index's option list) for each reading of ``word`` whose form starts entries: after its
        proclitics, and as written (the reading with no prefix)."""
        index = self._index
        return tuple((split, index[split.canonical]) for split in candidate_splits(word) if split.canonical in index)

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def entries(self) -> Iterator[tuple[tuple[str, ...], str, float]]:
        """(words, label, score) of every entry."""
        for options in self._index.values():
            yield from options

    @classmethod
    def load(cls, path: str | Path = GAZETTEER_FILE, min_score: float = 0.0) -> "Gazetteer":
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"gazetteer not found at {path}; rebuild it with `make train` "
                f"(python -m pipeline.train.gazetteer --out {path})")
        entries = []
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                try:
                    form, label, score, _source = line.rstrip("\n").split("\t")
                    entries.append((form.split(" "), label, float(score)))
                except ValueError as exc:
                    raise ValueError(f"{path}:{n}: malformed gazetteer line ({exc}); rebuild with `make train`") from None
        return cls(e for e in entries if e[2] >= min_score)

    def match(self, words: Sequence[str]) -> list[tuple[int, int, str, float]]:
        """Non-overlapping (start, end, label, score) spans in token indices, longest first."""
        return [m[:4] for m in self.match_readings(words)]

    def match_readings(self, words: Sequence[str]) -> list[tuple[int, int, str, float, Split]]:
        """``match``, with the reading of the first word that matched: as written (وجدة, Oujda; no prefix) or after
        proclitics (و + جدة, Jeddah). Of two matches as long, the reading with fewer proclitics wins (وبكين is
        و + بكين, not و + ب + كين), then the better score."""
        out = []
        i, n = 0, len(words)
        while i < n:
            best = None
            for split, options in self._starting(words[i]):
                for entry, label, score in options:
                    k = len(entry)
                    if i + k <= n and tuple(words[i + 1:i + k]) == entry[1:]:
                        if k == 1 and i + 1 < n and words[i + 1] in NOT_BEFORE.get(entry[0], ()):
                            break  # «مسقط رأسه»
                        key = (k, -len(split.prefix), score)
                        if best is None or key > (best[1] - best[0], -len(best[4].prefix), best[3]):
                            best = (i, i + k, label, score, split)
                        break  # options are longest first
            if best is None:
                i += 1
            else:
                out.append(best)
                i = best[1]
        return out


@lru_cache(maxsize=4)
def place_names(path: str | Path = GAZETTEER_FILE, without_lists: tuple[str, ...] = ()) -> frozenset[str]:
    """The gazetteer's one-word places (normalized): what national nisbas are made from. ``without_lists`` leaves
    out the entries of those lists (the column after the score)."""
    path = Path(path)
    skipped: set[str] = set()
    if without_lists and path.is_file():
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 4 and parts[3] in without_lists:
                    skipped.add(parts[0])
    return frozenset(words[0] for words, label, _ in Gazetteer.load(path).entries()
                     if label == "LOC" and len(words) == 1 and words[0] not in skipped)


def is_place_nisba(word: str, places: frozenset[str]) -> bool:
    """A definite nisba of a known place: العراقي (العراق), الأمريكية (أمريكا), اللبناني (لبنان), السعودي (السعودية)."""
    if not (word.startswith("ال") and word.endswith(("ي", "يه"))):
        return False
    core = word[2:-2] if word.endswith("يه") else word[2:-1]
    return any(form in places for form in (core, "ال" + core, core + "ا", core + "يا", core + "يه", "ال" + core + "يه"))


class GazetteerRecognizer:
    """Stage: appends gazetteer matches to ``doc.candidates`` (source "gazetteer")."""

    name = "gazetteer"

    def __init__(self, path: str | Path | None = None, min_score: float = 0.5):
        self.gazetteer = Gazetteer.load(path or GAZETTEER_FILE, min_score)
        self._tokenizer = Tokenizer()

    def __call__(self, doc: Document) -> Document:
        if not doc.tokens:
            self._tokenizer(doc)
        model = sorted((c.start, c.end) for c in doc.candidates if c.source == "model")
        model_starts = [start for start, _ in model]
        same_span = {(c.start, c.end, c.label): c for c in doc.candidates if c.source == "model"}
        for sent in doc.sentences:
            tokens = doc.tokens[sent.first_token:sent.last_token]
            for i, j, label, score, reading in self.gazetteer.match_readings([t.norm for t in tokens]):
                entity = Entity(tokens[i].start, tokens[j - 1].end, label, score, "gazetteer")
                as_written = not reading.prefix
                if as_written:
                    entity.attrs["as_written"] = True  # وجدة (Oujda): no proclitic to cut
                else:
                    # لمعمر القذافي, بضباء: the entry starts after the proclitics; the finisher cuts them
                    entity.attrs["proclitic"] = reading
                model_twin = same_span.get((entity.start, entity.end, label))
                if model_twin is not None and (as_written or len(reading.stem) >= MIN_TWIN_STEM):
                    # the model's span over the same words reads its first word so too (وتندوف → تندوف), unless
                    # the listed name is short enough to hide in another word (باور "Power" is no ب + أور)
                    key = "as_written" if as_written else "proclitic"
                    model_twin.attrs.setdefault(key, entity.attrs[key])
                if j - i >= 2 and _holds_model_guess(entity, model, model_starts):
                    # a known name of several words that holds the model's shorter guess (حزب العمال [الكردستاني],
                    # مجلس التعاون لدول [الخليج العربية]) is the longer reading: the finisher ranks it with the model's
                    entity.attrs["ranks_with_model"] = True
                elif label == "LOC" and getattr(same_span.get((entity.start, entity.end, "PER")), "score", 1.0) < score:
                    # a listed place over exactly a doubtful model person is the place (أمير [عسير] "the governor
                    # of Asir", a prince's name to the model at 0.43): ranked with it, the higher score wins
                    entity.attrs["ranks_with_model"] = True
                doc.candidates.append(entity)
        return doc


def _holds_model_guess(entity: Entity, model: list[tuple[int, int]], model_starts: list[int]) -> bool:
    """Some model span (sorted (start, end) pairs) overlaps ``entity``, and every one that does lies inside it and
    is shorter."""
    k = bisect_left(model_starts, entity.end)  # the spans before k start before the entity ends
    found = False
    while k > 0:
        k -= 1
        start, end = model[k]
        if end <= entity.start:
            if start < entity.start - MAX_MODEL_SPAN:
                break  # no earlier span reaches the entity
            continue
        if start < entity.start or end > entity.end or end - start >= entity.end - entity.start:
            return False
        found = True
    return found
