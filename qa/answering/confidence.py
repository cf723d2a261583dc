"""How likely the corpus answers a question: a logistic model over the answer's ``Evidence``.

The weights are a small JSON file beside this module (``confidence.json``), fitted on the dev
splits of the question sets by ``python -m eval.quality.confidence``, which also chooses the
``min_confidence`` default on them and prints the refusal curve. No pickle: the file holds
the feature names, a mean and a spread to scale each, the weights and the intercept.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from qa.errors import QAError
from qa.types import Evidence

MODEL = Path(__file__).with_name("confidence.json")
FEATURES = tuple(f.name for f in fields(Evidence))


@dataclass(frozen=True)
class ConfidenceModel:
    """``sigmoid(intercept + Σ weight · (feature − mean) / spread)``."""

    mean: tuple[float, ...]
    spread: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def confidence(self, evidence: Evidence) -> float:
        z = self.intercept + sum(
            w * (x - m) / s
            for w, x, m, s in zip(
                self.weights, astuple(evidence), self.mean, self.spread, strict=True
            )
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self, trained_on: str) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "mean": list(self.mean),
                "spread": list(self.spread),
                "weights": list(self.weights),
                "intercept": self.intercept,
                "trained_on": trained_on,
            },
            indent=2,
        )


@functools.cache
def load_model(path: Path = MODEL) -> ConfidenceModel:
    """The model in ``path``.

    Raises:
        QAError: The file is missing, not JSON, or for other features than ``Evidence`` has.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["features"] != list(FEATURES):
            raise ValueError(f"features {data['features']} are not {list(FEATURES)}")
        model = ConfidenceModel(
            tuple(map(float, data["mean"])),
            tuple(float(s) or 1.0 for s in data["spread"]),
            tuple(map(float, data["weights"])),
            float(data["intercept"]),
        )
        if not len(model.mean) == len(model.spread) == len(model.weights) == len(FEATURES):
            raise ValueError("one number per feature is needed in mean, spread and weights")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QAError(
            f"cannot read the confidence model {path}: {error}; "
            "refit it with: python -m eval.quality.confidence"
        ) from None
    return model
