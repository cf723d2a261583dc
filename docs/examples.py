"""The README's examples and their real output: ``make docs`` rewrites the outputs from what the
code prints now, ``tests/test_docs.py`` fails when they differ.

In the README an example is a fenced block after ``<!-- example: NAME -->`` (Python, or shell
lines starting with ``$ qa``), and its output the fenced block after ``<!-- output: NAME -->``.
Examples run in this process, in README order, against the default corpus (``QA_HOME`` decides
where its index goes); what varies from run to run (seconds, the index folder, this checkout's
path) is written in a fixed form, so that the output is the same on every machine.

    python docs/examples.py --write     # rewrite the outputs (make docs)
    python docs/examples.py             # print what differs; exit 1 if anything does
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import io
import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"<!-- (example|output): ([\w-]+) -->\n```[\w]*\n(.*?)```", re.DOTALL)


def blocks(text: str) -> dict[tuple[str, str], re.Match[str]]:
    """Each example and output block of ``text`` by (kind, name)."""
    return {(m[1], m[2]): m for m in _BLOCK.finditer(text)}


def run(source: str) -> str:
    """What an example prints: stdout (and, for commands, stderr), in a fixed form."""
    out = io.StringIO()
    if source.lstrip().startswith("$ "):
        # A command's errors are part of what its user sees: stderr too.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            _run_commands(source)
    else:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<README example>", "exec"), {"__name__": "__readme__"})
    return _fixed(out.getvalue())


def _run_commands(source: str) -> None:
    from qa.cli import main

    with contextlib.chdir(ROOT):  # paths in the examples are relative to the project
        for line in source.splitlines():
            if line.startswith("$ qa "):
                print(line)
                code = main(shlex.split(line)[2:])
                if code:
                    print(f"(exit status {code})")


def _fixed(text: str) -> str:
    """The output with what changes between runs and machines in a fixed form."""
    from qa.paths import qa_home

    text = text.replace(str(qa_home()), "~/.cache/qa").replace(str(ROOT), ".")
    text = re.sub(r"-[0-9a-f]{12}\b", "-<hash>", text)  # index folders are named by path hash
    return re.sub(r"\b\d+\.\d s\b", "0.0 s", text)


def outputs(readme: str) -> dict[str, tuple[str, str]]:
    """For each example with an output block: (output in the README, output now).

    The examples embed documents as on a CPU without AMX (in int8; on one with AMX,
    ``choose_precision`` takes bf16), so that the scores they print are the same on every
    machine; the default service is made anew for them, and put back after.
    """
    import qa
    from embeddings import encoder

    found = blocks(readme)
    default, qa._default = qa._default, None
    try:
        with mock.patch.object(encoder, "cpu_has_amx_int8", return_value=False):
            return {
                name: (found[("output", name)][3], run(match[3]))
                for (kind, name), match in found.items()
                if kind == "example" and ("output", name) in found
            }
    finally:
        qa._default = default


def rewrite(readme: str) -> str:
    """``readme`` with every output block replaced by what its example prints now."""
    for name, (_, now) in outputs(readme).items():
        match = blocks(readme)[("output", name)]
        start, end = match.span(3)
        readme = readme[:start] + now + readme[end:]
    return readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README's outputs")
    args = parser.parse_args(argv)
    # A fresh QA_HOME, so that the outputs show a first indexing on every machine and every run.
    os.environ["QA_HOME"] = tempfile.mkdtemp(prefix="qa-docs-home-")
    atexit.register(shutil.rmtree, os.environ["QA_HOME"], ignore_errors=True)
    readme = README.read_text(encoding="utf-8")
    if args.write:
        README.write_text(rewrite(readme), encoding="utf-8")
        print(f"Rewrote the example outputs of {README.relative_to(ROOT)}")
        return 0
    stale = [name for name, (shown, now) in outputs(readme).items() if shown != now]
    for name in stale:
        print(f"README example {name!r} prints something else now; run make docs")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
