"""Shared test helpers: a fake recognizer stage (tests only) and a light pipeline config.

The fake stage lives here so spawned workers and ``arabic-ner`` subprocesses can import it
(``PYTHONPATH=tests``, config ``{"imports": ["conftest"], ...}``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.document import Entity
from pipeline.pipeline import register_stage

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared" / "data"
NEWS = SHARED / "news" / "saudinewsnet.jsonl.gz"
CLI = ROOT / ".venv" / "bin" / "arabic-ner"

WORDS = {"القاهرة": "LOC", "مصر": "LOC", "الرياض": "LOC", "أرامكو": "ORG", "=SUM(A1)": "PER", "@محمد": "PER"}


class FakeTagger:
    """Test-only recognizer: tags every occurrence of a few words; fails on documents containing
    ``fail_on``; kills its process on ``crash_on``; sleeps ``delay`` seconds a document (to interrupt runs); tags ``meta["published"]``
    as a DATE value on the last word when present."""

    name = "fake_tagger"

    def __init__(self, fail_on: str = "XXFAIL", delay: float = 0.0, crash_on: str | None = None):
        self.fail_on = fail_on
        self.delay = delay
        self.crash_on = crash_on  # kill the process (like the OOM killer) on such documents

    def __call__(self, doc):
        if self.crash_on and self.crash_on in doc.text:
            os.kill(os.getpid(), 9)
        if self.fail_on and self.fail_on in doc.text:
            raise ValueError(f"fake failure on {self.fail_on}")
        if self.delay:
            time.sleep(self.delay)
        for tok in doc.tokens:
            label = WORDS.get(doc.text[tok.start:tok.end])
            if label:
                doc.candidates.append(Entity(tok.start, tok.end, label, 0.9, "model"))
        for word, label in WORDS.items():  # strings the tokenizer splits (=SUM(A1), @name)
            if not word.isalpha():
                at = doc.text.find(word)
                while at >= 0:
                    doc.candidates.append(Entity(at, at + len(word), label, 0.9, "model"))
                    at = doc.text.find(word, at + 1)
        words = [t for t in doc.tokens if t.norm.isalpha()]
        if doc.meta.get("published") and words:
            t = words[-1]
            doc.candidates.append(Entity(t.start, t.end, "DATE", 1.0, "rule", value=str(doc.meta["published"])))
        return doc


register_stage("fake_tagger", FakeTagger)


def light_config(**tagger: object) -> dict:
    return {"imports": ["conftest"],
            "stages": [{"name": "normalizer"}, {"name": "tokenizer"}, {"name": "fake_tagger", **tagger},
                       {"name": "finisher", "types": ["PER", "ORG", "LOC", "DATE"]}]}


def make_records(n: int, start: int = 0) -> list[dict]:
    """Synthetic news-like records (no shared data needed)."""
    places = ["القاهرة", "مصر", "الرياض", "جدة"]
    recs = []
    for i in range(start, start + n):
        text = (f"زار الوفد رقم {i} {places[i % 4]} اليوم. وقالت أرامكو إن التعاون مع {places[(i + 1) % 4]} مستمر.\n"
                f"وأضاف المتحدث أن الاجتماع القادم في {places[(i + 2) % 4]}.")
        recs.append({"id": f"d{i:04d}", "source": "test", "published": f"2015-07-{1 + i % 28:02d}", "text": text})
    return recs


def write_jsonl(path: Path, records: list, raw_lines: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for pos, line in sorted((raw_lines or {}).items()):
        lines.insert(pos, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    p = tmp_path / "pipeline.json"
    p.write_text(json.dumps(light_config()), encoding="utf-8")
    return p


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_cli(*args: object, input: bytes | None = None, cwd: Path | None = None, timeout: float = 120,
            **kwargs) -> subprocess.CompletedProcess:
    """``arabic-ner ARGS`` in a subprocess (the console script if installed, else ``python -m pipeline``)."""
    cmd = [str(CLI)] if CLI.exists() else [sys.executable, "-m", "pipeline"]
    return subprocess.run(cmd + [str(a) for a in args], input=input, capture_output=True, cwd=cwd,
                          env=cli_env(), timeout=timeout, **kwargs)


@pytest.fixture(autouse=True)
def _tests_on_path(monkeypatch):
    # spawned workers inherit sys.path; make "conftest" importable there by name
    if str(TESTS) not in sys.path:
        monkeypatch.syspath_prepend(str(TESTS))


def news_lines(n: int) -> list[bytes]:
    if not NEWS.exists():
        pytest.skip(f"{NEWS} is absent (../shared/data not available)")
    import gzip

    out = []
    with gzip.open(NEWS, "rb") as f:
        for line in f:
            out.append(line)
            if len(out) >= n:
                break
    return out
