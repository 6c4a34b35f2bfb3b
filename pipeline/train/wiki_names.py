"""Typed name lists mined from Arabic Wikipedia article titles (training time only).

    python -m pipeline.train.wiki_names --shared ../shared/data --out build/vectors/wiki_names.tsv

An encyclopedia article's first sentence says what its title names: «فخري عبد النور (1881-1942) سياسي
مصري», «بولغاري، شركة إيطالية ...», «دمياط: مدينة دمياط هي عاصمة محافظة ...». Each title is typed PER, ORG or
LOC from those cues (or left out: years, lists, concepts), and every word of a typed title becomes a
gazetteer flag of the CRF/BiLSTM lexicon, in the same scheme as ANERGazet's: ``PER1`` (a one-word name),
``PERb`` (first word of a longer name), ``PERm`` (a later word). Function words and the organization/location
head words themselves get no flag, and a word keeps a type only if typed titles hold it at least once per 500
of its uses in the whole text (see ``mine``). Meant as the world knowledge the labelled news lacks (foreign
persons, companies, clubs, parties), from the openly licensed arwiki text (CC BY-SA 4.0); 5-fold CV found no
gain (BENCHMARKS.md, session 7), so the shipped model does not use it (``pipeline.train.ner --wiki-names``).

Output: ``word<TAB>flags`` lines and, with ``--titles``, the typed titles for inspection.
"""
from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path

import regex

from pipeline.normalize import normalize_text
from pipeline.recognize.model import NAME_LINKS, _norm_set

from .data import DEFAULT_SHARED

# What the first sentence calls the subject. Person cues: birth/death dates in brackets right after the name,
# birth verbs, occupations; organization and location cues: the head noun that classifies the title.
PER_WORDS = """ولد ولدت مواليد توفي توفيت سياسي سياسية لاعب لاعبة ممثل ممثلة مغني مغنية مطرب مطربة كاتب كاتبة
شاعر شاعرة مخرج مخرجة ملحن ملحنة روائي روائية صحفي صحفية فنان فنانة رسام رسامة طبيب طبيبة عالم عالمة فيلسوف
مؤرخ مؤرخة مهندس مهندسة رجل رجال سيدة امرأة ملك ملكة سلطان أمير أميرة خليفة قائد زعيم رئيس رئيسة وزير وزيرة بابا
قديس قديسة فقيه محدث مفسر شيخ إمام نبي قاض قاضي ضابط جنرال موسيقي موسيقية مدرب مصارع ملاكم عازف عازفة
مذيع مذيعة إعلامي إعلامية ناشط ناشطة أديب أديبة مفكر باحث باحثة أستاذ أستاذة دبلوماسي مستكشف رائد عداء""".split()
ORG_WORDS = """شركة منظمة جامعة نادي حزب قناة صحيفة جريدة مجلة وكالة مؤسسة رابطة اتحاد جمعية حركة جماعة بنك
مصرف هيئة مجلس محطة إذاعة فرقة مجموعة معهد أكاديمية كلية مدرسة مستشفى متحف تنظيم منتخب فريق ميليشيا جيش
مكتبة دار محكمة لجنة نقابة""".split()
LOC_WORDS = """مدينة قرية بلدة دولة عاصمة محافظة مقاطعة منطقة ولاية إقليم جزيرة جزر نهر جبل جبال بحيرة بحر خليج
صحراء واد وادي حي ناحية قضاء بلدية مملكة جمهورية إمارة سلطنة قارة مضيق""".split()
# never a flag: they carry no name knowledge and would light up ordinary text
STOP = """في من إلى على عن مع و أو ثم بين حتى منذ ال ذو ذات أبو أبي أم بن ابن بنت آل عبد""".split()
# titles of lists, years, events, works and concepts: typed by none of the cues above
SKIP_TITLE = regex.compile(r"^(قائمة|قوائم|تاريخ|سنة|عام|معركة|حرب|تصنيف|مهرجان|فيلم|مسلسل|ثورة|أزمة|اليوم|يوم|مطبخ"
                           r"|الإسلام|المسيحية|اللغة|لغة|كأس|دوري|بطولة|جائزة|ألبوم|أغنية|رواية|كتاب|\d)")
WORD = regex.compile(r"\p{Arabic}+")


def classify(title: str, text: str) -> str | None:
    """PER / ORG / LOC for an article from its title and the start of its text, else None."""
    base = regex.sub(r"\s*\(.*?\)\s*$", "", title).strip()
    if not base or SKIP_TITLE.match(base) or not WORD.search(base):
        return None
    title_words = [normalize_text(w) for w in WORD.findall(base)]
    if title_words[0] in _ORG_SET:
        return "ORG"
    if title_words[0] in _LOC_SET:
        return "LOC"
    head = text.strip()
    if head.startswith(title):
        head = head[len(title):]
    first = regex.split(r"[.\n]", normalize_text(head[:400]).strip(), maxsplit=1)[0]
    # a life span or birth note in brackets right after the name: «X (1881-1942)», «X (ولد في ...)»
    life = regex.search(r"\(([^()]*)\)", first[:150])
    life_span = bool(life and regex.search(r"ولد|ولدت|توفي|\d{3,4}\s*[-–—]|[-–—]\s*\d{3,4}", life.group(1)))
    # the first classifying noun of the sentence, the title's own words and bracketed asides left out
    words = [w for w in WORD.findall(regex.sub(r"\([^()]*\)", " ", first)) if w not in title_words][:10]
    for w in words:
        bare = w[2:] if w.startswith("ال") and len(w) > 4 else w
        for label, vocab in (("ORG", _ORG_SET), ("LOC", _LOC_SET), ("PER", _PER_SET)):
            if w in vocab or bare in vocab:
                return label
    return "PER" if life_span else None


_PER_SET, _ORG_SET, _LOC_SET = _norm_set(PER_WORDS), _norm_set(ORG_WORDS), _norm_set(LOC_WORDS)
_STOP = _norm_set(STOP)
_PARTICLES = NAME_LINKS  # name particles (بن, أبو, آل …): flagged inside a name only


def title_flags(title: str, label: str) -> list[tuple[str, str]]:
    """(word, flag) pairs of one typed title, in ANERGazet's flag scheme."""
    base = regex.sub(r"\s*\(.*?\)\s*$", "", title).strip()
    words = [normalize_text(w) for w in WORD.findall(base)]
    heads = _ORG_SET if label == "ORG" else _LOC_SET if label == "LOC" else set()
    out = []
    if len(words) == 1:
        return [] if words[0] in heads or words[0] in _STOP else [(words[0], label + "1")]
    for i, w in enumerate(words):
        if w in heads or (w in _STOP and w not in _PARTICLES) or len(w) < 2:
            continue
        out.append((w, label + ("b" if i == 0 else "m")))
    return out


def mine(shared: Path, per_mention: int = 500) -> tuple[dict[str, set[str]], Counter, list[tuple[str, str]]]:
    """Flags of typed title words. A word keeps a type's flag only when typed titles hold it at least once per
    ``per_mention`` of its uses in the whole text: آن (Anne) and كانت (Kant) are names in a few titles but
    mostly ordinary words (ان, كانت after normalization); محمد or مصر are frequent and in many titles."""
    titles: dict[tuple[str, str], int] = Counter()
    freq: Counter = Counter()
    counts: Counter = Counter()
    typed = []
    with gzip.open(shared / "text" / "arwiki_2017.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            freq.update(WORD.findall(normalize_text(article["text"])))
            label = classify(article["title"], article["text"])
            counts[label] += 1
            if label is None:
                continue
            typed.append((article["title"], label))
            for w, flag in set(title_flags(article["title"], label)):
                titles[w, flag] += 1
    in_titles: Counter = Counter()
    for (w, flag), n in titles.items():
        in_titles[w, flag[:3]] += n
    flags: dict[str, set[str]] = defaultdict(set)
    for (w, flag), n in titles.items():
        if in_titles[w, flag[:3]] * per_mention >= freq[w]:
            flags[w].add(flag)
    return flags, counts, typed


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--titles", type=Path, help="also write the typed titles (title<TAB>label)")
    args = ap.parse_args(argv)
    flags, counts, typed = mine(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for w in sorted(flags):
            f.write(f"{w}\t{','.join(sorted(flags[w]))}\n")
    if args.titles:
        with open(args.titles, "w", encoding="utf-8") as f:
            f.writelines(f"{t}\t{l}\n" for t, l in typed)
    print(f"wiki names: {dict(counts)} articles by type; {len(flags)} flagged words -> {args.out}")


if __name__ == "__main__":
    main()
