"""The errors of the embedding layer. ``qa`` turns them into its own ``QAError``s at the point
where it calls this layer, so that this package needs nothing from the one above it."""


class EmbeddingsError(Exception):
    """Base class of every error this package raises on purpose."""


class ModelError(EmbeddingsError):
    """The embedding model cannot be loaded."""


class VectorIndexError(EmbeddingsError):
    """A stored vector index cannot be read (missing, truncated or not a FAISS index)."""
