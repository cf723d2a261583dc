"""The README's example outputs are what the code prints today (``make docs`` rewrites them)."""

import importlib.util

from tests.helpers import ROOT


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
        assert shown == now, f"README example {name!r} is stale: run make docs"


def test_a_stale_output_is_caught(tmp_path):
    examples = load_examples()
    readme = (
        '<!-- example: one -->\n```python\nprint("now")\n```\n'
        "<!-- output: one -->\n```\nthen\n```\n"
    )
    assert examples.outputs(readme) == {"one": ("then\n", "now\n")}
    assert "```\nnow\n```" in examples.rewrite(readme)
