"""A passage whose chunk ends inside a code block, or just before one, is carried on to the
block's end; one that ends with a colon over a list, to the list's end.

A chunk is cut where the splitter finds room, and a long example is often cut in two: the
passage that says "The easiest way to do so is ... a ``for await...of`` loop:" ends three lines
into its code, and code cut short is never quoted (``sentences``), so "How do I read a file
line by line?" got the sentence without the code. Or the splitter cuts at the blank line
before the code, and the passage ends with "... run this script:". Before an answer is chosen,
each such passage takes the rest of its block (or the block after its colon) from the
document, up to ``MAX_CARRIED`` characters, so that the answer can quote the whole example and
the citation shows it. So with a list: "The --safe option disables (among other things):" said
nothing when its chunk ended there.

The block is found by the same layout rules the answer reads passages with
(``layout.layout``), on the passage's text and what follows it, up to the next heading. A
passage is left as it is where the rest would cross into other boilerplate, another part (a
reader's comment) or another page.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.answering.layout import Block, layout
from qa.errors import QAError
from qa.types import Document, Passage

MAX_CARRIED = 1500  # characters of a code block taken on past a passage's end, at most
_CODE = ("code", "comment")


def carry_code_on(
    passages: Sequence[Passage], document: Callable[[str], Document]
) -> list[Passage]:
    """``passages``, each one that ends inside a code block carried on to the block's end, and
    each one that ends with a colon ("... run this script:") carried on over the code block or
    the list right after it; ``document`` gives a document of the index by its id."""
    return [_carried(p, document) if _ends_at_code(p) else p for p in passages]


def _ends_at_code(passage: Passage) -> bool:
    """Whether the passage ends inside code, or with a sentence ending in a colon."""
    blocks = layout(passage.text, passage.section, passage.title)
    return bool(blocks) and (
        blocks[-1].kind in _CODE or passage.text[: blocks[-1].end].rstrip().endswith(":")
    )


def _carried(passage: Passage, document: Callable[[str], Document]) -> Passage:
    try:
        doc = document(passage.doc_id)
    except QAError:
        return passage
    if doc.text[passage.start : passage.end] != passage.text:
        return passage  # not the text this index holds: leave it be
    more = doc.text[passage.end : passage.end + MAX_CARRIED]
    following = bisect.bisect_left(doc.headings, passage.end, key=lambda h: h.start)
    if following < len(doc.headings):  # never into the next section
        more = more[: doc.headings[following].start - passage.end]
    cut = len(passage.text)
    blocks = layout(passage.text + more, passage.section, passage.title)
    end = _code_end(blocks, cut)
    if end == cut + len(more) and passage.end + len(more) < len(doc.text):
        if "\n" not in more:
            return passage
        end = cut + more.rindex("\n")  # the block goes on: up to the last whole line read
    end = cut + len(more[: end - cut].rstrip())
    if end <= cut or not _may_carry(doc, passage, passage.end + (end - cut)):
        return passage
    stop = passage.start + end
    return replace(passage, text=doc.text[passage.start : stop], end=stop)


def _code_end(blocks: Sequence[Block], cut: int) -> int:
    """Where the code that goes on past offset ``cut`` ends: the code block that holds
    ``cut - 1``, or the first block after ``cut`` when the block before it ends with a colon
    (an opening fence line between them), with the code and comment blocks that follow it and
    a closing fence line; or the list that starts after ``cut``, to its last item; ``cut``
    where there is no such code or list."""
    end = cut
    kinds: tuple[str, ...] = ()  # what is carried on: code (and comments), or a list's items
    for block in blocks:
        if block.end < cut or not kinds and block.end == cut and block.kind not in _CODE:
            continue  # before the cut, or the sentence with the colon that ends there
        if not kinds:
            if block.kind == "navigation" and block.start >= cut and end == cut:
                end = block.end  # an opening fence
                continue
            if block.kind in _CODE:
                kinds = _CODE
            elif block.kind == "item" and block.start >= cut and end == cut:
                kinds = ("item",)
            else:
                return cut
            end = block.end
        elif block.kind in kinds:
            end = block.end
        else:
            if block.kind == "navigation" and kinds == _CODE:  # a closing fence
                end = block.end
            break
    return end


def _may_carry(doc: Document, passage: Passage, end: int) -> bool:
    """Whether the document's text from ``passage.end`` to ``end`` is indexed text of the
    segment the passage ends in, on the same page."""
    if doc.unindexed_spans(passage.end, end):
        return False
    page = bisect.bisect_right(doc.pages, passage.end)
    if page < len(doc.pages) and doc.pages[page] < end:
        return False  # a page starts between
    ends_in = bisect.bisect_left(doc.segments, passage.end, key=lambda s: s.end)
    return ends_in < len(doc.segments) and (
        doc.segments[ends_in].start < passage.end
        and end <= doc.segments[ends_in].end
        and doc.segments[ends_in].kind == passage.part
    )
