"""What says what a thing is: the passage and the sentence that answer "What does X do?"."""

from __future__ import annotations

from pathlib import Path

from qa.answering.definitions import (
    defines,
    describes,
    own_section,
    search_depth,
    with_definition,
)
from qa.answering.sentences import candidates
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


XARGS = (
    "XARGS(1)                 General Commands Manual                 XARGS(1)\n\n"
    "OPTIONS\n"
    "       -a file, --arg-file=file\n"
    "              Read items from file instead of standard input.\n\n"
    "       -0, --null\n"
    "              Input items are terminated by a null character instead of by\n"
    "              whitespace.  Useful when input items might contain white space.\n"
)


def test_the_text_under_the_options_own_line_is_found_in_a_manual_shown(tmp_path: Path) -> None:
    # A manual's options are lines, not headings: "-0, --null" over its description.
    document = document_of(tmp_path, "xargs.txt", XARGS.encode())
    example = shown(document, "Read items from file instead of standard input.")
    found = own_section("What does xargs -0 do?", [example], lambda _: document)
    assert found is not None
    assert found.text.startswith("       -0, --null\n")
    assert found.text.rstrip().endswith("Useful when input items might contain white space.")
    # A name no line gives; a name that is no option.
    assert own_section("What does xargs -x do?", [example], lambda _: document) is None
    assert own_section("What does null do?", [example], lambda _: document) is None


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


FOREIGN_KEYS = (
    "# Foreign keys\n\n"
    "Foreign key constraints are used to enforce relationships between tables.\n\n"
    "The parent table does not need an index on the child key.\n\n"
    "The parent table is the table that a foreign key constraint refers to.\n"
)


def test_a_sentence_saying_what_x_is_is_added_when_no_passage_shown_says_it(
    tmp_path: Path,
) -> None:
    # "What is X?" with no heading or option line of X: a deeper passage whose sentence has X
    # for subject and says what it is ("X is ...") joins those shown; one that only names X
    # ("The parent table does not need ...") does not.
    document = document_of(tmp_path, "foreignkeys.md", FOREIGN_KEYS.encode())
    question = "What is the parent table?"
    names = shown(document, "The parent table does not need an index on the child key.")
    says = shown(document, "The parent table is the table that a foreign key constraint refers to.")
    other = shown(
        document, "Foreign key constraints are used to enforce relationships between tables."
    )
    assert with_definition(question, [other, names], [says], lambda _: document) == [
        other,
        names,
        says,
    ]
    assert with_definition(question, [other], [names], lambda _: document) == [other]
    # Shown already: nothing is added; another kind of question: nothing either.
    assert with_definition(question, [says], [names], lambda _: document) == [says]
    assert with_definition("How big is a table?", [other], [says], lambda _: document) == [other]


SPLIT = (
    "SPLIT(1)                         User Commands                        SPLIT(1)\n\n"
    "NAME\n       split - split a file into pieces\n\n"
    "DESCRIPTION\n"
    "       -d     use numeric suffixes starting at 0, not alphabetic\n\n"
    "       -e, --elide-empty-files\n"
    "              do not generate empty output files with '-n'\n"
)


def test_the_program_the_question_names_is_looked_in_first(tmp_path: Path) -> None:
    # Option letters repeat from one manual to the next: xargs's -d is not split's.
    xargs = document_of(tmp_path, "xargs.txt", XARGS.replace("-a file", "-d delim").encode())
    split = document_of(tmp_path, "split.txt", SPLIT.encode())
    documents = {d.doc_id: d for d in (xargs, split)}
    name = shown(split, "split - split a file into pieces")
    other = shown(xargs, "       -d delim, --arg-file=file\n              Read items from file")
    added = with_definition("What does split -d do?", [name], [other], documents.__getitem__)
    # Not xargs's, ranked deeper, but split's own line (an option beside its description).
    assert added[-1].doc_id == "split.txt" and "use numeric suffixes" in added[-1].text
    added = with_definition("What does xargs -d do?", [name], [other], documents.__getitem__)
    assert added[-1] == other
    # Unnamed, the first found is taken, as before.
    assert with_definition("What does -d do?", [name], [other], documents.__getitem__)[-1] == other


def test_a_history_table_between_the_name_and_its_description_is_passed_over(
    tmp_path: Path,
) -> None:
    # Node's assert page: each function's heading, then "History" over its table of versions.
    page = (
        "<html><body><h1>Assert</h1>"
        "<h3>assert.deepStrictEqual(actual, expected[, message])</h3>"
        "<details><summary>History</summary><table>"
        "<tr><th>Version</th><th>Changes</th></tr>"
        "<tr><td>v9.0.0</td><td><p>Enumerable symbol properties are now compared.</p></td></tr>"
        "<tr><td>v1.2.0</td><td><p>Added in: v1.2.0</p></td></tr></table></details>"
        "<ul><li><code>actual</code> &lt;any&gt;</li>"
        "<li><code>expected</code> &lt;any&gt;</li></ul>"
        "<p>Tests for deep equality between the actual and expected parameters.</p>"
        "<h3>assert.equal(actual, expected[, message])</h3>"
        "<p>Strict assertion mode.</p></body></html>"
    )
    document = document_of(tmp_path, "assert.html", page.encode())
    heading = shown(document, "Assert", 0.8)
    found = own_section("What does assert.deepStrictEqual do?", [heading], lambda _: document)
    assert found is not None
    assert found.text.endswith(
        "Tests for deep equality between the actual and expected parameters."
    )


SQLITE = (
    "OPTIONS\n"
    "       -safe\n"
    "              Enable safe-mode for the whole session.\n\n"
    "       -0, --null\n"
    "              Input items are terminated by a null character.\n"
)


def test_an_option_line_written_with_other_dashes_is_no_surer_than_a_sentence(
    tmp_path: Path,
) -> None:
    # The line "-safe" is the option "--safe" asks about, as "The --safe option disables ..."
    # is: neither is sure to come first; the line is when the question writes it as "-safe".
    document = document_of(tmp_path, "sqlite.txt", SQLITE.encode())
    found = candidates([shown(document, SQLITE)])
    safe = next(i for i, c in enumerate(found) if "safe-mode" in c.text)
    null = next(i for i, c in enumerate(found) if "null character" in c.text)
    assert defines(found, "What does the --safe option do?")[safe] == 1
    assert defines(found, "What does the -safe option do?")[safe] == 2
    assert defines(found, "What does -0 do?")[null] == 2  # one letter: the dash is the name


def test_a_one_word_entry_is_named_by_its_word_not_by_a_thing_of_its_kind():
    text = (
        "cacher\n\n: The cacher account serves the artifact cache.\n\n"
        "closure\n\n: The address of a ffi_closure object."
    )
    passage = Passage(text, 1.0, "a.html", "a", 0, len(text), "article")
    by_text = {c.sentence.text: c for c in candidates([passage])}
    cacher = by_text["The cacher account serves the artifact cache."]
    closure = by_text["The address of a ffi_closure object."]
    assert describes(cacher, "What is the uid of the cacher account?") == 1.0
    assert describes(closure, "What is the closure argument for?") == 1.0
    # "a closure" is any closure, not the entry "closure" (an argument of one function).
    assert describes(closure, "Which function frees a closure?") == 0.0
