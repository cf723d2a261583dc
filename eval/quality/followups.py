"""Follow-up questions, answered in a conversation: how the words of the earlier questions count.

    python -m eval.quality.followups    # about 10 minutes; eval/results/followups.json

Two kinds of follow-up, both made of dev questions (tuning on them is tuning on dev):

- written: ``followups.jsonl``, 20 conversations of two questions. The second is a dev question
  (``like``) rewritten to lean on the first ("What is Ninja?", then "What is its default
  progress status format?"); it is right when its answer holds one of that dev question's
  expected strings and cites its document.
- switch: each dev question that opens with a question word, asked as "And <question>" after
  the dev question seven places on: the conversation changes subject, and the answer should be
  the one the question gets alone.

Per value of ``answer_own_question_weight`` (0: a follow-up's sentences are chosen by their
likeness to the joined query, 1: to the question as written) it prints the answers right (and
refused) of each.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from eval import RESULTS
from eval.quality.metrics import contains_answer
from eval.quality.questions import DEV_SETS, QUESTION_SETS, Question
from eval.quality.run import cites_gold, gold_documents, quoted_documents
from qa.ingest import read_corpus
from qa.service import QA

CONVERSATIONS = Path(__file__).with_name("followups.jsonl")
WEIGHTS = (0.0, 0.5, 1.0)
SWITCH_STEP = 7  # the earlier question of a switch: the dev question this many places on
_OPENERS = frozenset("what who whom which when where why how is are does do did can".split())


def conversations(questions: dict[str, Question]) -> list[tuple[str, str, str, Question]]:
    """The written follow-ups: (set, earlier question, follow-up, the dev question it is)."""
    rows = [json.loads(line) for line in CONVERSATIONS.read_text().splitlines() if line]
    return [(r["set"], r["earlier"], r["question"], questions[r["like"]]) for r in rows]


def switches(name: str, dev: list[Question]) -> list[tuple[str, str, str, Question]]:
    """The subject changes: "And <question>" after another dev question of the same set."""
    rows = []
    for i, question in enumerate(dev):
        first, _, rest = question.question.partition(" ")
        if first.lower() in _OPENERS:
            earlier = dev[(i + SWITCH_STEP) % len(dev)].question
            rows.append((name, earlier, f"And {first.lower()} {rest}", question))
    return rows


def score(services: dict[str, QA], cases: list[tuple[str, str, str, Question]]) -> dict:
    """Answerable cases answered right (expected string, its document cited), and refused."""
    right = refused = answerable = 0
    for name, earlier, question, dev in cases:
        answer = services[name].answer(question, history=[earlier])
        refused += not answer.confident
        if dev.answerable:
            answerable += 1
            right += contains_answer(answer.text, dev.answers) and cites_gold(
                quoted_documents(answer), gold_documents(dev)
            )
    return {"cases": len(cases), "answerable": answerable, "right": right, "refused": refused}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS / "followups.json")
    args = parser.parse_args(argv)
    dev: dict[str, list[Question]] = {}
    for name in DEV_SETS:
        documents, _ = read_corpus(QUESTION_SETS[name].corpus)
        dev[name] = QUESTION_SETS[name].load("dev", documents)
    by_id = {q.id: q for questions in dev.values() for q in questions}
    written = conversations(by_id)
    switched = [row for name in DEV_SETS for row in switches(name, dev[name])]
    results = []
    with tempfile.TemporaryDirectory(prefix="qa-followups-") as work:
        for weight in WEIGHTS:
            services = {
                name: QA(
                    QUESTION_SETS[name].corpus,
                    Path(work) / name,
                    progress=False,
                    answer_own_question_weight=weight,
                )
                for name in DEV_SETS
            }
            row = {"own_question_weight": weight, "written": score(services, written)}
            row["switch"] = score(services, switched)
            results.append(row)
            w, s = row["written"], row["switch"]
            print(
                f"own question weight {weight:<4}  written: {w['right']} of {w['answerable']} "
                f"right, "
                f"{w['refused']} refused  switch: {s['right']} of {s['answerable']} right, "
                f"{s['refused']} of {s['cases']} refused",
                flush=True,
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
