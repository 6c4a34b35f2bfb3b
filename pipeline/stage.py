"""What batch stages share: ``__call__`` and ``pipe`` over one ``_process(list_of_docs)``."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .document import Document


class BatchStage:
    """Base for stages that are faster on many documents at once (a model tagging sentences in bulk).

    Subclasses define ``_process(docs)``, which updates the documents in place.
    """

    def _process(self, docs: list[Document]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, doc: Document) -> Document:
        self._process([doc])
        return doc

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._process(batch)
                yield from batch
                batch = []
        if batch:
            self._process(batch)
            yield from batch
