"""A passage cut inside a code block is carried on to the block's end before it is answered;
one that ends with a colon, over the code block or the list after it."""

from __future__ import annotations

from qa.answering.code_ends import MAX_CARRIED, carry_code_on
from qa.errors import DocumentNotFoundError
from qa.types import Document, Heading, Passage, Segment

INTRO = "The easiest way is a `for await...of` loop:"
CODE = (
    "```js\nasync function processLineByLine() {\n"
    "  const rl = createInterface({ input: createReadStream('input.txt') });\n\n"
    "  for await (const line of rl) {\n    console.log(line);\n  }\n}\n```"
)
AFTER = "\n\nAlternatively, one could use the 'line' event."


def document(text: str, **fields) -> Document:
    segments = fields.pop("segments", (Segment("article", 0, len(text)),))
    return Document("readline.md", "Readline", text, segments=segments, **fields)


def cut_at(doc: Document, end: int, start: int = 0) -> Passage:
    return Passage(doc.text[start:end], 1.0, doc.doc_id, doc.title, start, end, "article")


def lookup(doc: Document):
    def find(doc_id: str) -> Document:
        if doc_id != doc.doc_id:
            raise DocumentNotFoundError(doc_id)
        return doc

    return find


def test_a_passage_cut_inside_a_fenced_block_takes_the_rest_of_it():
    doc = document(f"{INTRO}\n\n{CODE}{AFTER}")
    cut = cut_at(doc, doc.text.index("  for await"))
    (carried,) = carry_code_on([cut], lookup(doc))
    assert carried.text == f"{INTRO}\n\n{CODE}"  # to the closing fence, not the prose after
    assert carried.end == len(f"{INTRO}\n\n{CODE}") and carried.start == cut.start
    assert doc.text[carried.start : carried.end] == carried.text


def test_code_left_unfenced_is_carried_on_to_where_prose_starts():
    code = "    do {\n        ret = inflate(&strm, Z_NO_FLUSH);\n    } while (ret != Z_STREAM_END);"
    doc = document(f"Call inflate() in a loop:\n\n{code}\n\nThen clean up with inflateEnd().")
    (carried,) = carry_code_on([cut_at(doc, doc.text.index("        ret"))], lookup(doc))
    assert carried.text.endswith("} while (ret != Z_STREAM_END);")


def test_a_passage_that_ends_with_a_colon_takes_the_code_block_after_it():
    doc = document(f"{INTRO}\n\n{CODE}{AFTER}")
    (carried,) = carry_code_on([cut_at(doc, len(INTRO))], lookup(doc))
    assert carried.text == f"{INTRO}\n\n{CODE}"


def test_a_passage_that_ends_with_a_colon_takes_the_list_after_it():
    # SQLite's CLI page: the chunk ended at "The --safe option disables (among other things):".
    intro = "The --safe option disables (among other things):"
    items = (
        "-   The ATTACH SQL command.\n-   SQL functions that have harmful side-effects, such as\n"
        "    edit() and writefile().\n-   The .shell and .system commands."
    )
    doc = document(f"{intro}\n\n{items}\n\nBasically, any feature that writes is disabled.")
    (carried,) = carry_code_on([cut_at(doc, len(intro))], lookup(doc))
    assert carried.text == f"{intro}\n\n{items}"  # to the last item, not the prose after
    # a list that goes on past the passage's end is not a colon's list: left as it is
    inside = cut_at(doc, doc.text.index("-   SQL functions"))
    assert carry_code_on([inside], lookup(doc)) == [inside]


def test_passages_that_end_in_prose_or_a_closed_block_are_left_as_they_are():
    doc = document(f"{INTRO}\n\n{CODE}{AFTER}\n\n{CODE}")
    whole = cut_at(doc, len(f"{INTRO}\n\n{CODE}"))
    prose = cut_at(doc, len(f"{INTRO}\n\n{CODE}{AFTER}"))  # no colon: the code is not its
    assert carry_code_on([whole, prose], lookup(doc)) == [whole, prose]


def test_code_is_carried_on_up_to_the_next_heading_only():
    """In a Word file the next section's heading, "new Console(options)", reads as code."""
    code = "const { Console } = require('node:console');\nconst { Console } = console;"
    text = f"Console can be accessed using either of:\n\n{code}\n\nnew Console(options)\n\nMore."
    heading = text.index("new Console(options)")
    doc = document(text, headings=(Heading(2, "new Console(options)", heading, heading + 20),))
    (carried,) = carry_code_on(
        [cut_at(doc, text.index("const { Console } = console"))], lookup(doc)
    )
    assert carried.text.endswith("const { Console } = console;")


def test_nothing_is_carried_over_a_page_a_reader_comment_or_boilerplate():
    text = f"{INTRO}\n\n{CODE}{AFTER}"
    at = text.index("  for await")
    paged = document(text, pages=(0, at + 5))
    comment = document(
        text, segments=(Segment("article", 0, at + 5), Segment("comment", at + 5, len(text)))
    )
    furniture = document(
        text,
        segments=(
            Segment("article", 0, at + 5),
            Segment("boilerplate", at + 5, at + 10, reason="running headers and footers"),
            Segment("article", at + 10, len(text)),
        ),
    )
    for doc in (paged, comment, furniture):
        cut = cut_at(doc, at)
        assert carry_code_on([cut], lookup(doc)) == [cut]


def test_a_block_longer_than_the_limit_is_carried_on_by_whole_lines_up_to_it():
    lines = "\n".join(f"  total += values[{n}];" for n in range(400))
    doc = document(f"Sum them:\n\n```c\nint total = 0;\n{lines}\n```\n")
    cut = cut_at(doc, doc.text.index("  total += values[3]"))
    (carried,) = carry_code_on([cut], lookup(doc))
    assert cut.end < carried.end <= cut.end + MAX_CARRIED
    assert carried.text.endswith(";")  # a whole line


def test_a_document_gone_from_the_index_or_changed_leaves_the_passage():
    doc = document(f"{INTRO}\n\n{CODE}{AFTER}")
    cut = cut_at(doc, doc.text.index("  for await"))
    elsewhere = Passage(cut.text, 1.0, "gone.md", "Gone", cut.start, cut.end, "article")
    changed = document("Another text entirely, as long as the first one or longer. " * 5)
    assert carry_code_on([elsewhere], lookup(doc)) == [elsewhere]
    assert carry_code_on([cut], lookup(changed)) == [cut]
