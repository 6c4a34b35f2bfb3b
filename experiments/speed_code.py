"""`arabic-ner extract --workers 1` end to end with several copies of the code, interleaved in one run.

    python experiments/speed_code.py /tmp/speed_base . [--model models/ner] [--articles 2000] [--rounds 2]

Each argument is a source tree put first on PYTHONPATH for the CLI (e.g. a `git worktree add --detach`
of the commit to compare with). Prints words per wall second and per CPU second (user + sys of the child),
best of the rounds, start-up included, on the first N SaudiNewsNet articles.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed_models import compare  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--model", type=Path, default=Path("models/ner"))
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    compare({str(t): (args.model, {"PYTHONPATH": str(t.resolve())}) for t in args.trees}, args.articles, args.rounds,
            args.shared, f", model {args.model}")


if __name__ == "__main__":
    main()
