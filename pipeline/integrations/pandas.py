"""pandas helper: a DataFrame of documents in, the mention table out.

    import pandas as pd, pipeline
    articles = pd.read_csv("articles.csv")
    mentions = pipeline.extract_frame(articles, text_col="body", id_col="article_id")
    mentions = articles.pipe(pipeline.extract_frame, text_col="body", id_col="article_id")   # the same

One row per mention, in the columns of ``arabic-ner extract`` (``pipeline.table``), plus any
``keep`` columns copied from the input row. ``doc_id`` holds the values of ``id_col`` (their own
dtype, so the table merges back onto the input), or the input's index when ``id_col`` is None.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..table import columns_for, mention_rows

if TYPE_CHECKING:  # pandas is imported by callers anyway; keep this module import-light
    import pandas as pd

    from ..pipeline import Pipeline

_DEFAULT: dict[str, Any] = {}


def default_pipeline() -> "Pipeline":
    """``Pipeline.default()``, built once per process (loading the model takes a moment)."""
    nlp = _DEFAULT.get("nlp")
    if nlp is None:
        from ..pipeline import Pipeline

        nlp = _DEFAULT["nlp"] = Pipeline.default()
    return nlp


def extract_frame(df: "pd.DataFrame", text_col: str = "text", id_col: str | None = None,
                  keep: Sequence[str] | str = (), nlp: "Pipeline | None" = None,
                  context_chars: int = 60, batch_size: int = 64) -> "pd.DataFrame":
    """The mention table for the documents in ``df`` (one document a row).

    ``text_col``: the column holding the text (missing values are empty documents).
    ``id_col``: the column identifying a document; None uses the index. Ids need not be strings.
    ``keep``: input columns copied into every mention row (a name or a list of names).
    ``nlp``: the pipeline to run (default: ``Pipeline.default()``, built once and reused).
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"extract_frame takes a pandas DataFrame, got {type(df).__name__}")
    keep = [keep] if isinstance(keep, str) else list(keep)
    missing = [c for c in [text_col, id_col, *keep] if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"column(s) {', '.join(map(repr, missing))} not in the DataFrame "
                       f"(columns: {', '.join(map(str, df.columns))})")
    ids = df.index if id_col is None else df[id_col]
    by_key: dict[str, Any] = {}
    duplicated = ids.duplicated()
    if duplicated.any():
        raise ValueError(f"{'index' if id_col is None else repr(id_col)} has duplicate ids "
                         f"(e.g. {ids[duplicated].iloc[0]!r}); pass an id_col with one value a document")
    if id_col is not None and ids.isna().any():
        raise ValueError(f"id column {id_col!r} has missing values")

    def documents() -> Iterator[Document]:
        texts = df[text_col]
        kept = {c: df[c] for c in keep}
        for i, (doc_id, text) in enumerate(zip(ids, texts)):
            key = str(doc_id)
            by_key[key] = doc_id
            meta = {c: _scalar(kept[c].iloc[i]) for c in keep}
            yield Document("" if _missing(text) else str(text), id=key, meta=meta)

    nlp = nlp if nlp is not None else default_pipeline()
    rows: list[dict[str, Any]] = []
    for doc in nlp.pipe(documents(), batch_size=batch_size):
        rows.extend(mention_rows(doc, keep, context_chars))
    frame = pd.DataFrame(rows, columns=columns_for(keep))
    frame["doc_id"] = frame["doc_id"].map(by_key)
    try:  # the ids' own dtype (int, string, category...), so the table merges back onto df
        frame["doc_id"] = frame["doc_id"].astype(ids.dtype)
    except (TypeError, ValueError):
        pass
    return frame


def _missing(value: Any) -> bool:
    try:
        import pandas as pd

        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other non-scalars
        return False


def _scalar(value: Any) -> Any:
    return None if _missing(value) else value
