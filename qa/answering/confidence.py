"""How likely the corpus answers a question: a logistic model over the answer's ``Evidence``.

The weights are a small JSON file beside this module (``confidence.json``), fitted on the dev
splits of the question sets by ``python -m eval.quality.confidence``, which also chooses which
of the ``Evidence`` fields the model weighs, and the ``min_confidence`` default, on them, and
prints the refusal curve. No pickle: the file holds the names of the features weighed, a mean
and a spread to scale each, the weights and the intercept.
"""

from __future__ import annotations

import functools
import json
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import numpy as np

from qa.errors import QAError
from qa.types import Evidence

MODEL = Path(__file__).with_name("confidence.json")
FEATURES = tuple(f.name for f in fields(Evidence))


@dataclass(frozen=True)
class ConfidenceModel:
    """``sigmoid(intercept + Σ weight · (feature − mean) / spread)`` over the ``Evidence``
    fields named in ``features``."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    spread: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def values(self, evidence: Evidence) -> tuple[float, ...]:
        """The features this model weighs, of ``evidence``."""
        every = dict(zip(FEATURES, astuple(evidence), strict=True))
        return tuple(every[name] for name in self.features)

    def confidence(self, evidence: Evidence) -> float:
        return float(self.confidences(np.array([self.values(evidence)]))[0])

    def confidences(self, values: np.ndarray) -> np.ndarray:
        """The confidence of each row of ``values``: the features this model weighs, in its
        order, one a column (a row holding NaN gives NaN)."""
        z = self.intercept + ((values - np.array(self.mean)) / np.array(self.spread)) @ np.array(
            self.weights
        )
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))

    def to_json(self, trained_on: str) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "mean": list(self.mean),
                "spread": list(self.spread),
                "weights": list(self.weights),
                "intercept": self.intercept,
                "trained_on": trained_on,
            },
            indent=2,
        )


def weighed(evidence: Evidence, min_answer_similarity: float) -> bool:
    """Whether ``evidence`` is weighed at all: a sentence within ``min_answer_similarity`` of
    the question, in a passage holding one of its words at least. Otherwise the answer has
    no confidence (0): "Who won the 1998 World Cup?" matched to a sentence on a "win" for
    Iran, by its likeness alone, is no answer, however its other signals read."""
    return evidence.similarity >= min_answer_similarity and evidence.passage_terms > 0


@functools.cache
def load_model(path: Path = MODEL) -> ConfidenceModel:
    """The model in ``path``.

    Raises:
        QAError: The file is missing, not JSON, or weighs a feature ``Evidence`` does not have.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        unknown = [name for name in data["features"] if name not in FEATURES]
        if unknown or not data["features"]:
            raise ValueError(f"features {data['features']} are not among {list(FEATURES)}")
        model = ConfidenceModel(
            tuple(map(str, data["features"])),
            tuple(map(float, data["mean"])),
            tuple(float(s) or 1.0 for s in data["spread"]),
            tuple(map(float, data["weights"])),
            float(data["intercept"]),
        )
        if not len(model.mean) == len(model.spread) == len(model.weights) == len(model.features):
            raise ValueError("one number per feature is needed in mean, spread and weights")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QAError(
            f"cannot read the confidence model {path}: {error}; "
            "refit it with: python -m eval.quality.confidence"
        ) from None
    return model
