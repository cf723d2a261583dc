"""The generated answer beside the extractive one, on the question sets, for whoever has a model.

    python -m eval.quality.generated --llm http://127.0.0.1:11434/v1 --llm-model llama3.2
    python -m eval.quality.generated --llm URL --set realdocs --split test --limit 20

Each question is answered twice over the same index and passages: extractively, and by the
model at ``--llm`` with its citations checked. Reported per answerer: answer accuracy (the
answer holds a gold answer string; answerable questions), refusal (the answer is not confident
or, for the generated one, the model's answer was set aside for the extractive one), and for
the generated one the citation support rate (the share of its sentences supported by the
passage they cite) and how often it fell back, and why. Written to
``eval/results/generated-<set>-<split>.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence

from tqdm import tqdm

from eval import RESULTS
from eval.quality.metrics import contains_answer
from eval.quality.questions import QUESTION_SETS, SPLITS, load_questions
from qa.answering.generated import FALLBACK
from qa.ingest import read_corpus
from qa.paths import qa_home
from qa.service import QA
from qa.types import Answer


def _rates(answers: Sequence[Answer], gold: Sequence[tuple[str, ...]]) -> dict[str, float]:
    answerable = [i for i, g in enumerate(gold) if g]
    right = sum(contains_answer(answers[i].text, gold[i]) for i in answerable)
    refused = sum(not a.confident or bool(a.note and FALLBACK in a.note) for a in answers)
    return {
        "accuracy": round(right / len(answerable), 3) if answerable else 0.0,
        "refusal": round(refused / len(answers), 3) if answers else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.quality.generated", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--llm", required=True, metavar="URL", help="OpenAI-compatible /v1 URL")
    parser.add_argument("--llm-model", metavar="NAME", help="the model's name at --llm")
    parser.add_argument("--set", choices=sorted(QUESTION_SETS), default="basra")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--limit", type=int, help="the first N questions only")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per answer")
    args = parser.parse_args(argv)
    question_set = QUESTION_SETS[args.set]
    documents, _ = read_corpus(question_set.corpus)
    questions = load_questions(
        {d.doc_id: d for d in documents}, args.split, question_set.questions
    )[: args.limit]
    index_dir = qa_home() / "generated-eval" / args.set
    extractive = QA(question_set.corpus, index_dir, progress=False)
    extractive.index()
    generated = QA(
        question_set.corpus,
        index_dir,
        progress=False,
        llm=args.llm,
        llm_model=args.llm_model,
        llm_timeout=args.timeout,
    )
    plain, written = [], []
    for q in tqdm(questions, desc=f"{args.set} {args.split}", unit="question"):
        plain.append(extractive.answer(q.question))
        written.append(generated.answer(q.question))
    gold = [q.answers if q.answerable else () for q in questions]
    checks = [c for a in written for c in a.checks]
    fallbacks = Counter(
        a.note.removesuffix(f" {FALLBACK}") for a in written if a.note and FALLBACK in a.note
    )
    kept = [a for a in written if not (a.note and FALLBACK in a.note)]
    report = {
        "set": args.set,
        "split": args.split,
        "questions": len(questions),
        "llm_model": args.llm_model,
        "extractive": _rates(plain, gold),
        "generated": {
            **_rates(written, gold),
            "kept": len(kept),
            "sentences_checked": len(checks),
            "support_rate": round(sum(c.supported for c in checks) / len(checks), 3)
            if checks
            else None,
            "fell_back": dict(fallbacks.most_common()),
        },
    }
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"generated-{args.set}-{args.split}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
