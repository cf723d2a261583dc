"""The project's exceptions. The CLI and the UI turn each into one line for the user."""


class QAError(Exception):
    """Base class of every error this package raises on purpose."""


class QuestionError(QAError, ValueError):
    """The question cannot be asked as given (empty, too long, bad parameters)."""


class SettingsError(QAError, ValueError):
    """A setting has an invalid value or an unknown name."""


class CorpusError(QAError):
    """The corpus folder is missing, not a folder, or holds no readable document."""


class IndexCorruptError(QAError):
    """An index on disk is damaged, incomplete, or was built with other settings."""


class IndexFormatError(IndexCorruptError):
    """An index on disk was written by another version of this program, in another format."""


class IndexWriteError(QAError):
    """The index cannot be written (the disk is full, no permission); the previous index, if
    there was one, is kept unchanged. The ``OSError`` is its ``__cause__``."""


class StoreUnavailableError(QAError):
    """The store cannot be used: its database is unreachable, refuses the login, or lacks what
    the index needs (the ``vector`` extension). The message says which, and what to do."""


class ModelError(QAError):
    """The embedding model cannot be loaded."""


class DocumentNotFoundError(QAError, LookupError):
    """No document of that id is in the index (it was removed, or the id is wrong)."""


class UploadError(QAError, ValueError):
    """An uploaded file is refused (its name, size, kind or content); nothing was saved."""


class GenerationError(QAError):
    """The language model endpoint could not write an answer: it is unreachable, too slow,
    answered with an error status or with something that is not a chat completion stream. The
    message is one line for the user (never the API key); the extractive answer is given
    instead."""
