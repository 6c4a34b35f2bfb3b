"""The README's user-group sections are copy-paste examples: run every code block in them.

From "## News-dump batch" to the end: ```python blocks are executed, ```bash blocks that call
``.venv/bin/arabic-ner`` are run with bash, the ```ini block is loaded as a spaCy config; all in a
scratch folder holding the small inputs the examples name (news/*.jsonl.gz, articles.csv). A block
after ``<!-- readme-test: camel -->`` runs against the tiny camel-tools data of test_camel_backends.
"""
import contextlib
import gzip
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_camel_backends import (write_catalogue, write_mle_model, write_morphology_db,  # noqa: E402
                                 write_tiny_bert)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIRST_SECTION = "## News-dump batch"
BLOCK = re.compile(r"(<!-- readme-test: (?P<tag>\w+) -->\n)?```(?P<lang>\w*)\n(?P<code>.*?)```", re.S)


def blocks() -> list[tuple[str, str, str]]:
    text = README.read_text(encoding="utf-8")
    assert FIRST_SECTION in text, f"README.md lost its {FIRST_SECTION!r} section"
    text = text[text.index(FIRST_SECTION):]
    return [(m["lang"], m["tag"] or "", m["code"]) for m in BLOCK.finditer(text)]


def test_sections_present_and_blocks_found():
    text = README.read_text(encoding="utf-8")
    for title in ("## News-dump batch", "## Researcher CSV", "## Pipeline integration", "## Seeing the results"):
        assert title in text
    langs = [lang for lang, _, _ in blocks()]
    assert langs.count("python") >= 3 and langs.count("bash") >= 3 and "ini" in langs


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    from pipeline.paths import default_model_dir

    if not (default_model_dir() / "meta.json").exists():
        pytest.skip(f"the README examples use the shipped NER model, absent at {default_model_dir()}; run `make train`")
    work = tmp_path_factory.mktemp("readme")
    (work / ".venv").symlink_to(ROOT / ".venv")
    (work / "news").mkdir()
    records = [
        {"id": "n1", "published": "2024-06-08", "url": "https://example.org/1",
         "text": "وصل الوفد إلى القاهرة أمس والتقى وزير الخارجية سامح شكري."},
        {"id": "n2", "published": "2024-06-09", "url": "https://example.org/2",
         "text": "عقد سفير كازاخستان لدى مصر اجتماعا في 7 يونيو 2024 مع منظمة التعاون الإسلامي."},
        {"id": "n3", "published": "2024-06-10", "url": "https://example.org/3", "text": "وغادر الوفد إلى الرياض."},
    ]
    with gzip.open(work / "news" / "2024-06.jsonl.gz", "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    import pandas as pd

    pd.DataFrame({"article_id": [101, 102, 103], "body": [r["text"] for r in records],
                  "site": ["a", "b", "a"]}).to_csv(work / "articles.csv", index=False)
    return work


def _run_python(code: str, cwd: Path) -> str:
    out = io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    finally:
        os.chdir(old)
    return out.getvalue()


def test_bash_examples(workdir):
    ran = 0
    for lang, _, code in blocks():
        if lang != "bash" or not code.lstrip().startswith(".venv/bin/arabic-ner"):
            continue
        out = subprocess.run(["bash", "-e", "-c", code], cwd=workdir, capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, f"README block failed:\n{code}\n{out.stderr[-2000:]}"
        ran += 1
    assert ran >= 3
    import pandas as pd

    entities = pd.read_parquet(workdir / "entities.parquet")
    assert {"LOC", "DATE"} <= set(entities["type"]) and "url" in entities.columns
    assert "2024-06-07" in set(entities["value"])  # أمس, published 2024-06-08
    mentions = pd.read_csv(workdir / "mentions.csv", encoding="utf-8-sig")
    assert set(mentions["doc_id"]) <= {101, 102, 103} and "site" in mentions.columns
    page = (workdir / "found.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in page and 'data-type="LOC"' in page
    assert (workdir / "top.png").read_bytes()[:4] == b"\x89PNG"


def test_python_examples(workdir):
    ran = 0
    for lang, tag, code in blocks():
        if lang != "python" or tag:
            continue
        if "import spacy" in code:
            pytest.importorskip("spacy")
        printed = _run_python(code, workdir)
        assert printed.strip(), f"README block printed nothing:\n{code}"
        ran += 1
    assert ran >= 2


def test_spacy_config_example(workdir):
    spacy = pytest.importorskip("spacy")
    cfg = next(code for lang, _, code in blocks() if lang == "ini")
    path = workdir / "arabic.cfg"
    path.write_text(cfg, encoding="utf-8")
    nlp = spacy.util.load_model_from_config(spacy.util.load_config(path), auto_fill=True)
    doc = nlp("عقد سفير كازاخستان لدى مصر اجتماعا بالقاهرة في 7 يونيو 2024")
    assert ("القاهرة", "LOC") in [(e.text, e.label_) for e in doc.ents]
    assert [e._.value for e in doc.ents if e.label_ == "DATE"] == ["2024-06-07"]


@pytest.mark.slow
def test_camel_example_on_tiny_camel_data(tmp_path):
    pytest.importorskip("transformers")
    code = next(code for lang, tag, code in blocks() if tag == "camel")
    data = tmp_path / "camel_data"
    write_catalogue(data)
    write_morphology_db(data / "data" / "morphology_db" / "calima-msa-r13" / "morphology.db")
    write_mle_model(data / "data" / "disambig_mle" / "calima-msa-r13" / "model.json")
    write_tiny_bert(data / "data" / "ner" / "arabert")
    (tmp_path / "home").mkdir()
    env = dict(os.environ, CAMELTOOLS_DATA=str(data), HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT),
               TRANSFORMERS_OFFLINE="1", HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    assert "('محمد علي', 'PER', 'model')" in lines[0] and "('القاهرة', 'LOC'" in lines[0]
    assert "'ب', 'القاهرة'" in lines[1] and "'قاهرة'" in lines[1]
