"""Dense side of retrieval: the sentence-transformers encoder and the FAISS vector index."""

from embeddings.encoder import Encoder, load_encoder, resolve_model
from embeddings.vector_index import VectorIndex

__all__ = ["Encoder", "VectorIndex", "load_encoder", "resolve_model"]
