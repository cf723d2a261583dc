"""What says what a thing is: the passage and the sentence that answer "What does X do?"."""

from __future__ import annotations

from pathlib import Path

from qa.answering.definitions import own_section, search_depth, with_definition
from qa.types import Document, Passage
from tests.helpers import document_of

UTIL = (
    "# Util\n\n"
    "## `util.format(format)`\n\n"
    "The `util.format()` method returns a formatted string.\n\n"
    "## `util.inspect(object)`\n\n"
    "<!-- YAML\nadded: v0.3.0\n-->\n\n"
    "* `object` {any} Any JavaScript primitive or `Object`.\n\n"
    "Returns a string representation of `object` for debugging.\n\n"
    "The output may change at any time.\n\n"
    "```js\nutil.inspect(new Foo());\n```\n\n"
    "## `util.inspect.custom`\n\n"
    "A symbol for custom inspection functions.\n"
)


def shown(document: Document, text: str, score: float = 0.5) -> Passage:
    """The passage of ``document`` that holds ``text``, as the search would show it."""
    start = document.text.index(text)
    end = start + len(text)
    return Passage(text, score, document.doc_id, document.title, start, end, "article")


def test_the_text_under_the_names_own_heading_is_found_in_a_document_shown(
    tmp_path: Path,
) -> None:
    document = document_of(tmp_path, "util.md", UTIL.encode())
    example = shown(document, "```js\nutil.inspect(new Foo());\n```", 0.8)
    found = own_section("What does util.inspect do?", [example], lambda _: document)
    assert found is not None
    # From the heading to the end of its first sentence's paragraph, the comment passed over.
    assert found.text.startswith("## `util.inspect(object)`")
    assert found.text.endswith("Returns a string representation of `object` for debugging.")
    assert (found.start, found.end) == (
        document.text.index("## `util.inspect(object)`"),
        document.text.index(" for debugging.") + len(" for debugging."),
    )
    assert found.section == "Util › `util.inspect(object)`" and found.score == 0.8
    assert found.running_lines  # the comment: never read, never quoted
    # Not a name of the document's headings; not the name but its words; not asked so.
    assert own_section("What does util.parse do?", [example], lambda _: document) is None
    assert own_section("What does inspect do?", [example], lambda _: document) is None
    assert own_section("How do I inspect an object?", [example], lambda _: document) is None


def test_the_description_is_added_only_when_no_passage_shown_holds_it(tmp_path: Path) -> None:
    document = document_of(tmp_path, "util.md", UTIL.encode())
    question = "What does util.format do?"
    example = shown(document, "```js\nutil.inspect(new Foo());\n```")
    described = shown(
        document,
        "## `util.format(format)`\n\nThe `util.format()` method returns a formatted string.",
    )
    assert search_depth(question, 5) == 16 and search_depth("Who wrote util?", 5) == 5
    # From the passages ranked lower first, then from the document's headings.
    assert with_definition(question, [example], [described], lambda _: document) == [
        example,
        described,
    ]
    added = with_definition(question, [example], [], lambda _: document)
    assert [p.text for p in added[1:]] == [described.text]
    assert with_definition(question, [described], [example], lambda _: document) == [described]
    assert with_definition("How do I format?", [example], [described], lambda _: document) == [
        example
    ]
