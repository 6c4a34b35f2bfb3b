"""arabic-ner render: the HTML page (checked in headless Chromium), its summary, the PNG chart, the CLI."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Document, Entity, Pipeline
from pipeline.integrations.render import COLORS, Summary, render, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                    "(apt-get install -y chromium; .ci/run installs it)")
ROOT = Path(__file__).resolve().parents[1]

# No model needed: gazetteer + date rules give a deterministic pipeline.
LIGHT = {"stages": [{"name": "normalizer"}, {"name": "tokenizer"}, {"name": "gazetteer"}, {"name": "dates"},
                    {"name": "finisher", "types": ["PER", "ORG", "LOC", "DATE"]}]}
RECORDS = [
    {"id": "n1", "text": "وصل الوفد إلى القاهرة في 7 يونيو 2024 ثم غادر إلى الرياض."},
    {"id": "n2", "text": "عاد الوزير بالقاهرة يوم 15 مارس 2025 <b>بعد</b> زيارة الرياض & جدة."},
    {"id": "n3", "text": "لا كيانات هنا"},
]

# Appended to a copy of the page: reads what the browser laid out into a <pre id="probe">.
PROBE = """<script>
const marks = [...document.querySelectorAll('#documents mark.entity')].map(m => {
  const r = m.getBoundingClientRect();
  const label = m.querySelector('.label');
  return {text: m.firstChild.textContent, type: m.dataset.type, canonical: m.dataset.canonical || null,
          value: m.dataset.value || null, background: getComputedStyle(m).backgroundColor,
          label: label ? label.textContent : null, left: r.left, right: r.right, top: r.top, width: r.width,
          doc: m.closest('article').id};
});
const probe = document.createElement('pre');
probe.id = 'probe';
probe.textContent = JSON.stringify({marks, direction: getComputedStyle(document.body).direction,
  lang: document.documentElement.lang, tops: [...document.querySelectorAll('table.top')].map(t => t.dataset.type),
  perDoc: [...document.querySelectorAll('table.per-doc tr')].slice(1).map(tr => [...tr.cells].map(c => c.textContent))});
document.body.appendChild(probe);
</script>"""


def chromium_probe(page: Path, tmp_path: Path) -> dict:
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1200,2000",
           "--dump-dom", probed.as_uri()]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    m = re.search(r'<pre id="probe">(.*?)</pre>', out.stdout, re.S)
    assert m, f"probe missing from Chromium's DOM:\n{out.stdout[-1500:]}\n{out.stderr[-1500:]}"
    import html

    return json.loads(html.unescape(m.group(1)))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("render")
    src = tmp / "news.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    nlp = Pipeline.from_config(LIGHT)
    summary = render([str(src)], tmp / "out.html", nlp=nlp)
    expected = {r["id"]: [(r["text"][e.start:e.end], e.label) for e in nlp(r["text"]).entities] for r in RECORDS}
    return tmp / "out.html", summary, expected


@needs_chromium
def test_page_in_headless_chromium(rendered, tmp_path):
    page, summary, expected = rendered
    got = chromium_probe(page, tmp_path)
    assert got["lang"] == "ar" and got["direction"] == "rtl"
    marks = got["marks"]
    by_doc = {}
    for m in marks:
        by_doc.setdefault(m["doc"], []).append((m["text"], m["type"]))
    assert by_doc == {f"doc-{k}": v for k, v in expected.items() if v}
    assert ("القاهرة", "LOC") in by_doc["doc-n2"] and ("يوم 15 مارس 2025", "DATE") in by_doc["doc-n2"]
    for m in marks:  # highlighted by type, labelled, laid out
        assert m["label"] == m["type"] and m["width"] > 0
        r, g, b = (int(COLORS[m["type"]][i:i + 2], 16) for i in (1, 3, 5))
        assert m["background"] == f"rgb({r}, {g}, {b})"
    date = next(m for m in marks if m["text"] == "7 يونيو 2024")
    assert date["value"] == "2024-06-07"
    # right to left: in n1 القاهرة comes before (to the right of) the date on the same line
    cairo = next(m for m in marks if m["doc"] == "doc-n1" and m["type"] == "LOC")
    assert abs(cairo["top"] - date["top"]) < 5 and cairo["left"] > date["right"]
    assert got["tops"] == ["LOC", "DATE"]
    assert [row[0] for row in got["perDoc"]] == ["n1", "n2", "n3"]
    assert got["perDoc"][2][-1] == "0"


def test_summary_counts_and_escaping(rendered):
    page, summary, expected = rendered
    assert summary.n_docs == 3
    top_loc = summary.top("LOC", 2)
    assert [(c, n, d) for c, n, d, _ in top_loc] == [("الرياض", 2, 2), ("القاهره", 2, 2)]
    text = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in text
    assert "&lt;b&gt;بعد&lt;/b&gt;" in text and "<b>" not in text and "&amp; <mark" in text
    assert "<script" not in text and "http" not in text.split("</style>")[1]  # self-contained


def test_render_html_from_documents_and_max_docs():
    docs = []
    for i in range(3):
        d = Document(f"زار {i} القاهرة", id=f"d{i}")
        start = d.text.index("القاهرة")
        d.entities = [Entity(start, start + 7, "LOC", 0.9, "gazetteer", canonical="القاهره")]
        docs.append(d)
    summary = Summary()
    page = render_html(docs, max_docs=2, summary=summary)
    assert page.count('<article class="doc"') == 2 and "first 2 of 3 documents" in page
    assert summary.top("LOC") == [("القاهره", 3, 3, "القاهرة")]


def test_png_chart(rendered, tmp_path):
    pytest.importorskip("matplotlib", reason="the chart needs the render extra: pip install -e '.[render]'")
    from pipeline.integrations.render import write_chart

    page, summary, _ = rendered
    png = write_chart(summary, tmp_path / "top.png", top_n=5)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


@needs_chromium
def test_cli_render(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_text(RECORDS[0]["text"], encoding="utf-8")
    (src / "b.txt").write_text(RECORDS[1]["text"], encoding="utf-8")
    cfg = tmp_path / "light.json"
    cfg.write_text(json.dumps(LIGHT), encoding="utf-8")
    cli = ROOT / ".venv" / "bin" / "arabic-ner"
    cmd = [str(cli)] if cli.exists() else [sys.executable, "-m", "pipeline"]
    out = subprocess.run(cmd + ["render", str(src), "-o", str(tmp_path / "out.html"), "--config", str(cfg)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    got = chromium_probe(tmp_path / "out.html", tmp_path)
    assert {(m["doc"], m["text"], m["type"]) for m in got["marks"]} >= {
        ("doc-a", "القاهرة", "LOC"), ("doc-b", "يوم 15 مارس 2025", "DATE")}
    bad = subprocess.run(cmd + ["render", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "x.html")],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "missing.jsonl" in bad.stderr and not (tmp_path / "x.html").exists()
