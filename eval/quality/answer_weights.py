"""Choose the answer's score weights on the dev splits' answer accuracy.

    python -m eval.quality.answer_weights    # about 15 minutes; eval/results/answer-weights.json

Each set's corpus (Basra and the real documents) is indexed once with the default settings and
every dev question's top 5 passages are retrieved once; then each point of a grid of
``answer_term_weight``, ``answer_passage_weight`` and ``answer_type_weight`` answers every
question from those passages (sentence embeddings are computed once and reused). Prints the
best points and where the default stands, by answerable questions answered (both sets
together), then by fewer wrong refusals.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from eval import RESULTS
from eval.quality.metrics import contains_answer
from eval.quality.questions import DEV_SETS, QUESTION_SETS
from qa.answering.extractive import ExtractiveAnswerer
from qa.service import QA
from qa.settings import AnswerSettings

GRID = {
    "answer_term_weight": (0.2, 0.3, 0.5, 0.7, 1.0),
    "answer_passage_weight": (0.0, 0.1, 0.2, 0.3, 0.5),
    "answer_type_weight": (0.1, 0.2, 0.3, 0.5),
}
K = 5  # passages answered from, as QA.answer's default


class MemoEncoder:
    """An encoder that embeds each distinct text once: every grid point asks for the same
    candidate sentences."""

    def __init__(self, encoder) -> None:  # noqa: ANN001 (embeddings.encoder.Encoder)
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], **_: object) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if new:
            self.vectors.update(zip(new, self.encoder.encode(new), strict=True))
        return np.stack([self.vectors[t] for t in texts])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS / "answer-weights.json")
    args = parser.parse_args(argv)
    sets = {}
    with tempfile.TemporaryDirectory(prefix="qa-answer-weights-") as work:
        for name in DEV_SETS:
            question_set = QUESTION_SETS[name]
            questions = question_set.load("dev")
            qa = QA(question_set.corpus, Path(work) / name, progress=False)
            qa.index()
            texts = [q.question for q in questions]
            vectors = qa.retriever.embed(texts)
            found = qa.retriever.search_batch(texts, K, "hybrid", vectors)
            answerer = (MemoEncoder(qa.encoder), qa.retriever.index.word_weights)
            sets[name] = (questions, texts, vectors, found, answerer)
        points = []
        for values in itertools.product(*GRID.values()):
            weights = dict(zip(GRID, values, strict=True))
            point: dict[str, object] = dict(weights)
            for name, (questions, texts, vectors, found, (encoder, words)) in sets.items():
                settings = replace(AnswerSettings(), **weights)
                answerer = ExtractiveAnswerer(encoder, words, settings)  # type: ignore[arg-type]
                answers = [
                    answerer.answer(t, f, v) for t, f, v in zip(texts, found, vectors, strict=True)
                ]
                answerable = [(q, a) for q, a in zip(questions, answers, strict=True) if q.gold]
                point[name] = sum(contains_answer(a.text, q.answers) for q, a in answerable)
                point[f"{name}_refused"] = sum(not a.confident for _, a in answerable)
                point[f"{name}_answerable"] = len(answerable)
            points.append(point)
    points.sort(key=lambda p: (-sum(p[s] for s in sets), sum(p[f"{s}_refused"] for s in sets)))
    default = {k: getattr(AnswerSettings(), k) for k in GRID}
    rank = next(i for i, p in enumerate(points, 1) if all(p[k] == v for k, v in default.items()))
    args.out.write_text(json.dumps({"default": default, "points": points}, indent=1) + "\n")
    for p in points[:10]:
        print(p)
    print(f"default {default}: rank {rank} of {len(points)}: {points[rank - 1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
