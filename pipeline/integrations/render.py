"""See what was found: a right-to-left HTML page with entities highlighted by type, and a summary.

    arabic-ner render news.jsonl -o found.html [--chart top.png]

    from pipeline.integrations.render import render
    render(["news.jsonl"], "found.html", chart="top.png")

The page (one self-contained file, no script, no network) has a summary first -- the most frequent
entities of each type (grouped by canonical form) and the number of entities of each type per
document -- then the documents with every mention highlighted, displaCy-style:
``<mark class="entity" data-type="LOC" data-canonical="القاهره">القاهرة<span class="label">LOC</span></mark>``.
The summary covers every document; the documents themselves are shown up to ``max_docs``.

``chart`` also writes a PNG bar chart of the most frequent entities per type (needs the ``render``
extra: ``pip install -e ".[render]"``: matplotlib >= 3.11, which shapes Arabic labels itself).
"""
from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Document

TYPE_ORDER = ("PER", "ORG", "LOC", "DATE", "MISC")
COLORS = {"PER": "#aa9cfc", "ORG": "#7aecec", "LOC": "#feca74", "DATE": "#bfe1d9", "MISC": "#e4e7d2"}
TYPE_NAMES = {"PER": "أشخاص PER", "ORG": "منظمات ORG", "LOC": "أماكن LOC", "DATE": "تواريخ DATE", "MISC": "أخرى MISC"}
RENDER_HINT = 'pip install -e ".[render]"  (matplotlib >= 3.11)'


@dataclass
class Summary:
    """Counts over all documents rendered (or skipped for ``max_docs``)."""

    n_docs: int = 0
    n_failed: int = 0
    by_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # type -> canonical -> n
    docs_with: dict[tuple[str, str], set] = field(default_factory=lambda: defaultdict(set))
    shown_as: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    per_doc: list[tuple[str, Counter]] = field(default_factory=list)

    def add(self, doc: Document) -> None:
        self.n_docs += 1
        counts: Counter = Counter()
        for e in doc.entities:
            key = e.canonical or doc.text[e.start:e.end]
            self.by_type[e.label][key] += 1
            self.docs_with[(e.label, key)].add(doc.id)
            self.shown_as[(e.label, key)][doc.text[e.start:e.end]] += 1
            counts[e.label] += 1
        self.per_doc.append((doc.id, counts))

    def types(self) -> list[str]:
        present = [t for t in TYPE_ORDER if self.by_type.get(t)]
        return present + sorted(t for t in self.by_type if t not in TYPE_ORDER and self.by_type[t])

    def top(self, label: str, n: int = 10) -> list[tuple[str, int, int, str]]:
        """(canonical, mentions, documents, most common written form), most frequent first."""
        out = []
        for canonical, count in sorted(self.by_type.get(label, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:n]:
            written = self.shown_as[(label, canonical)].most_common(1)[0][0]
            out.append((canonical, count, len(self.docs_with[(label, canonical)]), written))
        return out


_CSS = """
body { font-family: "Noto Naskh Arabic", "Amiri", "DejaVu Sans", Tahoma, sans-serif; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 2.2; color: #222; }
h1, h2, h3 { line-height: 1.4; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: 0.1em 0.6em; text-align: start; line-height: 1.6; }
th { background: #f4f4f4; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
.tops { display: flex; flex-wrap: wrap; gap: 1.5em; }
.doc { border-top: 1px solid #ccc; padding: 0.5em 0 1em; }
.doc h3 { font-size: 1em; color: #555; margin: 0.3em 0; direction: ltr; text-align: right; }
.text { white-space: pre-wrap; font-size: 1.15em; }
mark.entity { padding: 0.2em 0.35em; margin: 0 0.15em; border-radius: 0.35em; line-height: 1;
              box-decoration-break: clone; -webkit-box-decoration-break: clone; }
mark.entity .label { font-size: 0.55em; font-weight: bold; font-family: sans-serif; margin-inline-start: 0.4em;
                     vertical-align: middle; direction: ltr; unicode-bidi: isolate; }
.legend mark { margin-inline-end: 0.6em; }
.note { color: #666; font-size: 0.9em; }
"""


def _esc(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _type_css() -> str:
    return "\n".join(f'mark.entity[data-type="{t}"] {{ background: {c}; }}' for t, c in COLORS.items())


def mark(doc: Document, e) -> str:
    attrs = {"class": "entity", "data-type": e.label, "data-canonical": e.canonical, "data-value": e.value,
             "data-source": e.source, "data-score": f"{float(e.score):.2f}"}
    title = " · ".join(x for x in (e.label, e.canonical, e.value, f"{e.source} {float(e.score):.2f}") if x)
    attr_text = " ".join(f'{k}="{_esc(v)}"' for k, v in attrs.items() if v is not None)
    return (f'<mark {attr_text} title="{_esc(title)}">{_esc(doc.text[e.start:e.end])}'
            f'<span class="label">{_esc(e.label)}</span></mark>')


def document_html(doc: Document) -> str:
    """One document, its text escaped and every entity wrapped in a ``mark``."""
    parts: list[str] = []
    pos = 0
    for e in sorted(doc.entities, key=lambda e: (e.start, e.end)):
        if e.start < pos:  # overlapping entities cannot nest in the page; the finisher never produces them
            continue
        before = doc.text[pos:e.start]
        if before[-1:].isalpha() and e.start > 0:  # a proclitic left outside (بالقاهرة): keep its joined shape
            before += "\u200d"
        parts.append(_esc(before))
        parts.append(mark(doc, e))
        pos = e.end
    parts.append(_esc(doc.text[pos:]))
    anchor = _esc(_anchor(doc.id))
    return (f'<article class="doc" id="{anchor}"><h3>{_esc(doc.id)}</h3>'
            f'<div class="text" dir="auto">{"".join(parts)}</div></article>')


def _anchor(doc_id: str) -> str:
    return "doc-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in str(doc_id))


def summary_html(summary: Summary, top_n: int = 10) -> str:
    types = summary.types()
    n_mentions = sum(sum(c.values()) for c in summary.by_type.values())
    out = [f'<p class="counts">{summary.n_docs} مستند · {n_mentions} كيان <bdi class="note" dir="ltr">'
           f'({summary.n_docs} documents, {n_mentions} entity mentions'
           + (f", {summary.n_failed} unreadable records" if summary.n_failed else "") + ")</bdi></p>"]
    out.append('<p class="legend">' + "".join(
        f'<mark class="entity" data-type="{t}">{_esc(TYPE_NAMES.get(t, t))}</mark>' for t in types) + "</p>")
    out.append('<h2>الأكثر تكرارا <span class="note">(top entities per type)</span></h2><div class="tops">')
    for t in types:
        rows = "".join(
            f'<tr><td><mark class="entity" data-type="{_esc(t)}">{_esc(written)}</mark></td>'
            f'<td>{_esc(canonical)}</td><td class="n">{count}</td><td class="n">{ndocs}</td></tr>'
            for canonical, count, ndocs, written in summary.top(t, top_n))
        out.append(f'<table class="top" data-type="{_esc(t)}"><caption>{_esc(TYPE_NAMES.get(t, t))}</caption>'
                   f"<tr><th>الكيان</th><th>canonical</th><th>mentions</th><th>docs</th></tr>{rows}</table>")
    out.append("</div>")
    out.append('<h2>لكل مستند <span class="note">(entities per document)</span></h2>')
    head = "".join(f"<th>{_esc(t)}</th>" for t in types)
    rows = "".join(
        f'<tr><td dir="ltr"><a href="#{_esc(_anchor(doc_id))}">{_esc(doc_id)}</a></td>'
        + "".join(f'<td class="n">{counts.get(t, 0)}</td>' for t in types)
        + f'<td class="n">{sum(counts.values())}</td></tr>'
        for doc_id, counts in summary.per_doc)
    out.append(f'<table class="per-doc"><tr><th>document</th>{head}<th>total</th></tr>{rows}</table>')
    return "\n".join(out)


def render_html(docs: Iterable[Document], title: str = "الكيانات المستخرجة", top_n: int = 10,
                max_docs: int | None = 500, summary: Summary | None = None) -> str:
    """The whole page for processed documents (with ``entities``)."""
    summary = summary if summary is not None else Summary()
    bodies: list[str] = []
    for doc in docs:
        summary.add(doc)
        if max_docs is None or len(bodies) < max_docs:
            bodies.append(document_html(doc))
    shown = "" if max_docs is None or summary.n_docs <= max_docs else (
        f'<p class="note">Showing the first {max_docs} of {summary.n_docs} documents; the summary counts all.</p>')
    return (f'<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_esc(title)}</title>\n'
            f"<style>{_CSS}\n{_type_css()}</style>\n</head>\n<body>\n<h1>{_esc(title)}</h1>\n"
            f'<section id="summary">\n{summary_html(summary, top_n)}\n</section>\n'
            f'<section id="documents">\n<h2>النصوص <span class="note">(documents)</span></h2>\n{shown}'
            + "\n".join(bodies) + "\n</section>\n</body>\n</html>\n")


def write_chart(summary: Summary, path: str | Path, top_n: int = 10) -> Path:
    """PNG bar chart of the ``top_n`` most frequent entities of each type."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise RuntimeError(f"the chart needs matplotlib: {RENDER_HINT}") from None
    shape = _arabic_shaper()
    types = summary.types() or ["PER"]
    fig, axes = plt.subplots(len(types), 1, figsize=(8, 1.2 + 0.42 * top_n * len(types)), squeeze=False)
    for ax, t in zip(axes[:, 0], types):
        top = summary.top(t, top_n)[::-1]
        ax.barh([shape(w) for _, _, _, w in top] or [""], [c for _, c, _, _ in top] or [0],
                color=COLORS.get(t, "#ddd"))
        ax.set_title(t, loc="left", fontsize=11, fontweight="bold")
        ax.tick_params(axis="y", labelsize=11)
        ax.set_xlabel("mentions", fontsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _arabic_shaper():
    """matplotlib >= 3.11 shapes and orders Arabic itself (libraqm); older ones draw isolated letters
    left to right, so there the labels go through arabic-reshaper + python-bidi when installed."""
    import matplotlib

    if tuple(int(x) for x in matplotlib.__version__.split(".")[:2] if x.isdigit()) >= (3, 11):
        return lambda s: s
    try:
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError:
        import warnings

        warnings.warn(f"Arabic chart labels need matplotlib >= 3.11 (or arabic-reshaper + python-bidi): {RENDER_HINT}",
                      stacklevel=3)
        return lambda s: s
    return lambda s: get_display(arabic_reshaper.reshape(s))


def render(inputs: Sequence[str] | str, output: str | Path, nlp: Any = None, chart: str | Path | None = None,
           title: str | None = None, top_n: int = 10, max_docs: int | None = 500, limit: int | None = None,
           **read_options: Any) -> Summary:
    """Read documents (any input ``arabic-ner extract`` reads), run ``nlp`` (default
    ``Pipeline.default()``), write the page to ``output`` and, if asked, the chart. ``read_options``
    are ``pipeline.io.readers.ReadOptions`` fields (text_field, id_field, date_field...)."""
    from ..io.readers import Failure, ReadOptions, iter_documents

    if isinstance(inputs, (str, Path)):
        inputs = [str(inputs)]
    if nlp is None:
        from ..pipeline import Pipeline

        nlp = Pipeline.default()
    summary = Summary()
    failures = []

    def documents():
        n = 0
        for item in iter_documents([str(i) for i in inputs], ReadOptions(**read_options)):
            if isinstance(item, Failure):
                failures.append(item)
                summary.n_failed += 1
                continue
            if limit is not None and n >= limit:
                return
            n += 1
            yield item

    page = render_html(nlp.pipe(documents()), title=title or "الكيانات المستخرجة", top_n=top_n,
                       max_docs=max_docs, summary=summary)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(output)
    if chart is not None:
        write_chart(summary, chart, top_n)
    return summary
