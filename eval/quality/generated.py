"""The generated answer beside the extractive one, on the question sets, for whoever has a model.

    qa eval --llm http://127.0.0.1:11434/v1 --llm-model llama3.2 [--set S] [--split D] [--limit N]
    python -m eval.quality.generated --llm URL --set realdocs --split test --limit 20   (the same)

Each question is answered twice over the same index and passages: extractively, and by the
model at ``--llm`` with its citations checked. Reported per answerer: answer accuracy (the
answer holds a gold answer string; answerable questions), refusal (the answer is not confident
or, for the generated one, the model's answer was set aside for the extractive one; over all
questions, then over the unanswerable ones, where refusing is right, and the answerable ones,
where it is not), and for the generated one the citation support rate (the share of its
sentences supported by the passage they cite, over every answer that cited a passage, those set
aside for want of support included), how many answers were kept and why the others
fell back. Written to ``eval/results/generated-<set>-<split>.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval import RESULTS
from eval.quality.metrics import contains_answer
from eval.quality.questions import QUESTION_SETS, SPLITS
from qa.answering.generated import FALLBACK
from qa.paths import qa_home
from qa.service import QA
from qa.types import Answer


def _fell_back(answer: Answer) -> bool:
    return bool(answer.note and FALLBACK in answer.note)


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def _rates(answers: Sequence[Answer], gold: Sequence[tuple[str, ...]]) -> dict[str, float | None]:
    answerable = [i for i, g in enumerate(gold) if g]
    refused = [not a.confident or _fell_back(a) for a in answers]
    return {
        "accuracy": _share([contains_answer(answers[i].text, gold[i]) for i in answerable]),
        "refusal": _share(refused),
        "refuses_unanswerable": _share([refused[i] for i, g in enumerate(gold) if not g]),
        "refuses_answerable": _share([refused[i] for i in answerable]),
    }


def compare(
    set_name: str,
    split: str,
    llm: str,
    llm_model: str | None = None,
    limit: int | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Both answers to the first ``limit`` questions of ``set_name``'s ``split``, scored side
    by side (the module doc); the index is kept in ``QA_HOME/generated-eval/<set>``."""
    question_set = QUESTION_SETS[set_name]
    questions = question_set.load(split)[:limit]
    index_dir = qa_home() / "generated-eval" / set_name
    extractive = QA(question_set.corpus, index_dir, progress=False)
    extractive.index()
    generated = QA(
        question_set.corpus,
        index_dir,
        progress=False,
        llm=llm,
        llm_model=llm_model,
        llm_timeout=timeout,
    )
    plain, written = [], []
    for q in tqdm(questions, desc=f"{set_name} {split}", unit="question"):
        plain.append(extractive.answer(q.question))
        written.append(generated.answer(q.question))
    gold = [q.answers if q.answerable else () for q in questions]
    checks = [c for a in written for c in a.checks]  # set aside for no support included
    fallbacks = Counter(a.note.removesuffix(f" {FALLBACK}") for a in written if _fell_back(a))
    return {
        "set": set_name,
        "split": split,
        "questions": len(questions),
        "llm_model": llm_model,
        "extractive": _rates(plain, gold),
        "generated": {
            **_rates(written, gold),
            "kept": sum(not _fell_back(a) for a in written),
            "sentences_checked": len(checks),
            "support_rate": _share([c.supported for c in checks]),
            "fell_back": dict(fallbacks.most_common()),
        },
    }


COLUMNS = [
    ("accuracy", "answer"),
    ("refusal", "refusal"),
    ("refuses_unanswerable", "refuse(no)"),
    ("refuses_answerable", "refuse(yes)"),
    ("support_rate", "supported"),
]


def table(report: dict[str, Any]) -> str:
    """The two answerers side by side, then what the generated answers did."""
    header = f"{'answerer':12}" + "".join(f"{title:>12}" for _, title in COLUMNS)
    lines = [
        f"{report['set']} {report['split']}, {report['questions']} questions, "
        f"model {report['llm_model'] or '(the server default)'}",
        header,
        "-" * len(header),
    ]
    for name in ("extractive", "generated"):
        cells = [report[name].get(key) for key, _ in COLUMNS]
        lines.append(
            f"{name:12}" + "".join(f"{'—' if v is None else f'{v:.3f}':>12}" for v in cells)
        )
    made = report["generated"]
    lines.append(
        f"generated: {made['kept']} of {report['questions']} answers kept, "
        f"{made['sentences_checked']} sentences checked"
    )
    lines += [f"  fell back {n}x: {why}" for why, n in made["fell_back"].items()]
    return "\n".join(lines)


def write(report: dict[str, Any]) -> Path:
    """``report`` as ``eval/results/generated-<set>-<split>.json``; its path."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"generated-{report['set']}-{report['split']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    return out


def run(args: argparse.Namespace) -> int:
    """``qa eval --llm`` and this module's command: compare, print, write."""
    report = compare(args.set, args.split, args.llm, args.llm_model, args.limit, args.llm_timeout)
    print(table(report))
    print(f"Wrote {write(report)}")
    return 0


def add_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    """The options of the comparison (``qa eval`` shares them)."""
    parser.add_argument(
        "--llm", required=required, metavar="URL", help="OpenAI-compatible /v1 URL: compare "
        "the model's checked answers with the extractive ones",
    )  # fmt: skip
    parser.add_argument("--llm-model", metavar="NAME", help="the model's name at --llm")
    parser.add_argument("--limit", type=int, metavar="N", help="--llm: the first N questions")
    parser.add_argument(
        "--llm-timeout", type=float, default=120.0, metavar="S", help="--llm: seconds per answer"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.quality.generated", description=__doc__.split("\n")[0]
    )
    add_arguments(parser, required=True)
    parser.add_argument("--set", choices=sorted(QUESTION_SETS), default="basra")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
