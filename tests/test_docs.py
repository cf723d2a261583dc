"""The README's example outputs are what the code prints today (``make docs`` rewrites them)."""

import importlib.util
import re

from tests.helpers import ROOT

# Scores differ a little from one kind of CPU to another: questions are embedded in bf16 where
# the CPU has it natively and in fp32 elsewhere, documents in int8 (docs/PERFORMANCE.md).
SCORE = re.compile(r"\b\d\.\d{2}\b")
SCORE_TOLERANCE = 0.05


def agrees(shown: str, now: str) -> bool:
    """Whether an example's output is what the README shows, its scores within
    ``SCORE_TOLERANCE`` of those shown and everything else the same."""
    if SCORE.sub("#", shown) != SCORE.sub("#", now):
        return False
    pairs = zip(SCORE.findall(shown), SCORE.findall(now), strict=True)
    return all(abs(float(a) - float(b)) <= SCORE_TOLERANCE for a, b in pairs)


def load_examples():
    spec = importlib.util.spec_from_file_location("examples", ROOT / "docs" / "examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_readme_example_prints_what_the_readme_shows():
    examples = load_examples()
    readme = examples.README.read_text(encoding="utf-8")
    found = examples.outputs(readme)
    assert {"python", "pdf"} <= set(found), "the README's examples went missing"
    for name, (shown, now) in found.items():
        assert agrees(shown, now), f"README example {name!r} is stale: run make docs\n{now}"


def test_a_stale_output_is_caught(tmp_path):
    examples = load_examples()
    readme = (
        '<!-- example: one -->\n```python\nprint("now")\n```\n'
        "<!-- output: one -->\n```\nthen\n```\n"
    )
    assert examples.outputs(readme) == {"one": ("then\n", "now\n")}
    assert "```\nnow\n```" in examples.rewrite(readme)


def test_an_output_agrees_within_the_score_tolerance_and_nothing_else():
    shown = "0.70 000.txt [1:2] comment by John\n0.44 000.txt [3:4] comment by Mike\n"
    assert agrees(shown, shown.replace("0.44", "0.40"))
    assert not agrees(shown, shown.replace("0.44", "0.30"))
    assert not agrees(shown, shown.replace("Mike", "Mark"))
    assert not agrees(shown, shown.replace("[3:4]", "[3:5]"))
