"""The common tutorial recipe, as the baseline every configuration is compared with.

LangChain's ``RecursiveCharacterTextSplitter`` (1000 characters, 200 overlap) over each
document's whole text, all-MiniLM-L6-v2 through sentence-transformers' ``encode`` with its
defaults (fp32, batches of 32), a flat FAISS index, dense search only. No structure (boilerplate
and comments are indexed as they come), no lexical search, no duplicate handling.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter

from embeddings import DEFAULT_MODEL
from embeddings.encoder import resolve_model
from eval.quality.metrics import Span
from qa.types import Document


class TutorialRecipe:
    """Indexes ``documents`` the tutorial way; each hit comes back as a one-place list.

    ``seconds`` holds how long each step took: "model" (loading), "split", "embedding" and
    "index" (building the FAISS index).
    """

    def __init__(self, documents: Sequence[Document], model: str = DEFAULT_MODEL) -> None:
        self.seconds: dict[str, float] = {}
        self.model = _load_model(model, self.seconds)
        started = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=1000, chunk_overlap=200, add_start_index=True
        )
        self.spans: list[Span] = []
        self.texts: list[str] = []
        for doc in documents:
            for piece in splitter.create_documents([doc.text]):
                start = piece.metadata["start_index"]
                self.spans.append(Span(doc.doc_id, start, start + len(piece.page_content)))
                self.texts.append(piece.page_content)
        self.seconds["split"] = time.perf_counter() - started
        started = time.perf_counter()
        vectors = np.asarray(self.model.encode(self.texts), dtype=np.float32)
        self.seconds["embedding"] = time.perf_counter() - started
        started = time.perf_counter()
        self.index = faiss.IndexFlatL2(vectors.shape[1])
        self.index.add(vectors)
        self.seconds["index"] = time.perf_counter() - started

    def search_batch(self, questions: Sequence[str], k: int) -> list[list[list[Span]]]:
        vectors = np.asarray(self.model.encode(list(questions)), dtype=np.float32)
        _, rows = self.index.search(vectors, min(k, self.index.ntotal))
        return [[[self.spans[r]] for r in found if r >= 0] for found in rows]

    def save(self, folder: Path) -> None:
        """The index and chunk texts, as a tutorial's ``save_local`` would keep them."""
        folder.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self.index, str(folder / "index.faiss"))
        records = [
            [span.doc_id, span.start, span.end, text]
            for span, text in zip(self.spans, self.texts, strict=True)
        ]
        (folder / "chunks.json").write_text(json.dumps(records))

    @classmethod
    def load(cls, folder: Path, model: str = DEFAULT_MODEL) -> TutorialRecipe:
        """A recipe saved with ``save``: nothing is split or embedded again."""
        recipe = cls.__new__(cls)
        recipe.seconds = {}
        recipe.model = _load_model(model, recipe.seconds)
        recipe.index = faiss.read_index(str(folder / "index.faiss"))
        records = json.loads((folder / "chunks.json").read_text())
        recipe.spans = [Span(doc_id, start, end) for doc_id, start, end, _ in records]
        recipe.texts = [text for *_, text in records]
        return recipe


def _load_model(model: str, seconds: dict[str, float]):
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    loaded = SentenceTransformer(resolve_model(model), device="cpu")
    seconds["model"] = time.perf_counter() - started
    return loaded
