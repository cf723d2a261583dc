"""A quick probe of retrieval and answer settings on 13 hand-written Basra questions.

This chose the provisional defaults of the retrieval core (chunk size, fusion, answer weights).
The eval issue replaces it with a 60-question set with gold quotes and a dev/test split.

    python eval/probe.py            # retrieval table: MRR and Hit@5 per configuration
    python eval/probe.py --answers  # answer table: does the answer quote the expected words?

A question counts as found at the first passage (or answer) containing one of its needles.
"""

from __future__ import annotations

import argparse
import tempfile

from qa.service import QA

PROBE = {
    "Who brokered the ceasefire?": ["Quds", "Qods"],
    "What did Sadr demand in his statement?": ["amnesty"],
    "Who blamed Iran for supplying the rockets?": ["Greg Smith"],
    "What did Bush call the Basra operation?": ["defining moment"],
    "Which Iraqi army division is operating in Basra?": ["14th Iraqi Army Division"],
    "Who negotiated the election law deal?": ["Cheney"],
    "What happened to policemen in Baghdad?": ["uniform shirts"],
    "Who compared the fighting to the Tet Offensive?": ["Tet"],
    "How many rockets hit the Green Zone?": ["22 107-mm"],
    "Where did officials travel to meet Sadr?": ["traveled to Iran"],
    "Who was Sadr's great-grandfather?": ["Mohammad al-Sadr"],
    "Why would Iran want American troops to stay in Iraq?": ["stuck there with the bulk"],
    "How did Basra residents feel about the Mahdi Army?": ["despised the Mahdi Army"],
}
OFF_TOPIC = ["Who won the 1998 World Cup?", "What is the capital of France?"]


def first_hit(texts: list[str], needles: list[str]) -> int | None:
    return next((i + 1 for i, t in enumerate(texts) if any(n in t for n in needles)), None)


def retrieval_table(index_root: str) -> None:
    print(f"{'chunk':>5} {'mode':7} {'fusion':14} {'MRR@10':>6} {'Hit@5':>5}  ranks")
    for size in (96, 128, 192):
        for fusion, weight in (("rrf", 0.5), ("weighted", 0.3), ("weighted", 0.5)):
            qa = QA(
                index_dir=f"{index_root}/{size}",
                progress=False,
                chunk_tokens=size,
                chunk_overlap=min(32, size // 4),
                fusion=fusion,
                dense_weight=weight,
            )
            modes = ("dense", "bm25", "hybrid") if fusion == "rrf" else ("hybrid",)
            for mode in modes:
                ranks = [
                    first_hit([p.text for p in qa.retrieve(q, k=10, mode=mode)], needles)
                    for q, needles in PROBE.items()
                ]
                mrr = sum(1 / r for r in ranks if r) / len(ranks)
                hit5 = sum(1 for r in ranks if r and r <= 5) / len(ranks)
                label = f"{fusion} {weight}" if mode == "hybrid" else ""
                shown = " ".join(str(r or "-") for r in ranks)
                print(f"{size:>5} {mode:7} {label:14} {mrr:6.2f} {hit5:5.2f}  {shown}")


def answer_table(index_root: str) -> None:
    print(f"{'terms':>5} {'passage':>7} {'answered':>8} {'off-topic refused':>17}")
    for term_weight, passage_weight in ((0.0, 0.0), (0.3, 0.2), (0.5, 0.2), (0.5, 0.3)):
        qa = QA(
            index_dir=f"{index_root}/default",
            progress=False,
            answer_term_weight=term_weight,
            answer_passage_weight=passage_weight,
        )
        right = sum(bool(first_hit([qa.answer(q).text], needles)) for q, needles in PROBE.items())
        refused = sum(not qa.answer(q).confident for q in OFF_TOPIC)
        print(
            f"{term_weight:>5} {passage_weight:>7} {right:>5}/{len(PROBE)} "
            f"{refused:>14}/{len(OFF_TOPIC)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", action="store_true", help="score answers, not retrieval")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        (answer_table if args.answers else retrieval_table)(root)


if __name__ == "__main__":
    main()
