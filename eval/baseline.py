"""The common tutorial recipe, as the baseline every configuration is compared with.

LangChain's ``RecursiveCharacterTextSplitter`` (1000 characters, 200 overlap) over each
document's whole text, all-MiniLM-L6-v2 through sentence-transformers' ``encode`` with its
defaults (fp32), a flat FAISS index, dense search only. No structure (boilerplate and comments
are indexed as they come), no lexical search, no duplicate handling.
"""

from __future__ import annotations

from collections.abc import Sequence

import faiss
import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter

from embeddings.encoder import resolve_model
from eval.metrics import Span
from qa.config import DEFAULT_MODEL
from qa.types import Document


class TutorialRecipe:
    """Indexes ``documents`` the tutorial way; each hit comes back as a one-place list."""

    def __init__(self, documents: Sequence[Document], model: str = DEFAULT_MODEL) -> None:
        from sentence_transformers import SentenceTransformer

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=1000, chunk_overlap=200, add_start_index=True
        )
        self.spans: list[Span] = []
        texts: list[str] = []
        for doc in documents:
            for piece in splitter.create_documents([doc.text]):
                start = piece.metadata["start_index"]
                self.spans.append(Span(doc.doc_id, start, start + len(piece.page_content)))
                texts.append(piece.page_content)
        self.model = SentenceTransformer(resolve_model(model), device="cpu")
        vectors = np.asarray(self.model.encode(texts), dtype=np.float32)
        self.index = faiss.IndexFlatL2(vectors.shape[1])
        self.index.add(vectors)

    def search_batch(self, questions: Sequence[str], k: int) -> list[list[list[Span]]]:
        vectors = np.asarray(self.model.encode(list(questions)), dtype=np.float32)
        _, rows = self.index.search(vectors, min(k, self.index.ntotal))
        return [[[self.spans[r]] for r in found if r >= 0] for found in rows]
