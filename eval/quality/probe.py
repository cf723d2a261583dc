"""13 hand-written Basra questions with expected words, and the answer-weight table they gave.

    python eval/probe.py    # per answer-weight pair: answers quoting the expected words, and
                            # off-topic questions refused

This chose ``answer_term_weight`` and ``answer_passage_weight``. Retrieval settings are chosen
with ``qa eval`` (eval/run.py). ``eval/app_latency.py`` asks these questions to time the app.
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
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    with tempfile.TemporaryDirectory() as root:
        answer_table(root)


if __name__ == "__main__":
    main()
