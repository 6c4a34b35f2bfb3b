"""Date recognizer: calendar expressions in Arabic news, normalized to ISO 8601.

A rule grammar over the normalized view (``doc.normalized.text``: ASCII digits,
no diacritics/tatweel, folded alef/ya/teh marbuta). Each rule is a precompiled
``regex`` pattern built from the tables in ``date_lexicon`` (folded through
``normalize_text``) plus a small Python function that checks the match and
computes the value. Candidates of all rules are resolved longest-first, then
mapped back to original offsets.

Values (ISO 8601 at the expression's granularity):
  day ``2024-06-07``, month ``2024-06``, year ``2030``, ISO week ``2024-W23``,
  decade/range/Hijri month or year as an interval ``2025/2028``,
  ``2015-08-16/2015-09-14``, century ``19`` (1900-1999).
Relative and deictic expressions (أمس، الأحد الماضي، العام المقبل، 12 مارس الجاري)
are resolved against the reference date (the document's publication date);
without one their ``value`` is None.

Spans exclude separable proclitics (و ف ب ل ك) and leading prepositions (في، منذ،
خلال، بتاريخ) but keep head nouns and modifiers that belong to the expression
(عام 2030، يوم الأحد، مطلع العام المقبل، قبل يومين، من 3 إلى 5 يونيو).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import regex

from ..document import Document, Entity
from ..normalize import Normalizer, normalize_text
from . import date_lexicon as L

__all__ = ["DateRecognizer", "find_dates", "parse_reference_date"]


# --------------------------------------------------------------------------- lexicon -> regex

def _n(word: str) -> str:
    return normalize_text(word)


def _alt(words, article_fusion: bool = True) -> str:
    """Alternation of folded words, longest first; inner spaces match any run of spaces."""
    forms = sorted({_n(w) for w in words}, key=lambda w: (-len(w), w))
    parts = []
    for w in forms:
        p = r"\s+".join(regex.escape(x) for x in w.split(" "))
        if article_fusion and w.startswith("ال") and len(w) > 3:
            # ل + ال fuse into لل: "للعام" = ل + العام
            p = r"(?:ال|(?<=ل)ل)" + p[2:]
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def _index(table: dict) -> dict[str, Any]:
    out = {}
    for key, words in table.items():
        for w in words:
            out[_n(w)] = key
    return out


def _key(s: str) -> str:
    """Lookup key for matched text: single spaces, fused لل restored to ال."""
    s = " ".join(s.split())
    return s


def _lookup(index: dict, s: str):
    s = _key(s)
    if s in index:
        return index[s]
    if s.startswith("ل"):
        return index.get("ا" + s)
    return None


_GM_INDEX = _index(L.GREGORIAN_MONTHS)
_HM_INDEX = _index(L.HIJRI_MONTHS)
_LM_INDEX = {w.lower(): m for m, ws in L.LATIN_MONTHS.items() for w in ws}
_ORD_INDEX = _index(L.DAY_ORDINALS)
_WD_INDEX = _index(L.WEEKDAYS)
_DIR_INDEX = {_n(w): v for w, v in L.DIRECTION_WORDS.items()}
_MOD_INDEX = {_n(w): v for w, v in L.MODIFIERS.items()}
_PART_INDEX = {_n(w): v for w, v in L.DAY_PARTS.items()}
_DEICTIC_INDEX = {_n(w): v for w, v in L.DEICTIC_DAYS.items()}
_WEAK_DEICTIC = {_n(w) for w in L.WEAK_DEICTIC}
_STRICT_MONTHS = {_n(w) for w in L.AMBIGUOUS_MONTHS}
_DECADE_INDEX = _index(L.DECADES)
_SEASON_INDEX = {_n(w): v for w, v in L.SEASONS.items()}
_NUMWORD_INDEX = {_n(w): v for w, v in L.NUMBER_WORDS.items()}
_UNIT_INDEX: dict[str, tuple[str, int | None]] = {}
for _u, (_sg, _du, _pl) in L.AGO_UNITS.items():
    for _w in _pl:
        _UNIT_INDEX[_n(_w)] = (_u, None)
    for _w in _sg:
        _UNIT_INDEX[_n(_w)] = (_u, 1)
    for _w in _du:
        _UNIT_INDEX[_n(_w)] = (_u, 2)
_HIJRI_ERA = {_n(w) for w in L.HIJRI_MARKERS}
_COUNT_NOUNS = tuple(sorted({_n(w) for w in L.COUNT_NOUNS}, key=len, reverse=True))
_COUNT_CUES = {_n(w) for w in L.COUNT_CUES_BEFORE}

B = r"(?<![\p{L}\p{N}])"  # left word boundary
E = r"(?![\p{L}\p{N}])"  # right word boundary
EM = r"(?!\p{L})"  # after a month name: digits may follow ("يونيو2011")
PRE = B + r"(?:[وف]?[بلك]?)"  # separable proclitics, left out of the span
S = r"[^\S\n]+"  # spaces within a line
S0 = r"[^\S\n]*"
SEP = S0 + r"[،,]?" + S0
BC = r"(?:" + S0 + r"(?P<bc>قبل" + S + r"الميلاد|ق" + S0 + r"\." + S0 + r"م|ق" + S + r"م)(?![\p{L}\p{N}]))?"

GMONTH = _alt(w for ws in L.GREGORIAN_MONTHS.values() for w in ws)
HMONTH = _alt(w for ws in L.HIJRI_MONTHS.values() for w in ws)
LMONTH = "(?:" + "|".join(sorted({regex.escape(w) for ws in L.LATIN_MONTHS.values() for w in ws}, key=len, reverse=True)) + ")"
ORD = _alt(w for ws in L.DAY_ORDINALS.values() for w in ws)
WEEKDAY = _alt(w for ws in L.WEEKDAYS.values() for w in ws)
DIR = _alt(L.DIRECTION_WORDS)
DIR_DAY = _alt([w for w, v in L.DIRECTION_WORDS.items() if v != 0])
MOD = _alt(L.MODIFIERS)
PART = _alt(L.DAY_PARTS)
DEICTIC = _alt(L.DEICTIC_DAYS)
DECADE = _alt(w for ws in L.DECADES.values() for w in ws)
SEASON = _alt(L.SEASONS)
NUMWORD = _alt(L.NUMBER_WORDS)
UNIT = _alt(_w for _t in L.AGO_UNITS.values() for _g in _t for _w in _g)
ERA = r"(?P<era>" + _alt(list(L.GREGORIAN_MARKERS) + list(L.HIJRI_MARKERS)) + r")" + E
YEAR_NOUN = r"(?:(?:ال|(?<=ل)ل)?(?:عام|سنه))"
DAYNUM = r"(?:3[01]|[12][0-9]|0?[1-9])(?![\d])"
TO = r"(?:-|–|الي|حتي|وحتي|لغايه|ولغايه|و)"

# weekday / يوم / الموافق before a date: kept in the span ("يوم الأحد الموافق 7 يونيو")
WD_PREFIX = (
    r"(?:(?:(?P<part>" + PART + r")" + S + r")?(?:يوم" + S + r")?(?P<wd>" + WEEKDAY + r")(?:" + S + DIR_DAY + r")?" + S0 + r"\(?" + SEP
    + r"(?:الموافق" + S + r")?|(?P<yawm>يوم)" + S + r"(?:الموافق" + S + r")?)?"
)

DAY_PART = (
    r"(?:(?P<d>" + DAYNUM + r")|ال" + S0 + r"(?P<d2>" + DAYNUM + r")|(?P<dord>" + ORD + r")|(?P<first>" + _alt(L.FIRST_DAY_WORDS) + r"))"
)
DAY_TO = r"(?:" + S0 + TO + S0 + r"(?:(?P<dto>" + DAYNUM + r")|(?P<dtoord>" + ORD + r")))"

# One grammar for "[weekday] [day [-day]] [من] [شهر] MONTH[/MONTH] [year | من العام الماضي | الجاري]"
CAL = regex.compile(
    PRE + r"(?P<b>" + WD_PREFIX
    + r"(?:(?P<mod>" + MOD + r")" + S + r"(?:شهر" + S + r")?)?"
    + r"(?:(?P<rng>من|بين)" + S + r"(?=[\d]|ال))?"
    + r"(?:" + DAY_PART + DAY_TO + r"?" + r"(?:" + S0 + r"[/\-]" + S0 + r"(?=" + HMONTH + r"|" + GMONTH + r")|" + S0 + r"(?:من" + S + r")?(?:(?P<shahr1>شهر)" + S + r")?)"
    + r"|(?P<shahr>شهر|الشهر|(?<=ل)لشهر)" + S + r")?"
    + r"(?:(?P<gm>" + GMONTH + r")" + EM + r"(?:" + S0 + r"[/\-–(]?" + S0 + r"(?P<gm2>" + GMONTH + r")" + EM + r"(?:" + S0 + r"\))?)?"
    + r"|(?P<hm>" + HMONTH + r")" + EM + r"(?:" + S + r"(?P<hadj>المبارك|الكريم|المعظم|الفضيل|الحرام))?)"
    + r"(?:" + S0 + r"[،,/\-]?" + S0 + r"(?:من" + S + r")?(?:[لب]?" + YEAR_NOUN + S0 + r")?\(?" + S0 + r"(?P<y>\d{4}|\d{3})" + S0 + r"\)?(?!\d)"
    + r"(?:" + S0 + ERA + r")?"
    + r"|" + S + r"(?:من" + S + r")?(?P<ythis>هذا" + S + r")?(?P<ynoun>العام|السنه|عام)(?:" + S + r"(?P<ydir>" + DIR + r")" + E + r")?"
    + r"|" + S + r"(?P<mdir>" + DIR + r")" + E
    + r"|" + S0 + r"\(" + S0 + r"(?P<pd>\d{1,2})" + S0 + r"/" + S0 + r"(?P<pm>\d{1,2})" + S0 + r"/" + S0 + r"(?P<py>\d{4})" + S0 + r"\)"
    + r")?"
    + r")"
)

NUMERIC = regex.compile(
    PRE + r"(?P<b>" + WD_PREFIX
    + r"(?<![\d.,:/\-+])(?P<a>\d{1,4})" + S0 + r"(?P<s1>[/\-.])" + S0 + r"(?P<m>\d{1,2})" + S0 + r"(?P=s1)" + S0
    + r"(?:(?P<cp>\()" + S0 + r")?(?P<c>\d{4}|\d{1,2})(?!\d|[.,/:\-]\d)(?(cp)" + S0 + r"\))(?:" + S0 + ERA + r")?)"
)

YEARN = regex.compile(
    PRE + r"(?P<b>(?:(?P<mod>" + MOD + r")" + S + r")?(?:(?P<season>" + SEASON + r")" + S + r")?"
    + r"(?:(?P<rng>من|بين)" + S + r")?"
    + r"(?:ال|(?<=ل)ل)?(?P<noun>عامي|سنتي|عام|سنه)" + r"(?:" + S + r"(?P<adj>" + _alt(L.YEAR_ADJECTIVES) + r"))?"
    + S0 + r"\(?" + S0 + r"(?P<y>\d{4}|\d{3})(?!\d|[.,]\d)" + S0 + r"\)?"
    + r"(?:" + S0 + r"(?P<era>" + _alt(list(L.GREGORIAN_MARKERS) + list(L.HIJRI_MARKERS)) + r")" + E + r")?"
    + r"(?:" + S0 + r"(?P<y2sep>-|–|/|الي|حتي|و|وحتي|ولغايه)" + S0 + r"(?:(?:ال)?(?:عام|سنه)" + S0 + r")?(?P<y2>\d{4}|\d{2})(?!\d|[.,]\d)"
    + r"(?:" + S0 + r"(?P<era2>" + _alt(list(L.GREGORIAN_MARKERS) + list(L.HIJRI_MARKERS)) + r")" + E + r")?)?"
    + BC + r")"
)

BARE_YEAR = regex.compile(
    PRE + r"(?P<b>(?:(?P<mod>" + MOD + r")" + S + r")?(?:(?P<season>" + SEASON + r")" + S + r")?(?:(?P<rng>من|بين)" + S + r")?"
    + r"(?<![\d.,:/\-+$€£%#])(?P<y>1[2-9]\d\d|20\d\d)(?!\d|[.,:]\d|" + S0 + r"%)"
    + r"(?:" + S0 + r"(?P<cparen>\))?" + S0 + r"(?P<era>" + _alt(list(L.GREGORIAN_MARKERS) + list(L.HIJRI_MARKERS)) + r")" + E + r")?"
    + r"(?:" + S0 + r"(?P<sep>-|–|/|الي|حتي|و|وحتي|ولغايه)" + S0 + r"(?P<y2>1[2-9]\d\d|20\d\d|\d\d)(?!\d|[.,:/]\d)"
    + r"(?:" + S0 + r"(?P<era2>" + _alt(list(L.GREGORIAN_MARKERS) + list(L.HIJRI_MARKERS)) + r")" + E + r")?)?"
    + BC + r")"
)

DAY_REL_MONTH_RX = regex.compile(
    PRE + r"(?P<b>" + WD_PREFIX + DAY_PART + DAY_TO + r"?" + S0 + r"(?:من" + S + r")?"
    + r"(?P<unit>(?:ال|(?<=ل)ل)شهر)" + S + r"(?P<dir>" + DIR + r")" + E + r")"
)

DAY_CUR_MONTH_RX = regex.compile(
    PRE + r"(?P<b>" + WD_PREFIX + r"(?:ال" + S0 + r")?(?P<d>" + DAYNUM + r")" + S + r"(?P<dir>الجاري|الحالي)" + E + r")"
)

MONTH_RANGE_RX = regex.compile(
    PRE + r"(?P<b>(?P<rng>بين|من)" + S + r"(?:(?:ال)?شهر(?:ي)?" + S + r")?(?P<m1>" + GMONTH + r")" + E + S0
    + r"(?:الي|حتي|وحتي|و|-)" + S0 + r"(?:(?:ال)?شهر" + S + r")?(?P<m2>" + GMONTH + r")" + E
    + r"(?:" + S0 + r"[،,]?" + S0 + r"(?:من" + S + r")?(?:" + YEAR_NOUN + S0 + r")?(?P<y>\d{4})(?!\d))?)"
)

DEICTIC_RX = regex.compile(
    B + r"[وف]?(?P<b>(?:(?P<part>" + PART + r")" + S + r")?(?P<dx>" + DEICTIC + r")" + E
    + r"(?:" + S0 + r"(?P<paren>\()?" + S0 + r"(?P<wd>" + WEEKDAY + r")" + E + S0 + r"(?(paren)\))"
    + r")?)"
)

WEEKDAY_RX = regex.compile(
    PRE + r"(?P<b>(?:(?P<part>" + PART + r")" + S + r")?(?:(?P<yawm>يوم)" + S + r")?(?P<wd>" + WEEKDAY + r")" + E
    + r"(?:" + S + r"(?P<dir>" + DIR_DAY + r")" + E + r")?)"
)

PERIOD_RX = regex.compile(
    PRE + r"(?P<b>(?:(?P<mod>" + MOD + r")" + S + r")?(?:(?P<this>هذا|هذه)" + S + r")?"
    + r"(?P<unit>(?:ال|(?<=ل)ل)(?:اسبوع|شهر|عام|سنه))" + E + r"(?:" + S + r"(?P<dir>" + DIR + r")" + E + r")?"
    + r"(?:" + S0 + r"[(\-–]?" + S0 + r"(?P<y>\d{4})(?!\d|[.,/]\d)" + S0 + r"\)?(?:" + S0 + ERA + r")?)?)"
)

AGO_RX = regex.compile(
    PRE + r"(?P<b>قبل" + S + r"(?:(?P<num>\d{1,3}|" + NUMWORD + r")" + S + r")?(?P<unit>" + UNIT + r"))" + E
    + r"(?!" + S + r"(?:من|علي|عن|ونصف|فقط)" + E + r")"
)

DECADE_RX = regex.compile(
    PRE + r"(?P<b>(?:(?P<mod>" + MOD + r")" + S + r")?(?P<dec>" + DECADE + r")" + E
    + r"(?:" + S + r"(?:من" + S + r")?(?:ال)?قرن" + S + r"(?P<cent>الماضي|العشرين|ال" + S0 + r"20|التاسع عشر|ال" + S0 + r"19|الحالي|الحادي والعشرين|الجاري)" + E + r")?)"
    + r"(?!" + S + r"(?:من" + S + r")?(?:ال)?عمر)"
)

CENTURY_RX = regex.compile(
    PRE + r"(?P<b>(?:(?P<mod>" + MOD + r")" + S + r")?(?:ال|(?<=ل)ل)قرن" + S
    + r"(?:(?P<ord>" + ORD + r")|ال" + S0 + r"(?P<num>\d{1,2})|(?P<dir>الماضي|الحالي|الجاري|المقبل|القادم))" + E + r")"
)

LATIN_RX = regex.compile(
    r"(?i)(?<![\p{L}\p{N}])(?P<b>"
    r"(?:(?P<d>" + DAYNUM + r")(?:st|nd|rd|th)?" + SEP + r"(?:of" + S + r")?(?P<m>" + LMONTH + r")\.?" + SEP + r"(?P<y>\d{4})"
    r"|(?P<m2>" + LMONTH + r")\.?" + S + r"(?P<d3>" + DAYNUM + r")(?:st|nd|rd|th)?" + SEP + r"(?P<y3>\d{4})"
    r"|(?P<m4>" + LMONTH + r")\.?" + SEP + r"(?P<y4>\d{4})"
    r"))(?!\d)"
)
_LATIN_CHECK = regex.compile(r"(?i)(?<![A-Za-z])" + LMONTH + r"(?![A-Za-z])")


# --------------------------------------------------------------------------- calendar helpers

_ISO_LIKE = regex.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_reference_date(value) -> _dt.date | None:
    """Lenient: date, datetime, '2015-07-31', '2015-07-31T10:00:00', '2015-07-31 02:51:32', '2015/07/31'."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    m = _ISO_LIKE.search(str(normalize_text(str(value))))
    if not m:
        return None
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _valid(y: int, m: int, d: int) -> bool:
    try:
        _dt.date(y, m, d)
        return True
    except ValueError:
        return False


def _hijri_to_greg(y: int, m: int, d: int) -> _dt.date | None:
    """Umm al-Qura via hijridate where it is defined (1343-1500 AH), tabular calendar outside it."""
    if not (1 <= m <= 12 and 1 <= d <= 30):
        return None
    if 1343 <= y <= 1500:
        try:
            from hijridate import Hijri
            return Hijri(y, m, d).to_gregorian()
        except (ValueError, OverflowError):
            if d == 30:
                return None
    if d == 30 and _tab_month_len(y, m) == 29:
        return None
    # tabular Islamic calendar (civil epoch), Julian day -> proleptic Gregorian
    jd = d + int((29.5 * (m - 1)) + 0.99) + (y - 1) * 354 + (3 + 11 * y) // 30 + 1948439 + 1 - 1
    try:
        return _dt.date.fromordinal(jd - 1721425)
    except ValueError:
        return None


def _tab_month_len(y: int, m: int) -> int:
    if m % 2 == 1:
        return 30
    if m == 12 and (14 + 11 * y) % 30 < 11:
        return 30
    return 29


def _hijri_month_span(y: int, m: int) -> tuple[_dt.date, _dt.date] | None:
    first = _hijri_to_greg(y, m, 1)
    nxt = _hijri_to_greg(y + (m == 12), m % 12 + 1, 1)
    if first is None or nxt is None:
        return None
    return first, nxt - _dt.timedelta(days=1)


def _greg_to_hijri_year(d: _dt.date) -> int | None:
    try:
        from hijridate import Gregorian
        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (ValueError, OverflowError):
        return round((d.year - 622) * 33 / 32)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _nearest_year(ref: _dt.date, month: int, day: int | None, direction: int | None) -> int:
    """Year for a month (and day) without a year: the closest to ``ref`` (or the last/next one)."""
    d = day or 15
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        dd = min(d, 28) if not _valid(y, month, d) else d
        cands.append((y, _dt.date(y, month, dd)))
    if direction == 0:
        return ref.year
    if direction == -1:
        past = [y for y, dt in cands if (dt <= ref if day else (y, month) < (ref.year, ref.month))]
        return max(past) if past else ref.year - 1
    if direction == 1:
        fut = [y for y, dt in cands if (dt >= ref if day else (y, month) > (ref.year, ref.month))]
        return min(fut) if fut else ref.year + 1
    return min(cands, key=lambda c: abs((c[1] - ref).days))[0]


def _iso_week(d: _dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _fmt(d: _dt.date) -> str:
    return d.isoformat()


# --------------------------------------------------------------------------- candidates

@dataclass(slots=True)
class _Cand:
    start: int  # normalized offsets
    end: int
    value: str | None
    granularity: str
    score: float
    attrs: dict[str, Any] = field(default_factory=dict)


def _span_start(m, text: str) -> int:
    s = m.start("b")
    if s > 0 and text[s] == "ل" and text[s - 1] == "ل":  # fused لل: keep the token whole
        s -= 1
    return s


_WORDS_RX = regex.compile(r"[\p{L}\p{N}%]+|[^\s\p{L}\p{N}]")
_NEXT_WORD_RX = regex.compile(r"[^\S\n]*([\p{L}\p{N}%]+|[^\s\p{L}\p{N}])?")


def _prev_words(text: str, pos: int, n: int = 2) -> list[str]:
    chunk = text[max(0, pos - 40):pos]
    return _WORDS_RX.findall(chunk)[-n:]


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD_RX.match(text[pos:pos + 40])
    return (m.group(1) or "") if m else ""


def _era_is_hijri(era: str | None) -> bool | None:
    if not era:
        return None
    return _n(era).rstrip(".") in _HIJRI_ERA or era.startswith("ه")


def _weekday_of(m) -> int | None:
    wd = m.group("wd") if "wd" in m.re.groupindex else None
    return _lookup(_WD_INDEX, wd) if wd else None


def _part_of(m) -> str | None:
    p = m.group("part") if "part" in m.re.groupindex else None
    return _PART_INDEX.get(_key(p)) if p else None


def _day_from(m, num: str, num2: str | None, ord_: str | None, first: str | None = None) -> int | None:
    if m.group(num):
        return int(m.group(num))
    if num2 and m.group(num2):
        return int(m.group(num2))
    if ord_ and m.group(ord_):
        return _lookup(_ORD_INDEX, m.group(ord_))
    if first and m.group(first):
        return 1
    return None


class _Finder:
    def __init__(self, text: str, ref: _dt.date | None):
        self.text = text
        self.ref = ref
        self.ref_hyear = _greg_to_hijri_year(ref) if ref else None
        self.cands: list[_Cand] = []

    def add(self, start, end, value, gran, score, **attrs):
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["granularity"] = gran
        self.cands.append(_Cand(start, end, value, gran, score, attrs))

    # ---- [day] month [year]
    def cal(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        gm, gm2, hm = m.group("gm"), m.group("gm2"), m.group("hm")
        day = _day_from(m, "d", "d2", "dord", "first")
        dto = _day_from(m, "dto", None, "dtoord")
        has_year = m.group("y") is not None
        has_shahr = bool(m.group("shahr") or m.group("shahr1"))
        rel_year = m.group("ynoun") is not None
        mdir = m.group("mdir")
        pdate = m.group("pd") is not None
        wd = _weekday_of(m)
        if m.group("rng") and dto is None:  # "من" / "بين" only belong to a range
            start = m.start("rng") if False else m.end("rng")
            start = _skip_space(text, start)
        if m.group("ythis") is None and rel_year and m.group("ydir") is None:
            # "يونيو عام" / "يونيو العام" without direction: leave the year noun out
            end = m.start("ynoun")
            end = _rstrip(text, m.start("b"), end)
            rel_year = False
        if gm:
            month = _lookup(_GM_INDEX, gm)
            if gm2 is not None and _lookup(_GM_INDEX, gm2) != month:
                # "يناير ومارس" style pair of different months: keep the first
                end = m.end("gm")
                has_year = rel_year = pdate = False
                mdir = None
            calendar = "gregorian"
        else:
            month = _lookup(_HM_INDEX, hm)
            calendar = "hijri"
        if month is None:
            return
        if calendar == "hijri" and month == 2 and not has_year and _is_score(text, m.start("hm"), m.end("hm")):
            return  # "4-صفر", "صفر-2": a match score (صفر is also "zero"), not 4 Safar
        weak = (not day and not has_year and not has_shahr and not rel_year and not mdir and not pdate
                and not m.group("mod") and not m.group("hadj") and not gm2)
        if weak:
            if calendar == "hijri" or _key(gm) in _STRICT_MONTHS:
                return
            if wd is not None:
                return
            prev = _prev_words(text, m.start())
            if not prev or prev[-1] not in _MONTH_CONTEXT:
                # a month name alone: take it in prepositional context only
                ctx = _MONTH_PREPS_STRICT if _key(gm) in _VERB_MONTHS else _MONTH_PREPS
                if not (prev and ctx.fullmatch(prev[-1])):
                    return
        if day is not None and not (1 <= day <= 31):
            return
        if m.group("dord") and not m.group("wd") and not m.group("yawm"):
            prev = _prev_words(text, m.start("b"), 1)
            if prev and prev[-1].startswith("ال") and prev[-1] not in _ORDINAL_HEADS and prev[-1] not in _AL_FUNCTION_WORDS:
                return  # "الأسبوع الأول من يونيو": the ordinal belongs to the noun before it
        attrs: dict[str, Any] = {}
        if m.group("wd") or m.group("yawm"):
            attrs["_named_day"] = True  # «يوم الأحد 5 جويلية 2020»: the day of the news, not a date in history
        if m.group("mod"):
            attrs["mod"] = _MOD_INDEX.get(_key(m.group("mod")))
        part = _part_of(m)
        if part:
            attrs["part_of_day"] = part
        ref = self.ref
        year = None
        era_h = _era_is_hijri(m.group("era"))
        if pdate:  # "شباط ( 9 / 2 / 1946 )"
            d, mo, y = int(m.group("pd")), int(m.group("pm")), int(m.group("py"))
            if mo != month and d == month and _valid(y, d, mo):
                d, mo = mo, d
            if _valid(y, mo, d):
                self.add(start, end, f"{y:04d}-{mo:02d}-{d:02d}", "day", 0.95, **attrs)
            return
        if has_year:
            year = int(m.group("y"))
            if len(m.group("y")) == 3 and not era_h and not m.group("era"):
                if calendar == "gregorian" and not day:
                    # "يونيو 202": likely a cut number, not a year
                    return
            if calendar == "gregorian" and era_h:
                calendar = "gregorian"  # the month is Gregorian whatever the marker says
        elif rel_year:
            ydir = m.group("ydir")
            k = _DIR_INDEX.get(_key(ydir)) if ydir else 0
            attrs["_year_shift"] = k
            if ref is not None:
                if calendar == "hijri":
                    year = self.ref_hyear + k
                else:
                    year = ref.year + k
            attrs["relative"] = True
        elif mdir is not None:
            k = _DIR_INDEX.get(_key(mdir))
            if k is None:
                return
            attrs["relative"] = True
            attrs["_direction"] = k
            if ref is not None:
                if calendar == "hijri":
                    year = self.ref_hyear + (0 if k == 0 else 0)
                    # Hijri month relative to the reference's Hijri date
                    try:
                        from hijridate import Gregorian
                        h = Gregorian(ref.year, ref.month, ref.day).to_hijri()
                        year = h.year
                        if k == -1 and (month > h.month or (month == h.month and day and day > h.day)):
                            year -= 1
                        if k == 1 and (month < h.month or (month == h.month and day and day < h.day)):
                            year += 1
                    except (ValueError, OverflowError):
                        pass
                else:
                    year = _nearest_year(ref, month, day, k)
        else:
            attrs["relative"] = True
            prev = _prev_words(text, m.start("b"), 1)
            since = bool(prev) and prev[-1].lstrip("وف") == "منذ"
            if since:
                attrs["_direction"] = -1  # «منذ 10 مايو»: the last May before the reference (or a date in the text)
            if ref is not None:
                if calendar == "hijri":
                    year = self.ref_hyear
                else:
                    year = _nearest_year(ref, month, day, -1 if since else None)
        score = 0.95 if (day or has_year) else 0.8
        if calendar == "hijri":
            if year is None:
                self.add(start, end, None, "day" if day else "month", score, calendar="hijri", **attrs)
                return
            hijri = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
            if day and dto:
                a, b = _hijri_to_greg(year, month, day), _hijri_to_greg(year, month, dto)
                value = f"{_fmt(a)}/{_fmt(b)}" if a and b and a <= b else None
                gran = "range"
                hijri = f"{hijri}/{year:04d}-{month:02d}-{dto:02d}"
            elif day:
                g = _hijri_to_greg(year, month, day)
                value = _fmt(g) if g else None
                gran = "day"
            else:
                span = _hijri_month_span(year, month)
                value = f"{_fmt(span[0])}/{_fmt(span[1])}" if span else None
                gran = "month"
            if value is None:
                return
            self.add(start, end, value, gran, score, hijri=hijri, calendar="hijri", **attrs)
            return
        # Gregorian
        if era_h and has_year:
            attrs["hijri_marker"] = True
        if attrs.get("relative") and not dto:
            attrs["_md"] = (month, day)
        elif attrs.get("relative") and day:
            attrs["_md_range"] = (month, day, dto)  # «من 5 إلى 7 جوان», «10 و11 فبراير»
        if year is None:
            self.add(start, end, None, "range" if dto else ("day" if day else "month"), score, **attrs)
            return
        if day and dto:
            if not (_valid(year, month, day) and _valid(year, month, dto)) or dto <= day:
                if dto is not None and dto <= day:
                    return
                return
            self.add(start, end, f"{year:04d}-{month:02d}-{day:02d}/{year:04d}-{month:02d}-{dto:02d}", "range", score, **attrs)
        elif day:
            if not _valid(year, month, day):
                return
            d = _dt.date(year, month, day)
            if wd is not None and d.weekday() != wd:
                attrs["weekday_mismatch"] = True
            self.add(start, end, _fmt(d), "day", score, **attrs)
        else:
            self.add(start, end, f"{year:04d}-{month:02d}", "month", score, **attrs)

    # ---- 07/06/2024, 2024-06-07, 3/11/1436هـ
    def numeric(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        a, mo, c = m.group("a"), int(m.group("m")), m.group("c")
        era_h = _era_is_hijri(m.group("era"))
        sep = m.group("s1")
        if len(a) == 4:
            if len(c) > 2:
                return
            y, d = int(a), int(c)
        elif len(c) == 4:
            y, d = int(c), int(a)
            if len(a) > 2:
                return
        else:
            return  # two-digit years: too ambiguous (scores, phone parts)
        if sep == "." and len(a) != 4 and not era_h:
            # 3.5.2024 is a date, 1.5.2024 could be a version; demand day <= 31 and month <= 12 only
            pass
        if mo > 12 and d <= 12 and len(a) != 4:  # month/day/year
            mo, d = d, mo
        attrs: dict[str, Any] = {}
        part = _part_of(m)
        if part:
            attrs["part_of_day"] = part
        hijri = era_h or (era_h is None and 1300 <= y <= 1500)
        if hijri:
            g = _hijri_to_greg(y, mo, d)
            if g is None:
                return
            self.add(start, end, _fmt(g), "day", 0.95, hijri=f"{y:04d}-{mo:02d}-{d:02d}", calendar="hijri", **attrs)
            return
        if not (1800 <= y <= 2100) or not _valid(y, mo, d):
            return
        dt = _dt.date(y, mo, d)
        wd = _weekday_of(m)
        if wd is not None and dt.weekday() != wd:
            attrs["weekday_mismatch"] = True
        self.add(start, end, _fmt(dt), "day", 0.95, **attrs)

    # ---- عام 2030, سنة 1436 هـ, بين عامي 2010 و2020
    def year_noun(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        y = int(m.group("y"))
        y2s = m.group("y2")
        era = m.group("era2") or m.group("era")
        noun = m.group("noun")
        attrs: dict[str, Any] = {}
        if m.group("mod"):
            attrs["mod"] = _MOD_INDEX.get(_key(m.group("mod")))
        if m.group("season"):
            attrs["season"] = _SEASON_INDEX.get(_key(m.group("season")))
        y2 = None
        bc = m.group("bc") is not None
        if y2s:
            y2 = int(y2s)
            if len(y2s) == 2:
                y2 = (y // 100) * 100 + y2
                if y2 <= y and not bc:
                    y2 += 100
            if bc and y - 200 <= y2 < y:
                self.add(start, end, f"{_bc(y)}/{_bc(y2)}", "range", 0.9, era="BC")
                return
            if not (y < y2 <= y + 200):
                # not a range: drop the second part
                y2 = None
                end = m.end("y")
                end = _include_paren(text, m, end)
                if m.group("era") and m.end("era") <= m.start("y2"):
                    end = m.end("era")
                era = m.group("era")
        if y2 is None and noun in ("عامي", "سنتي"):
            return
        if m.group("rng") and y2 is None:
            start = _skip_space(text, m.end("rng"))
        if y2 is not None and noun in ("عام", "سنه") and m.group("y2sep") in ("-", "–", "/"):
            # "لعام 2025-2028": the range is the expression, the singular noun introduces it
            start = m.start("y")
            if text[start - 1:start] == "(" :
                start -= 1
        if bc:
            if y2 is None:
                self.add(start, end, _bc(y), "year", 0.9, era="BC", **attrs)
            return
        hij = self._is_hijri_year(y, era, m.group("adj"))
        if len(m.group("y")) == 3 and y < 100:
            return
        if hij:
            span = _hijri_year_span(y, y2)
            if span is None:
                return
            hv = f"{y:04d}" + (f"/{y2:04d}" if y2 else "")
            self.add(start, end, span, "range" if y2 else "year", 0.95, hijri=hv, calendar="hijri", **attrs)
            return
        if y2:
            self.add(start, end, f"{y:04d}/{y2:04d}", "range", 0.95, **attrs)
        else:
            self.add(start, end, f"{y:04d}", "year", 0.95, **attrs)

    def _is_hijri_year(self, y: int, era: str | None, adj: str | None = None) -> bool:
        if adj and adj.startswith("الهجري"):
            return True
        if adj and adj.startswith("الميلادي"):
            return False
        h = _era_is_hijri(era)
        if h is not None:
            return h
        if self.ref_hyear is not None and abs(y - self.ref_hyear) <= 3 and y < 1600:
            return True
        return False

    # ---- 2016, 2025-2028, (1948)
    def bare_year(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        y = int(m.group("y"))
        era = m.group("era")
        y2s = m.group("y2")
        y2 = None
        if y2s:
            y2 = int(y2s)
            if len(y2s) == 2:
                y2 = (y // 100) * 100 + y2
                if y2 <= y:
                    y2 += 100
            sep = m.group("sep")
            ok = y < y2 <= y + (120 if sep in ("-", "–", "/") else 200)
            if ok and m.group("era2"):
                era = m.group("era2")
            if not ok:
                y2 = None
                end = m.end("era") if era else m.end("y")
        if m.group("cparen"):
            j = m.start("y") - 1
            while j >= 0 and text[j] in " \t":
                j -= 1
            if j >= 0 and text[j] == "(" and m.start("b") == m.start("y"):
                start = j
            else:
                era, end = None, m.end("y")
        if m.group("bc"):
            if y2 is None:
                self.add(start, end, _bc(y), "year", 0.85, era="BC")
            return
        hij = _era_is_hijri(era)
        if hij is None and y < 1800:
            if self.ref_hyear is not None and abs(y - self.ref_hyear) <= 2:
                return  # a bare 1436 without era: could be a count
            return
        if hij is None and y > 2100:
            return
        # counts, money, phone numbers: context checks when there is no era marker
        if not era:
            prev = _prev_words(text, m.start("y"), 3)
            nxt = _next_word(text, end)
            if prev and (_is_cue(prev[-1]) or " ".join(prev[-2:]) in _COUNT_CUES):
                return
            if y > (self.ref.year + 40 if self.ref else 2099):
                return
            if prev and _DIGITS.fullmatch(prev[-1]):
                return  # 011 2016 3344: part of a longer number
            if nxt and (_DIGITS.fullmatch(nxt) or nxt in ("%", "$")):
                return
            if nxt and y2 is None:
                w = nxt
                if w.startswith("و") and len(w) > 3:
                    pass
                if any(w.startswith(c) for c in _COUNT_NOUNS) and not _YEARLIKE_NEXT.match(w):
                    return
                if (len(w) >= 4 and w.endswith("ا") and not w.endswith("وا") and not w.startswith(("ال", "و", "ف", "ب", "ل", "ك"))
                        and w not in _NOT_TAMYIZ and not (prev and prev[-1].lstrip("وف") in _YEAR_PREPS)):
                    return  # "1973 مدنيا": a number with its accusative counted noun
            if prev and prev[-1] in ("-", "–", "—", "+", "×", "x", "*", "=", ":", "ال"):
                return
        attrs: dict[str, Any] = {}
        if m.group("season"):
            attrs["season"] = _SEASON_INDEX.get(_key(m.group("season")))
        if m.group("mod"):
            attrs["mod"] = _MOD_INDEX.get(_key(m.group("mod")))
        if m.group("rng") and y2 is None:
            start = _skip_space(text, m.end("rng"))
        score = 0.9 if era else 0.75
        if hij:
            span = _hijri_year_span(y, y2)
            if span is None:
                return
            self.add(start, end, span, "range" if y2 else "year", score, hijri=f"{y:04d}" + (f"/{y2:04d}" if y2 else ""), calendar="hijri", **attrs)
            return
        if y2:
            self.add(start, end, f"{y:04d}/{y2:04d}", "range", score, **attrs)
        else:
            self.add(start, end, f"{y:04d}", "year", score, **attrs)

    # ---- 7 من الشهر الجاري، العاشر من الشهر الماضي
    def day_rel_month(self, m):
        start, end = _span_start(m, self.text), m.end("b")
        day = _day_from(m, "d", "d2", "dord", "first")
        dto = _day_from(m, "dto", None, "dtoord")
        k = _DIR_INDEX.get(_key(m.group("dir")))
        if day is None or k is None or _key(m.group("dir")) in _ANAPHORIC_DIRS:
            return
        attrs: dict[str, Any] = {"relative": True}
        part = _part_of(m)
        if part:
            attrs["part_of_day"] = part
        gran = "range" if dto else "day"
        if self.ref is None:
            self.add(start, end, None, gran, 0.9, **attrs)
            return
        y, mo = _add_months(self.ref.year, self.ref.month, k)
        if not _valid(y, mo, day) or (dto and (not _valid(y, mo, dto) or dto <= day)):
            return
        value = f"{y:04d}-{mo:02d}-{day:02d}" + (f"/{y:04d}-{mo:02d}-{dto:02d}" if dto else "")
        self.add(start, end, value, gran, 0.9, **attrs)

    # ---- "في 20 الجاري": the 20th of the current month (Gulf, Levant)
    def day_cur_month(self, m):
        start, end = _span_start(m, self.text), m.end("b")
        day = int(m.group("d"))
        attrs: dict[str, Any] = {"relative": True}
        if self.ref is None:
            self.add(start, end, None, "day", 0.85, **attrs)
            return
        y, mo = self.ref.year, self.ref.month
        if _valid(y, mo, day):
            self.add(start, end, f"{y:04d}-{mo:02d}-{day:02d}", "day", 0.85, **attrs)

    # ---- بين يناير ومارس، من مارس إلى مايو 2024
    def month_range(self, m):
        start, end = _span_start(m, self.text), m.end("b")
        m1, m2 = _lookup(_GM_INDEX, m.group("m1")), _lookup(_GM_INDEX, m.group("m2"))
        if m1 is None or m2 is None or m1 == m2:
            return
        if m.group("y"):
            y2 = int(m.group("y"))
            y1 = y2 if m1 < m2 else y2 - 1
        elif self.ref is not None:
            y1 = _nearest_year(self.ref, m1, None, None)
            y2 = y1 if m1 < m2 else y1 + 1
        else:
            self.add(start, end, None, "range", 0.85, relative=True, _months=(m1, m2))
            return
        self.add(start, end, f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "range", 0.9)

    # ---- اليوم، أمس، أمس الأول، غدا، مساء أمس، اليوم (الاثنين)
    def deictic(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        dx = _key(m.group("dx"))
        if dx.startswith("ل") and not dx.startswith("ال"):
            dx = "ا" + dx
        off = _DEICTIC_INDEX.get(dx)
        if off is None:
            return
        part = _part_of(m)
        if dx in _WEAK_DEICTIC and not part and not dx.startswith("يوم"):
            prev = _prev_words(text, m.start(), 1)
            if not (prev and prev[-1] in ("يوم", "صباح", "مساء")):
                return
        if dx == "اليوم" or dx.endswith(" اليوم"):
            nxt = _next_word(text, m.end("dx"))
            if nxt in _TODAY_BLOCKERS and m.group("wd") is None:
                return
            prev = _prev_words(text, m.start(), 2)
            if prev and (prev[-1] in ("«", '"', "“") and _next_word(text, m.end("dx")) in ("»", '"', "”")):
                return  # «اليوم»: the newspaper
            if prev and prev[-1] in _TODAY_PREV_BLOCKERS:
                return
            if prev and prev[-1] == "في" and m.group("wd") is None and not part:
                before = _prev_words(text, m.start(), 3)
                if (_TIMES_RX.fullmatch(nxt) or any(_TIMES_HOURS_RX.fullmatch(w) for w in before[:-1])):
                    return  # "خمس مرات في اليوم": per day
        attrs: dict[str, Any] = {"relative": True}
        if part:
            attrs["part_of_day"] = part
        wd = _weekday_of(m)
        if self.ref is None:
            self.add(start, end, None, "day", 0.9, **attrs)
            return
        d = self.ref + _dt.timedelta(days=off)
        if wd is not None and d.weekday() != wd:
            # "اليوم (الاثنين)" in a paper dated Tuesday 02:51: trust the weekday if it is close
            for k in (-1, 1, -2, 2):
                if (d + _dt.timedelta(days=k)).weekday() == wd:
                    d = d + _dt.timedelta(days=k)
                    break
        self.add(start, end, _fmt(d), "day", 0.9, **attrs)

    # ---- الأحد، يوم الأحد، الأحد الماضي، مساء الاثنين
    def weekday(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        wd = _weekday_of(m)
        if wd is None:
            return
        dirw = m.group("dir")
        part = _part_of(m)
        strong = bool(dirw or part or m.group("yawm"))
        if not strong:
            prev = _prev_words(text, m.start(), 1)
            nxt = _next_word(text, end)
            if prev and (prev[-1] in _WD_BLOCK_BEFORE or prev[-1][:1] in "وف" and prev[-1][1:] in _WD_BLOCK_BEFORE):
                return
            if nxt in _WD_BLOCK_AFTER:
                return
            if wd == 0 and (nxt.startswith("من") or prev and prev[-1] in ("ان", "لان", "فان", "هما", "هم")):
                return
        if _HABITUAL_AFTER.match(text, end):
            return  # "مساء الخميس من كل أسبوع": a habit, not a date
        attrs: dict[str, Any] = {"relative": True, "weekday": wd}
        if part:
            attrs["part_of_day"] = part
        score = 0.9 if strong else 0.7
        if self.ref is None:
            self.add(start, end, None, "day", score, **attrs)
            return
        k = _DIR_INDEX.get(_key(dirw)) if dirw else None
        ref = self.ref
        delta = (ref.weekday() - wd) % 7
        if k == 1:
            ahead = (wd - ref.weekday()) % 7 or 7
            d = ref + _dt.timedelta(days=ahead)
        elif k == -1:
            d = ref - _dt.timedelta(days=delta or 7)
        elif delta and _future_context(text, m.start("b")):
            # "من المقرر أن يصل الوفد الأحد": the next such day
            d = ref + _dt.timedelta(days=7 - delta)
        else:
            # bare weekday in news: the last such day (today included)
            d = ref - _dt.timedelta(days=delta)
        self.add(start, end, _fmt(d), "day", score, **attrs)

    # ---- الأسبوع الماضي، هذا العام، مطلع الشهر الجاري
    def period(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        unit = _key(m.group("unit"))
        if unit.startswith("ل") and not unit.startswith("ال"):  # fused لل: "للعام الماضي"
            unit = "ا" + unit
        dirw = m.group("dir")
        this = m.group("this")
        mod = m.group("mod")
        if not dirw and not this and not mod:
            return
        if not dirw and not this and mod and unit in ("الشهر", "الاسبوع"):
            return  # "نهاية الشهر" alone: usually a generic time
        if unit in ("العام", "السنه"):
            prev = _prev_words(text, m.start("b") if not mod and not this else m.start("b"), 1)
            if not this and prev:
                p = prev[-1]
                if p in _GENERAL_HEADS:
                    return  # "النائب العام السابق", "الرأي العام": العام is an adjective
                if (dirw and _key(dirw) in _PERSON_DIRS and _AL_PREFIXED.match(p)
                        and p not in _AL_FUNCTION_WORDS):
                    return  # "<title> العام السابق/الحالي"
            if this and _next_word(text, end) in ("الدراسي", "المالي", "الهجري") and not dirw:
                pass
        k = _DIR_INDEX.get(_key(dirw)) if dirw else 0
        if k is None:
            return
        attrs: dict[str, Any] = {"relative": True}
        if mod:
            attrs["mod"] = _MOD_INDEX.get(_key(mod))
        gran = {"الاسبوع": "week", "الشهر": "month", "العام": "year", "السنه": "year"}.get(unit)
        if gran is None:
            return
        if m.group("y") is not None:
            if gran != "year":
                end = _rstrip(text, start, m.start("y"))
            else:  # "العام الماضي 2014م", "هذا العام 1436هـ": the explicit year wins
                y = int(m.group("y"))
                if self._is_hijri_year(y, m.group("era")) or (y < 1600 and _era_is_hijri(m.group("era")) is not False):
                    span = _hijri_year_span(y, None)
                    if span:
                        self.add(start, end, span, "year", 0.9, hijri=f"{y:04d}", calendar="hijri", **attrs)
                    return
                if 1000 <= y <= 2100:
                    self.add(start, end, f"{y:04d}", "year", 0.9, **attrs)
                return
        ref = self.ref
        if dirw and _key(dirw) in _ANAPHORIC_DIRS and gran in ("year", "month"):
            # "العام السابق", "الشهر التالي": relative to the last date mentioned, else to the reference
            attrs["anaphoric"] = k
            self.add(start, end, None, gran, 0.8, **attrs)
            return
        if ref is None:
            self.add(start, end, None, gran, 0.85, **attrs)
            return
        if gran == "week":
            value = _iso_week(ref + _dt.timedelta(weeks=k))
        elif gran == "month":
            y, mo = _add_months(ref.year, ref.month, k)
            value = f"{y:04d}-{mo:02d}"
        else:
            value = f"{ref.year + k:04d}"
        self.add(start, end, value, gran, 0.85, **attrs)

    # ---- قبل يومين، قبل ثلاثة أيام، قبل عام
    def ago(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        u = _UNIT_INDEX.get(_key(m.group("unit")))
        if u is None:
            return
        unit, n = u
        num = m.group("num")
        if num:
            n = int(num) if num.isdigit() else _NUMWORD_INDEX.get(_key(num))
            if u[1] is not None and u[1] != 1:
                return  # "قبل 3 يومين"
        elif n is None:
            return  # "قبل أيام": vague
        if n is None or n <= 0 or n > 100:
            return
        attrs = {"relative": True}
        ref = self.ref
        gran = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
        if ref is None:
            self.add(start, end, None, gran, 0.8, **attrs)
            return
        if unit == "day":
            value = _fmt(ref - _dt.timedelta(days=n))
        elif unit == "week":
            value = _iso_week(ref - _dt.timedelta(weeks=n))
        elif unit == "month":
            y, mo = _add_months(ref.year, ref.month, -n)
            value = f"{y:04d}-{mo:02d}"
        else:
            value = f"{ref.year - n:04d}"
        self.add(start, end, value, gran, 0.8, **attrs)

    # ---- الثمانينيات، ثمانينيات القرن الماضي
    def decade(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        dec = _lookup(_DECADE_INDEX, m.group("dec"))
        if dec is None:
            return
        cent = m.group("cent")
        century = 1900
        if cent:
            c = _key(cent).replace(" ", "")
            if c in ("التاسععشر", "ال19"):
                century = 1800
            elif c in ("الحالي", "الحاديوالعشرين", "الجاري"):
                century = 2000
        y0 = century + dec * 10
        attrs = {}
        if m.group("mod"):
            attrs["mod"] = _MOD_INDEX.get(_key(m.group("mod")))
        self.add(start, end, f"{y0:04d}/{y0 + 9:04d}", "decade", 0.8, **attrs)

    # ---- القرن العشرين، القرن الـ19، القرن الماضي
    def century(self, m):
        text = self.text
        start, end = _span_start(m, text), m.end("b")
        n = None
        if m.group("ord"):
            n = _lookup(_ORD_INDEX, m.group("ord"))
        elif m.group("num"):
            n = int(m.group("num"))
        elif m.group("dir"):
            if self.ref is None:
                self.add(start, end, None, "century", 0.8, relative=True)
                return
            k = {"الماضي": -1, "المقبل": 1, "القادم": 1}.get(_key(m.group("dir")), 0)
            n = (self.ref.year - 1) // 100 + 1 + k
        if not n or n > 21:
            return
        if regex.match(S0 + r"قبل" + S + r"الميلاد", text[end:end + 20]):
            bc = regex.match(S0 + r"قبل" + S + r"الميلاد", text[end:end + 20])
            self.add(start, end + bc.end(), f"-{n - 1:02d}" if n > 1 else None, "century", 0.8, era="BC")
            return
        attrs = {}
        if m.group("mod"):
            attrs["mod"] = _MOD_INDEX.get(_key(m.group("mod")))
        self.add(start, end, f"{n - 1:02d}", "century", 0.8, **attrs)

    # ---- 3rd, June 2024; June 3, 2024; June 2024
    def latin(self, m):
        start, end = m.start("b"), m.end("b")
        if m.group("m"):
            mon, d, y = m.group("m"), m.group("d"), m.group("y")
        elif m.group("m2"):
            mon, d, y = m.group("m2"), m.group("d3"), m.group("y3")
        else:
            mon, d, y = m.group("m4"), None, m.group("y4")
        mo = _LM_INDEX.get(mon.lower())
        if mo is None:
            return
        y = int(y)
        if not (1000 <= y <= 2100):
            return
        if d is None:
            if mon.lower() in ("may", "mar", "jan", "jun", "jul", "oct", "dec", "sep", "nov", "aug", "apr", "feb") and not mon[0].isupper():
                return
            self.add(start, end, f"{y:04d}-{mo:02d}", "month", 0.9)
            return
        d = int(d)
        if not _valid(y, mo, d):
            return
        self.add(start, end, f"{y:04d}-{mo:02d}-{d:02d}", "day", 0.95)


def _hijri_year_span(y: int, y2: int | None) -> str | None:
    a = _hijri_to_greg(y, 1, 1)
    b = _hijri_to_greg((y2 or y) + 1, 1, 1)
    if a is None or b is None:
        return None
    return f"{_fmt(a)}/{_fmt(b - _dt.timedelta(days=1))}"


_SCORE_LEFT = regex.compile(r"\d\s*[-–—:]\s*$")
_SCORE_RIGHT = regex.compile(r"\s*[-–—:]\s*\d")


def _is_score(text: str, start: int, end: int) -> bool:
    """A word joined to a number by a dash or colon: "4-صفر", "صفر - 2" (football scores)."""
    return bool(_SCORE_LEFT.search(text, max(0, start - 4), start) or _SCORE_RIGHT.match(text, end))


def _future_context(text: str, pos: int) -> bool:
    """An explicit future marker among the few words before ``pos`` (same sentence)."""
    chunk = text[max(0, pos - 60):pos]
    cut = max(chunk.rfind("."), chunk.rfind("\n"), chunk.rfind("؟"))
    words = chunk[cut + 1:].split()[-6:]
    return any(w.lstrip("وف") in _FUTURE_MARKERS for w in words)


def _is_cue(word: str) -> bool:
    if word in _COUNT_CUES:
        return True
    for k in (1, 2):  # proclitics: بإجمالي، وبنحو
        if len(word) > k + 2 and word[:k].strip("وفبلك") == "" and word[k:] in _COUNT_CUES:
            return True
    return False


def _bc(y: int) -> str:
    """Year y BC in ISO 8601 expanded (astronomical) numbering: 1 BC = 0000, 217 BC = -0216."""
    return f"-{y - 1:04d}" if y > 1 else "0000"


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _rstrip(text: str, lo: int, end: int) -> int:
    while end > lo and (text[end - 1].isspace() or text[end - 1] in "،,("):
        end -= 1
    return end


def _include_paren(text: str, m, end: int) -> int:
    b = text[m.start("b"):m.start("y")]
    if "(" in b:
        j = _skip_space(text, end)
        if j < len(text) and text[j] == ")":
            return j + 1
    return end


_NOT_TAMYIZ = {_n(w) for w in (
    "أيضا", "حاليا", "جدا", "مجددا", "رسميا", "أخيرا", "سابقا", "لاحقا", "عندما", "بينما", "حينما", "كذلك",
    "بعدما", "قبلما", "حيثما", "كلما", "طالما", "ربما", "إنما", "كما", "مما", "فيما", "لما", "أما", "هذا", "لذا",
    "إذا", "كذا", "ماذا", "لماذا", "مثلما", "عموما", "خصوصا", "تحديدا", "أساسا", "أولا", "ثانيا", "مثلا",
    "وفقا", "طبقا", "تبعا", "نظرا", "بدءا", "اعتبارا", "انطلاقا", "ابتداء", "ابتداءا", "سنويا", "شهريا", "يوميا",
)}
_YEAR_PREPS = {_n(w) for w in ("في", "منذ", "حتى", "خلال", "قبل", "بعد", "عام", "العام", "سنة", "مطلع", "بداية", "نهاية",
                                "أواخر", "أوائل", "منتصف", "إلى", "من", "لعام", "بعام", "عامي")}
_FUTURE_MARKERS = {_n(w) for w in L.FUTURE_MARKERS}
_ORDINAL_HEADS = {_n(w) for w in ("اليوم", "الليلة", "صباح", "مساء")}
_MONTH_PREPS_STRICT = regex.compile(r"[وف]?(?:في|منذ|حتي|خلال|بين|مطلع|بدايه|نهايه|منتصف|اواخر|اوائل)")
_MONTH_PREPS = regex.compile(r"[وف]?(?:في|منذ|حتي|خلال|بين|مطلع|بدايه|نهايه|منتصف|اواخر|اوائل|من|الي|قبل|بعد|اواسط|"
                             r"اخر|ختام|مستهل|بدايات|نهايات|طيله|طوال|ل?شهري|اشهر|لشهر)")
_VERB_MONTHS = {_n("مارس")}  # "من مارس العنف": whoever practised violence
_MONTH_CONTEXT = {"شهر", "الشهر", "لشهر", "وشهر"}
_TODAY_BLOCKERS = {_n(w) for w in L.TODAY_BLOCKERS_AFTER}
_TODAY_PREV_BLOCKERS = {_n(w) for w in ("صحيفة", "جريدة", "لصحيفة", "لجريدة", "بصحيفة", "وصحيفة", "موقع", "قناة", "برنامج", "مجلة", "ذلك", "نفس", "ذات")}
_HABITUAL_AFTER = regex.compile(r"(?:[^\S\n]*[،,]?[^\S\n]*(?:و?ال\p{L}+|و?يوم)){0,3}[^\S\n]+من[^\S\n]+كل[^\S\n]+(?:اسبوع|شهر|عام|سنه)")
_WD_BLOCK_BEFORE = {_n(w) for w in L.WEEKDAY_BLOCKERS_BEFORE}
_WD_BLOCK_AFTER = {_n(w) for w in L.WEEKDAY_BLOCKERS_AFTER}
_ANAPHORIC_DIRS = {_n(w) for w in ("السابق", "السابقة", "التالي", "التالية")}
_GENERAL_HEADS = {_n(w) for w in L.GENERAL_HEADS}
_PERSON_DIRS = {_n(w) for w in ("السابق", "السابقة", "الحالي", "الحالية", "الجديد")}
_AL_FUNCTION_WORDS = {_n(w) for w in ("إلى", "التي", "الذي", "الذين", "اللذين", "اللتين", "اللاتي", "اللواتي", "ألا", "إلا", "الا")}
_DIGITS = regex.compile(r"\d+")
_TIMES_RX = regex.compile(r"\d+|مر(?:ه|ات|تين)|" + NUMWORD)  # "خمس مرات في اليوم"
_TIMES_HOURS_RX = regex.compile(r"\d+|مر(?:ه|ات|تين)|ساع(?:ه|ات)|" + NUMWORD)
_AL_PREFIXED = regex.compile(r"^[وفبلك]{0,2}ال")
_FOUR_DIGITS = regex.compile(r"\d{4}")
_YEARLIKE_NEXT = regex.compile(r"^(?:" + "|".join(sorted({_n(w) for w in L.GREGORIAN_MARKERS + L.HIJRI_MARKERS}, key=len, reverse=True)) + r")$")

# Rules, each with the anchor classes that can trigger it. A rule is only tried at the
# word starts shortly before an anchor (a month name, a weekday, a 4-digit number...):
# scanning every position of the text with the full grammar would be ~20x slower.
_RULES: list[tuple["regex.Pattern[str]", Callable, frozenset[str]]] = [
    (CAL, _Finder.cal, frozenset({"month"})),
    (MONTH_RANGE_RX, _Finder.month_range, frozenset({"month"})),
    (DAY_REL_MONTH_RX, _Finder.day_rel_month, frozenset({"period"})),
    (DAY_CUR_MONTH_RX, _Finder.day_cur_month, frozenset({"curmonth"})),
    (NUMERIC, _Finder.numeric, frozenset({"numsep"})),
    (YEARN, _Finder.year_noun, frozenset({"yearnoun"})),
    (BARE_YEAR, _Finder.bare_year, frozenset({"year"})),
    (DEICTIC_RX, _Finder.deictic, frozenset({"deictic"})),
    (WEEKDAY_RX, _Finder.weekday, frozenset({"weekday"})),
    (PERIOD_RX, _Finder.period, frozenset({"yearnoun", "period"})),
    (AGO_RX, _Finder.ago, frozenset({"ago"})),
    (DECADE_RX, _Finder.decade, frozenset({"decade"})),
    (CENTURY_RX, _Finder.century, frozenset({"century"})),
]


def _anchor_words() -> dict[str, str]:
    words: dict[str, str] = {}

    def add(w: str, cls: str) -> None:
        w = _n(w).split(" ")[0]
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        words.setdefault(w, cls)

    for ws in list(L.GREGORIAN_MONTHS.values()) + list(L.HIJRI_MONTHS.values()):
        for w in ws:
            add(w, "month")
    for ws in L.WEEKDAYS.values():
        for w in ws:
            add(w, "weekday")
    for w in L.DEICTIC_DAYS:
        for part in _n(w).split(" "):
            if part not in ("بعد", "اول", "من"):
                add(part, "deictic")
    for w in ("عام", "سنه", "عامي", "سنتي"):
        add(w, "yearnoun")
    for w in ("اسبوع", "شهر"):
        add(w, "period")
    add("قبل", "ago")
    add("قرن", "century")
    return words


def _trie_pattern(words) -> str:
    """A regex matching exactly ``words``, their common prefixes factored out (a trie).

    An alternation of ~100 words is tried word by word at every position; the trie
    rejects most positions at the first character."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word

    def emit(node: dict) -> str:
        alts = [regex.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a word ends here: the rest is optional (greedy: longest first)
            body = (body if len(alts) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


_ANCHOR_WORDS = _anchor_words()
# The anchors as one alternation (the first part that matches at the leftmost position
# wins), searched as separate patterns and merged by _anchors: alone, the digit parts
# are found by fast scans instead of being tried at every letter.
_ANCHOR_PARTS = [
    ("w", regex.compile(r"(?<![\p{L}])[وفبلك]{0,2}(?:ال|ل)?(?P<w>" + _trie_pattern(_ANCHOR_WORDS) + r")(?![\p{L}\p{N}])")),
    ("numsep", regex.compile(r"(?<!\d)\d{1,4}[^\S\n]*[/\-.][^\S\n]*\d")),
    ("curmonth", regex.compile(r"(?<!\d)\d{1,2}[^\S\n]+(?:الجاري|الحالي)(?![\p{L}\p{N}])")),
    ("year", regex.compile(r"(?<!\d)\d{3,4}(?!\d)")),
    ("decade", regex.compile(r"\p{L}+(?:ينات|ينيات)(?![\p{L}\p{N}])")),
]


def _anchors(text: str):
    """(part name, match) of the leftmost non-overlapping anchors, as ``finditer`` of the
    parts' alternation would give them: at a position where several parts match, the first."""
    # the decade part tries \p{L}+ at every letter: skip it in the many texts without its suffixes
    decades = "ينات" in text or "ينيات" in text
    nxt = [rx.search(text) if name != "decade" or decades else None for name, rx in _ANCHOR_PARTS]
    pos = 0
    while True:
        best = -1
        for i, m in enumerate(nxt):
            if m is None:
                continue
            if m.start() < pos:  # overlapped by the last anchor: search on after it
                m = nxt[i] = _ANCHOR_PARTS[i][1].search(text, pos)
                if m is None:
                    continue
            if best < 0 or m.start() < nxt[best].start():
                best = i
        if best < 0:
            return
        m = nxt[best]
        yield _ANCHOR_PARTS[best][0], m
        pos = m.end()


_WORD_START = regex.compile(r"(?<![\p{L}\p{N}])[\p{L}\p{N}]")
_LOOKBACK = 80  # characters before an anchor where a rule's match may start


@lru_cache(maxsize=None)
def _rules_for(classes: tuple[str, ...]) -> list[int]:
    """Indices of the rules an anchor of these classes triggers, in rule order."""
    return [i for i, (_, _, triggers) in enumerate(_RULES) if any(c in triggers for c in classes)]


def _find(ntext: str, ref: _dt.date | None) -> list[_Cand]:
    f = _Finder(ntext, ref)
    tried: dict[tuple[int, int], Any] = {}  # (rule index, start) -> match or None
    covered = [0] * len(_RULES)  # per rule: end of its last accepted match
    for kind, am in _anchors(ntext):
        if kind == "w":
            classes = (_ANCHOR_WORDS[am.group("w")],)
        elif kind == "numsep":
            classes = ("numsep", "year") if _FOUR_DIGITS.search(ntext, am.start(), am.end() + 6) else ("numsep",)
        else:
            classes = (kind,)
        apos = am.start()
        lo = max(0, apos - _LOOKBACK)
        nl = ntext.rfind("\n", lo, apos)
        if nl >= 0:
            lo = nl + 1
        starts = None
        for i in _rules_for(classes):
            if covered[i] > apos:
                continue
            rx, handler, _ = _RULES[i]
            if starts is None:
                starts = [m.start() for m in _WORD_START.finditer(ntext, lo, apos + 1)]
                if not starts or starts[-1] != apos:
                    starts.append(apos)
            for s in starts:
                key = (i, s)
                if key in tried:
                    m = tried[key]
                else:
                    m = tried[key] = rx.match(ntext, s)
                if m is None or m.end("b") <= m.start("b") or m.end("b") <= apos:
                    continue
                handler(f, m)
                covered[i] = m.end("b")
                break
    if _LATIN_CHECK.search(ntext):
        for m in LATIN_RX.finditer(ntext):
            f.latin(m)
    cands = _shared_years(_anaphora(_resolve(f.cands, ntext), ref), ntext)
    if ref is None:
        cands = _years_from_text(cands)
    return _merge_ranges(cands, ntext)


_RANGE_GLUE = regex.compile(r"[^\S\n]*(?:-|–|الي|حتي|وحتي|و|لغايه|ولغايه)[^\S\n]*")
_RANGE_OPEN = regex.compile(r"(?<![\p{L}\p{N}])[وف]?(?P<w>من|بين)[^\S\n]+$")
_ISO_DAY_OR_MONTH = regex.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _merge_ranges(cands: list[_Cand], text: str) -> list[_Cand]:
    """"من 1 يناير حتى 31 مارس 2024" -> one range (the first date has the second's year from _shared_years)."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if b is not None and b.value and _RANGE_GLUE.fullmatch(text, a.end, b.start):
            opener = _RANGE_OPEN.search(text, max(0, a.start - 12), a.start)
            mb = _ISO_DAY_OR_MONTH.match(b.value)
            av = a.value
            ma = _ISO_DAY_OR_MONTH.match(av or "")
            if opener and ma and mb and len(av) == len(b.value) and av < b.value:
                attrs = {k: v for k, v in b.attrs.items() if k not in ("_md", "relative")}
                attrs["granularity"] = "range"
                out.append(_Cand(opener.start("w"), b.end, f"{av}/{b.value}", "range", min(a.score, b.score), attrs))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


# what joins the dates of a list («3 فبراير و15 أبريل», «، 20 مايو») or of a range («من 1 يناير حتى 31 مارس»)
_LIST_GLUE = regex.compile(r"[^\S\n]*(?:[،,؛]?[^\S\n]*(?:و|او|ثم|الي|حتي|وحتي|لغايه|ولغايه)|[،,]|-|–)[^\S\n]*")


def _shared_years(cands: list[_Cand], text: str) -> list[_Cand]:
    """A list of dates shares the year written on its last one: «في 3 فبراير و15 أبريل و14 أغسطس 2023» is all
    2023, not each month's year nearest the publication date (a month after the last one is the year before:
    «في 20 ديسمبر و5 يناير 2024»), and so does the start of a range («من 1 يناير حتى 31 مارس 2024»). Only yearless
    Gregorian day/month dates joined by و/، or a range's glue take it."""
    carry = None  # (year, month) of the date with a year that the dates before it lead to
    for i in range(len(cands) - 1, -1, -1):
        c = cands[i]
        md = c.attrs.get("_md")
        if carry is not None and md and c.attrs.get("relative") and _LIST_GLUE.fullmatch(text, c.end, cands[i + 1].start):
            year = carry[0] if md[0] <= carry[1] else carry[0] - 1
            if md[1] and _valid(year, md[0], md[1]):
                c.value = f"{year:04d}-{md[0]:02d}-{md[1]:02d}"
            elif not md[1]:
                c.value = f"{year:04d}-{md[0]:02d}"
            else:
                carry = None
                continue
            c.attrs.pop("relative", None)
            c.attrs["year_from"] = "list"
            carry = (year, md[0])
            continue
        # a Gregorian date with a written year, or one placed by الماضي/المقبل («و10 فبراير الماضي»), lends its year
        lends = not c.attrs.get("relative") or "_direction" in c.attrs
        mm = _ISO_DAY_OR_MONTH.match(c.value or "") if lends and c.attrs.get("calendar") != "hijri" else None
        carry = (int(mm[1]), int(mm[2])) if mm else None
    return cands


_ISO_DAY = regex.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _years_from_text(cands: list[_Cand]) -> list[_Cand]:
    """Without a publication date, a yearless Gregorian date («يوم 29 جانفي», «14 أوت الماضي») is read against the
    last full date before it in the text that names its day (يوم, a weekday) — the news' own day, usually: «قررت
    الهيئة، يوم 16 جانفي 2023، تنظيم الدور الثاني يوم 29 جانفي» is 2023-01-29, while «حرب 5 يونيو 1967» is history
    and lends no year. Dates before any such date keep no value."""
    anchor: _dt.date | None = None
    for c in cands:
        if anchor is not None and c.value is None and c.attrs.get("relative"):
            c.value = _value_against(c.attrs, anchor)
            if c.value is not None:
                c.attrs["year_from"] = "text"
            continue
        mm = _ISO_DAY.match(c.value or "") if not c.attrs.get("relative") and c.attrs.get("_named_day") else None
        if mm:
            anchor = _dt.date(int(mm[1]), int(mm[2]), int(mm[3]))
    return cands


def _value_against(attrs: dict, anchor: _dt.date) -> str | None:
    """The ISO value of a yearless date (a day, a month, a range of days in a month, a range of months) read against
    ``anchor``: its year is the one nearest the anchor, or the last/next one after الماضي/المقبل."""
    shift, direction = attrs.get("_year_shift"), attrs.get("_direction")
    if "_months" in attrs:
        m1, m2 = attrs["_months"]
        y1 = _nearest_year(anchor, m1, None, None)
        y2 = y1 if m1 < m2 else y1 + 1
        return f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}"
    md = attrs.get("_md") or attrs.get("_md_range")
    if not md:
        return None
    month, day = md[0], md[1]
    year = anchor.year + shift if shift is not None else _nearest_year(anchor, month, day, direction)
    if "_md_range" in attrs:
        dto = md[2]
        if _valid(year, month, day) and _valid(year, month, dto):
            return f"{year:04d}-{month:02d}-{day:02d}/{year:04d}-{month:02d}-{dto:02d}"
        return None
    if day:
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    return f"{year:04d}-{month:02d}"


_ABS_YEAR = regex.compile(r"^(\d{4})(?:-(\d{2}))?(?:-\d{2})?$")


def _anaphora(cands: list[_Cand], ref: _dt.date | None) -> list[_Cand]:
    """Resolve "العام السابق"-style mentions against the last absolute date before them (or the reference)."""
    last: tuple[int, int | None] | None = None
    for c in cands:
        k = c.attrs.get("anaphoric")
        if k is None:
            mm = _ABS_YEAR.match(c.value or "") if not c.attrs.get("relative") else None
            if mm:
                last = (int(mm[1]), int(mm[2]) if mm[2] else None)
            continue
        base = last or ((ref.year, ref.month) if ref else None)
        if base is None:
            continue
        if c.granularity == "year":
            c.value = f"{base[0] + k:04d}"
        elif base[1] is not None:
            y, mo = _add_months(base[0], base[1], k)
            c.value = f"{y:04d}-{mo:02d}"
    return cands


def _resolve(cands: list[_Cand], text: str) -> list[_Cand]:
    for c in cands:  # trim spaces/punctuation at the edges
        while c.end > c.start and (text[c.end - 1].isspace() or text[c.end - 1] in "،,("):
            c.end -= 1
        if text[c.start:c.end].count(")") > text[c.start:c.end].count("(") and text[c.end - 1] == ")":
            c.end -= 1
            while c.end > c.start and text[c.end - 1].isspace():
                c.end -= 1
        span = text[c.start:c.end]
        if span.count("(") > span.count(")"):  # "للعام (1432هـ 2011م)": keep what follows the open bracket
            c.start = _skip_space(text, c.start + span.rindex("(") + 1)
    cands = [c for c in cands if c.end > c.start]
    cands.sort(key=lambda c: (-(c.end - c.start), -(c.value is not None), -c.score, c.start))
    taken = bytearray(len(text))  # a byte per character: linear on huge documents
    chosen: list[_Cand] = []
    for c in cands:
        if taken.find(1, c.start, c.end) == -1:
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _to_entities(cands: list[_Cand], norm) -> list[Entity]:
    out = []
    for c in cands:
        start, end = norm.to_original(c.start, c.end) if norm is not None else (c.start, c.end)
        attrs = {k: v for k, v in c.attrs.items() if not k.startswith("_")}
        out.append(Entity(start, end, "DATE", score=c.score, source="rule", value=c.value, attrs=attrs))
    return out


def find_dates(text: str, reference_date: _dt.date | None = None) -> list[Entity]:
    """DATE entities (original offsets) in ``text``; relative dates resolved against ``reference_date``."""
    from ..normalize import NormalizedText

    norm = NormalizedText.build(text)
    return _to_entities(_find(norm.text, parse_reference_date(reference_date)), norm)


class DateRecognizer:
    """Stage: appends DATE candidates (source="rule") to ``doc.candidates``.

    ``reference_date`` overrides the document's ``meta["published"]`` (the
    ``--date-field``); ``date_field`` names the meta key to read it from.
    """

    name = "dates"

    def __init__(self, reference_date=None, date_field: str = "published"):
        self.reference_date = parse_reference_date(reference_date)
        self.date_field = date_field
        self._normalizer = Normalizer()

    def __call__(self, doc: Document) -> Document:
        if doc.normalized is None:
            self._normalizer(doc)
        ref = self.reference_date or parse_reference_date(doc.meta.get(self.date_field))
        doc.candidates.extend(_to_entities(_find(doc.normalized.text, ref), doc.normalized))
        return doc
