"""How each text format is read, on real files (tests/fixtures/SOURCES.md): a manual that the
page rules must not cut, text saved from a terminal, a documentation page with its navigation,
and reStructuredText."""

from __future__ import annotations

import re
from pathlib import Path

from qa.ingest import list_corpus_files, load_document
from tests.helpers import DEMO_CORPUS, FIXTURES, document_of

DRUM = "000_ce3c7cd48da314e0.txt"


def test_restructured_text_is_read_as_plain_text(tmp_path: Path) -> None:
    text = "Setting up\n==========\n\nRun ``make run`` to index the folder and serve the chat.\n"
    document = document_of(tmp_path, "setup.rst", text.encode())
    assert document.text == text and document.title == "Setting up"
    assert [s.kind for s in document.segments] == ["article"]


def test_a_markdown_files_comments_are_left_out_of_the_index_not_its_code(tmp_path: Path):
    """Node.js's API pages carry "<!-- YAML added: ... -->" under each heading: not shown on
    the rendered page, not indexed; the section runs on over it as one text to the chunker."""
    from qa.index.chunking import Chunker
    from qa.types import SOURCE_COMMENTS

    text = (
        "# Child process\n\n### `subprocess.kill([signal])`\n\n"
        "<!-- YAML\nadded: v0.1.90\n-->\n\n"
        "The `subprocess.kill()` method sends a signal to the child process.\n\n"
        "```html\n<!-- a comment in code is code -->\n```\n"
    )
    document = document_of(tmp_path, "child_process.md", text.encode())
    (comment,) = [s for s in document.segments if s.kind == "boilerplate"]
    assert document.text[comment.start : comment.end] == "<!-- YAML\nadded: v0.1.90\n-->"
    assert comment.reason == SOURCE_COMMENTS
    assert "v0.1.90" not in document.indexed_text and "a comment in code" in document.indexed_text
    chunker = Chunker(lambda t: len(t.split()), lambda t: [], chunk_tokens=100, chunk_overlap=0)
    (section,) = chunker.chunk_document(document)
    # The title, with nothing under it, opens the chunk of the heading, comment, text and code.
    assert section.text == text.strip()
    assert section.section == "Child process › `subprocess.kill([signal])`"


def test_a_markdown_files_tags_alone_are_left_out_of_the_index_not_html_with_text(
    tmp_path: Path,
):
    """pandoc writes SQLite's pages as Markdown with '<div class="codeblock">' and '</div>'
    around each example: markup a rendered page never shows. A block of HTML holding text
    stays."""
    from qa.index.chunking import Chunker
    from qa.types import RAW_MARKUP

    text = (
        "# Export to CSV\n\nSet the mode to csv and run a query:\n\n"
        '<div class="codeblock">\n\n    sqlite> .mode csv\n    sqlite> SELECT * FROM tab1;\n\n'
        "</div>\n\nThe output is CSV per RFC 4180. The first row holds the column names when "
        "the headers are on, and nothing else changes.\n\n<div>Kept: this holds words.</div>\n"
    )
    document = document_of(tmp_path, "cli.md", text.encode())
    left_out = [s for s in document.segments if s.kind == "boilerplate"]
    assert [document.text[s.start : s.end] for s in left_out] == [
        '<div class="codeblock">',
        "</div>",
    ]
    assert {s.reason for s in left_out} == {RAW_MARKUP}
    assert "codeblock" not in document.indexed_text and "Kept: this" in document.indexed_text
    chunker = Chunker(lambda t: len(t.split()), lambda t: [], chunk_tokens=100, chunk_overlap=0)
    (section,) = chunker.chunk_document(document)  # the section runs on over the markup
    assert section.text == text.strip()


def test_a_markdown_table_of_contents_is_left_out_of_the_index(tmp_path: Path) -> None:
    """Links to the page's own headings, one an item, match every question on a section's
    name as a PDF's contents lines do; a link in a sentence or to another page stays."""
    from qa.types import TABLE_OF_CONTENTS

    contents = "* [Building](#building)\n  * [Running tests](#running-tests)"
    text = (
        f"# Building Node.js\n\n## Table of contents\n\n{contents}\n"
        "* [Node.js on GitHub](https://github.com/nodejs/node)\n\n"
        "## Building\n\nRun `make`, then see [Running tests](#running-tests).\n"
    )
    document = document_of(tmp_path, "BUILDING.md", text.encode())
    left_out = [s for s in document.segments if s.kind == "boilerplate"]
    assert [document.text[s.start : s.end] for s in left_out] == [
        line.strip() for line in contents.split("\n")
    ]
    assert {s.reason for s in left_out} == {TABLE_OF_CONTENTS}
    assert "Node.js on GitHub" in document.indexed_text and "see [Running" in document.indexed_text


def test_markdown_link_reference_definitions_are_left_out_of_the_index(tmp_path: Path) -> None:
    """Node.js's pages end with a hundred "[label]: url" lines, unseen when rendered, whose
    labels ("[reading files]: #example-read-file-stream-line-by-line") matched questions on
    their words; a link in a sentence, and such a line in code or in a list item, stay."""
    from qa.index.chunking import Chunker
    from qa.types import LINK_REFERENCES

    references = "[reading files]: #example-read-file-stream-line-by-line\n[`rl.close()`]: #rlclose"
    text = (
        "# Readline\n\n## Reading\n\nSee [reading files][] and [`rl.close()`][].\n\n"
        f"{references}\n\nThe example.\n\n```md\n[in code]: #kept\n```\n"
    )
    document = document_of(tmp_path, "readline.md", text.encode())
    left_out = [s for s in document.segments if s.kind == "boilerplate"]
    assert [document.text[s.start : s.end] for s in left_out] == references.split("\n")
    assert {s.reason for s in left_out} == {LINK_REFERENCES}
    indexed = document.indexed_text
    assert "See [reading files][]" in indexed and "[in code]: #kept" in indexed
    assert "#rlclose" not in indexed
    chunker = Chunker(lambda t: len(t.split()), lambda t: [], chunk_tokens=100, chunk_overlap=0)
    (section,) = chunker.chunk_document(document)
    assert section.text == text.strip()  # runs on over them


def test_a_manual_is_not_cut_by_the_rules_for_pages_with_comments(tmp_path: Path) -> None:
    # Valgrind's README_DEVELOPERS (tests/fixtures/SOURCES.md) says "comment (3) above" two
    # thirds of the way down, a line the page rules would take for a "Comments (3)" footer.
    manual = (FIXTURES / "valgrind-readme-developers.html").read_bytes()
    document = document_of(tmp_path, "manual.html", manual)
    indexed = sum(s.end - s.start for s in document.segments if s.kind == "article")
    assert indexed >= 0.97 * len(document.text.strip())
    assert "Self-hosting" in document.text[document.segments[0].start : document.segments[-1].end]


def test_a_page_with_reader_comments_still_loses_its_furniture() -> None:
    document = load_document(next(f for f in list_corpus_files(DEMO_CORPUS) if f.doc_id == DRUM))
    dropped = [document.text[s.start : s.end] for s in document.segments if s.kind == "boilerplate"]
    assert any("Bookmark and Share" in text for text in dropped)
    assert any(s.kind == "comment" for s in document.segments)


def test_a_man_page_saved_from_a_terminal_reads_without_overstrike(tmp_path: Path) -> None:
    saved = (FIXTURES / "ls-man-page.txt").read_bytes()  # `man ls` with its bold kept
    assert b"N\x08NA\x08AM\x08ME\x08E" in saved
    document = document_of(tmp_path, "ls.txt", saved)
    assert "\x08" not in document.text and "\nNAME\n" in document.text
    assert "-a, --all\n              do not ignore entries starting with ." in document.text


def test_escape_codes_of_a_terminal_are_removed(tmp_path: Path) -> None:
    saved = (FIXTURES / "terminal-grep.txt").read_bytes()  # grep --color=always output
    assert b"\x1b[01;31m" in saved
    document = document_of(tmp_path, "grep.txt", saved)
    assert "\x1b" not in document.text
    assert "18:Valgrind tools that can automatically detect many memory management" in document.text


def test_a_documentation_page_is_read_without_its_navigation(tmp_path: Path) -> None:
    # Node.js's "Internationalization support" page: a sidebar of 60 module names, a table of
    # contents, a header, "copy" buttons on code and "#" permalinks beside each heading.
    html = (FIXTURES / "nodejs-intl.html").read_bytes()
    doc = document_of(tmp_path, "intl.html", html)
    text = doc.text
    left_out = dict(doc.removed)["navigation"]  # counted, so that the index report says so
    assert len("Assertion testing Asynchronous context tracking") < left_out < len(text)
    assert "Assertion testing" not in text and "Table of contents" not in text
    assert "Skip to content" not in text and "Node.js v20.20.2 documentation" not in text
    assert not re.search(r"^(copy|#)$", text, flags=re.MULTILINE)
    assert text.index("Options for building Node.js") < text.index("Detecting internationalization")
    code = "const hasFullICU = (() => {\n  try {\n    const january = new Date(9e8);\n"
    assert code in text  # pre keeps its line breaks and indentation


def test_a_manuals_side_boxes_of_prose_are_read_and_a_blogs_boxes_of_links_are_not(
    tmp_path: Path,
) -> None:
    # The Debian handbook (DocBook) writes its "COMMUNITY" and "TOOL" boxes as
    # <div class="sidebar">: who led Debian after its founder is said only there.
    handbook = document_of(
        tmp_path, "project.html", (FIXTURES / "debian-handbook-project.html").read_bytes()
    )
    assert "After passing the baton to Bruce Perens, Ian took a less public role." in handbook.text
    assert "The team is led by Steve McIntyre who is handling official Debian ISO builds." in (
        handbook.text
    )
    # A blog's widgets are links: left out, and counted as navigation.
    widgets = (
        "<aside class='widget'><h2>Recent posts</h2><ul>"
        "<li><a href='/2008/04/basra'>Fighting in Basra</a></li>"
        "<li><a href='/2008/03/ceasefire'>The ceasefire holds</a></li></ul></aside>"
    )
    page = f"<h1>A post</h1><p>The post itself.</p>{widgets}<p>Its last line.</p>"
    blog = document_of(tmp_path, "post.html", page.encode())
    assert "Recent posts" not in blog.text and "Fighting in Basra" not in blog.text
    assert "Its last line." in blog.text
    assert dict(blog.removed)["navigation"] >= len("Recent postsFighting in Basra")


def test_a_markdown_files_front_matter_is_left_out_and_gives_no_heading(tmp_path: Path) -> None:
    """systemd's pages open with Jekyll's settings, which CommonMark reads as a rule and a
    four-line heading ("title: ... SPDX-License-Identifier: ..." over "---")."""
    from qa.types import FRONT_MATTER

    front = "---\ntitle: Known Environment Variables\nlayout: default\n---"
    text = f"{front}\n\n# Known Environment Variables\n\nA number of components take parameters.\n"
    document = document_of(tmp_path, "ENVIRONMENT.md", text.encode())
    assert [h.title for h in document.headings] == ["Known Environment Variables"]
    (left_out,) = [s for s in document.segments if s.kind == "boilerplate"]
    assert document.text[left_out.start : left_out.end] == front
    assert left_out.reason == FRONT_MATTER
    untitled = document_of(tmp_path, "page.md", b'---\ntitle: "A page"\n---\n\nIts words.\n')
    assert untitled.title == "A page" and not untitled.headings
    # A rule at the top with no settings under it is a rule.
    ruled = document_of(tmp_path, "ruled.md", b"---\n\nJust a rule, then text.\n\n---\n")
    assert all(s.kind == "article" for s in ruled.segments)


def test_a_man_pages_running_header_and_footer_are_left_out(tmp_path: Path) -> None:
    """Alone, "XARGS(1)  General Commands Manual  XARGS(1)" was the first passage for any
    question naming the program."""
    from qa.types import RUNNING_LINES

    header = "XARGS(1)                 General Commands Manual                 XARGS(1)"
    footer = "                                                                XARGS(1)"
    body = "NAME\n       xargs - build and execute command lines from standard input\n"
    document = document_of(tmp_path, "xargs.txt", f"{header}\n\n{body}\n{footer}\n".encode())
    left_out = [s for s in document.segments if s.kind == "boilerplate"]
    assert [document.text[s.start : s.end].strip() for s in left_out] == [header, "XARGS(1)"]
    assert {s.reason for s in left_out} == {RUNNING_LINES}
    assert document.title == "xargs(1)"
    (article,) = [s for s in document.segments if s.kind == "article"]
    assert document.text[article.start : article.end] == body.rstrip()
    # A footer with the version and date; a text whose first line only looks like it is read.
    dated = document_of(
        tmp_path, "s.txt", f"{header}\n\n{body}\nGNU 9.1   2022   XARGS(1)\n".encode()
    )
    assert [s.kind for s in dated.segments] == ["boilerplate", "article", "boilerplate"]
    plain = document_of(tmp_path, "notes.txt", b"See xargs(1) for more.\n\nIt reads items.\n")
    assert [s.kind for s in plain.segments] == ["article"]


def test_a_table_of_data_is_a_row_a_line_and_a_layout_table_is_read_block_by_block(
    tmp_path: Path,
) -> None:
    # The Debian reference's tables (DocBook), Python's (Sphinx: a paragraph in each cell), and
    # a tip set out in a table of two cells, the icon's empty.
    page = (
        "<html><body><h1>Locales</h1>"
        "<table><tr><th>package</th><th>popcon</th><th>supported locale</th></tr>"
        "<tr><td>ibus-mozc</td><td>V:2,<br>I:3</td><td><p>Japanese</p></td></tr>"
        "<tr><td>ibus-hangul</td><td>V:0, I:2</td><td><p>Korean</p></td></tr></table>"
        '<table><tr><td><img alt="[Tip]" src="tip.png"></td><th>Tip</th></tr>'
        "<tr><td></td><td><p>UTF-8 is the modern preferred choice.</p></td></tr></table>"
        "<table><tr><td><ul><li>Install it.</li><li>Relogin.</li></ul></td>"
        "<td><p>Then switch input sources with SUPER-SPACE.</p></td></tr></table>"
        "</body></html>"
    )
    text = document_of(tmp_path, "i18n.html", page.encode()).text
    assert (
        "package | popcon | supported locale\n"
        "ibus-mozc | V:2, I:3 | Japanese\n"
        "ibus-hangul | V:0, I:2 | Korean\n"
    ) in text
    assert "Tip\nUTF-8 is the modern preferred choice." in text
    assert "- Install it.\n- Relogin." in text and " | " not in text.split("Korean")[1]
    cut_short = "<html><body><table><tr><td>a</td><td>b<br>c</td></tr><tr><td>d"
    assert document_of(tmp_path, "cut.html", cut_short.encode()).text == "a | b c\nd\n"


def test_a_markdown_file_of_raw_html_is_read_as_the_page_it_renders_to(tmp_path: Path) -> None:
    # What pandoc makes of a Sphinx page (gfm): navigation divs, linked words, tags wrapped
    # over two lines, a heading's permalink; and a table of HTML in Node's Markdown docs.
    source = (
        '<div class="sphinxsidebar" role="navigation">\n\n### Table of Contents\n\n'
        '-   <a href="#sorting-basics" class="reference internal">Sorting Basics</a>\n\n</div>\n\n'
        '# Sorting HOW TO<a href="#sorting-how-to" class="headerlink"\n'
        'title="Permalink to this heading">¶</a>\n\n'
        "Sorts are guaranteed to be\n"
        '<a href="https://en.wikipedia.org/wiki/Sorting_algorithm#Stability"\n'
        'class="reference external">stable</a>. The\n<a href="https://en.wikipedia.org/wiki/Timsort"'
        '\nclass="reference external">Timsort</a> algorithm used in Python sorts in place.\n\n'
        "<table>\n<tr><th>Constant</th><th>Description</th></tr>\n"
        "<tr><td><code>SIGINT</code></td><td>Sent when a user interrupts a process.</td></tr>\n"
        "</table>\n"
    )
    document = document_of(tmp_path, "sorting.md", source.encode())
    assert document.title == "Sorting HOW TO"
    assert [h.title for h in document.headings] == ["Sorting HOW TO"]
    text = document.text
    assert "Sorts are guaranteed to be stable. The Timsort algorithm used in Python" in text
    assert "Constant | Description\nSIGINT | Sent when a user interrupts a process." in text
    assert "<" not in text and "Sorting Basics" not in text
    words = "Sorting puts the lines of a file in order. " * 8
    plain = f"# Sorting\n\n{words}Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop `sort`.\n"
    assert document_of(tmp_path, "plain.md", plain.encode()).text == plain  # as written


def test_a_notes_box_title_is_no_section(tmp_path: Path) -> None:
    # PostgreSQL's reference pages: <h3 class="title">Note</h3> in a box between two options.
    page = (
        "<html><body><h1>pg_dump</h1><h2>Options</h2><dl><dt>-a</dt><dd><p>Dump only the "
        'data.</p><div class="note"><h3 class="title">Note</h3><p>Use --disable-triggers.</p>'
        "</div></dd><dt>-T pattern</dt><dd><p>Do not dump any tables matching pattern.</p>"
        "</dd></dl><h2>Notes</h2><p>If your database cluster has local additions ...</p>"
        "</body></html>"
    )
    document = document_of(tmp_path, "pg_dump.html", page.encode())
    assert [h.title for h in document.headings] == ["pg_dump", "Options", "Notes"]
    at = document.text.index("Do not dump any tables")
    assert document.section_at(at) == "pg_dump › Options"
