"""Candidates: which sentences of a passage may answer, and what they bring with them."""

from __future__ import annotations

from dataclasses import replace

from qa.answering.answer_types import is_named
from qa.answering.sentences import (
    Candidate,
    candidates,
    example,
    join_hyphenated,
    quoted_literals,
    split_prose,
)
from qa.types import Passage


def passage(text: str, section: str | None = None, start: int = 100) -> Passage:
    return Passage(text, 1.0, "doc.md", "Doc", start, start + len(text), "article", section=section)


def texts(text: str, section: str | None = None) -> list[str]:
    return [c.sentence.text for c in candidates([passage(text, section)])]


def by_sentence(text: str) -> dict[str, Candidate]:
    return {c.sentence.text: c for c in candidates([passage(text)])}


def test_headings_comments_navigation_and_verbless_fragments_are_never_candidates():
    text = (
        "Example: Read file stream line-by-Line#\n"
        "C O P Y\n"
        "```js\n"
        "// Create an HTTP server\n"
        "const server = http.createServer();\n"
        "```\n"
        "Stability: 2 - Stable\n\n"
        "The server answers every request with the same page."
    )
    assert texts(text, "Example: Read file stream line-by-Line") == [
        "The server answers every request with the same page."
    ]


def test_code_after_for_example_is_the_procedure_of_the_sentence_before():
    text = (
        "It must still be enabled by the application at runtime, using the PRAGMA "
        "foreign_keys command. For example:\n\n    sqlite> PRAGMA foreign_keys = ON;\n\n"
        "Foreign key constraints are disabled by default."
    )
    found = by_sentence(text)
    first = found[
        "It must still be enabled by the application at runtime, using the PRAGMA "
        "foreign_keys command."
    ]
    assert first.procedure is not None
    assert first.procedure.text.strip() == "sqlite> PRAGMA foreign_keys = ON;"


def test_an_item_its_sentence_goes_on_from_is_never_a_candidate():
    # SQLite's list of the errors a foreign key's DML may raise: one sentence over three items.
    text = (
        "An error is reported if:\n\n"
        "- The parent table does not exist, or\n"
        "- The parent key columns named in the constraint are not the primary key, and\n"
        "- The number of columns differs.\n"
    )
    found = texts(text)
    assert "The parent table does not exist, or" not in found
    assert not any(t.endswith("primary key, and") for t in found)
    assert texts(text.replace(", or\n", ".\n")).count("The parent table does not exist.") == 1


def test_a_question_is_never_a_candidate():
    text = (
        "- How do I list all tables in a database?\n- Is SQLite threadsafe?\n\n"
        "Why would you want more? The tables are listed in the schema table. "
        'Ask "what is in it?"'
    )
    assert texts(text) == ["The tables are listed in the schema table."]


def test_a_sentence_about_the_document_is_never_a_candidate():
    text = (
        "This chapter describes all the Nettle functions, grouped by family. "
        "Those functions which can fail return one on success and zero on failure."
    )
    assert texts(text) == [
        "Those functions which can fail return one on success and zero on failure."
    ]


def test_a_sentence_cut_by_the_chunk_edges_is_not_a_candidate():
    text = (
        "use it, specify --track-origins=yes.\n\n"
        "Memcheck reports uninitialised values. It then tracks where they came from, and"
    )
    assert texts(text) == ["Memcheck reports uninitialised values."]


def test_a_sentence_ending_in_an_address_needs_no_full_stop():
    # procps's bugs.md; a line cut off, or a short one of a list, is still none.
    text = (
        "Where to send\n\n"
        "Alternatively send comments, bug reports, patches, etc.\n"
        "to the email list procps@freelists.org"
    )
    assert texts(text) == [text.split("\n\n")[1]]
    assert texts("Reports go to the list.\n\nSee the mailing list at lists.example.org") == [
        "Reports go to the list."
    ]
    assert texts("Reports go to the list.\n\nThe tracker is at https://example.org") == [
        "Reports go to the list."
    ]


def test_a_sentence_that_refers_back_brings_the_one_before_it():
    text = "The cache is cleared every night by a timer. This keeps the disk from filling up."
    found = candidates([passage(text)])
    last = found[-1]
    assert last.sentence.text == "This keeps the disk from filling up."
    assert last.context is not None
    assert last.context.text == "The cache is cleared every night by a timer."
    assert last.text == text
    assert found[0].context is None


def test_an_option_description_brings_the_option():
    text = "--log-file=<filename>\nSpecifies that all messages go to the named file."
    (only,) = candidates([passage(text)])
    assert only.context is not None and only.context.text == "--log-file=<filename>"


def test_an_options_terse_description_is_a_candidate_without_a_verb():
    text = "       -a, --suffix-length=N\n              generate suffixes of length N (default 2)"
    (only,) = candidates([passage(text)])
    assert only.sentence.text == "generate suffixes of length N (default 2)"
    assert only.context is not None and only.context.text == "-a, --suffix-length=N"


def test_a_definitions_first_sentence_under_its_option_leads():
    # pg_dump's page: each option a <dt>, its description a <dd> (": " under the term).
    text = (
        "-a\n--data-only\n\n"
        ": Dump only the data, not the schema (data definitions). Table data, large objects, "
        "and sequence values are dumped.\n\n"
        "This option is similar to, but for historical reasons not identical to, specifying "
        "--section=data."
    )
    leads = [c.sentence.text for c in candidates([passage(text)]) if c.leads]
    assert leads == ["Dump only the data, not the schema (data definitions)."]


def test_where_an_option_applies_is_no_lead_the_sentence_after_it_is():
    # git-stash's page: the definition opens with a note on where the option is valid; its
    # second paragraph is the definition's too (the HTML reader marks each ": ").
    text = (
        "-k\n--keep-index\n--no-keep-index\n\n"
        ": This option is only valid for push and save commands.\n\n"
        ": All changes already added to the index are left intact.\n\n"
        "-p\n--patch\n\n"
        ": Interactively select hunks from the diff between HEAD and the working tree."
    )
    leads = [c.sentence.text for c in candidates([passage(text)]) if c.leads]
    assert leads == [
        "All changes already added to the index are left intact.",
        "Interactively select hunks from the diff between HEAD and the working tree.",
    ]


def test_a_purpose_over_its_code_is_a_candidate_without_a_verb():
    # pg_dump's examples: "To <verb> ...:" over the command, no finite verb in it.
    text = (
        "Examples\n\nTo dump a database into a custom-format archive file:\n\n"
        "$ pg_dump -Fc mydb > db.dump\n\nA custom-format archive file for pg_restore"
    )
    (only,) = candidates([passage(text, "Examples")])
    assert only.sentence.text == "To dump a database into a custom-format archive file:"
    assert only.procedure is not None and only.procedure.text == "$ pg_dump -Fc mydb > db.dump"


def test_a_pdf_items_line_in_lower_case_goes_on_with_its_sentence():
    # Bash's manual as a PDF: no indentation tells an item's wrapped line from a paragraph.
    text = (
        "• The expansion ${var:offset[:length]}, which expands to the substring of var's value\n"
        "of length length, beginning at offset, is present.\n"
        "• The $'...' quoting syntax is available."
    )
    assert texts(text)[0].endswith("of length length, beginning at offset, is present.")


def test_every_sentence_of_a_description_knows_its_option_until_the_next_one():
    text = (
        "--log-fd=<number> [default: 2, stderr]\n"
        "Specifies that messages go to the file descriptor. The default is standard error.\n"
        "--log-file=<filename>\n"
        "Specifies that messages go to the named file. It must be writable."
    )
    found = by_sentence(text)
    first = found["Specifies that messages go to the file descriptor."]
    assert first.context is not None and first.term is None  # the option is its context
    assert first.described is first.context
    second = found["The default is standard error."]
    assert second.term is not None and second.term.text.startswith("--log-fd=")
    last = found["It must be writable."]
    assert last.described is not None and last.described.text == "--log-file=<filename>"


def test_a_heading_that_names_a_function_is_what_its_section_describes():
    for heading in (
        "timeout.unref()",
        "#### `ensurepip`",
        "dns.setDefaultResultOrder(order)",
        "### `emitter.prependListener(eventName, listener)`",
    ):
        text = (
            f"{heading}\n\nWhen called, the object no longer keeps the event loop running.\n\n"
            "Calling it again has no effect."
        )
        first, second = candidates([passage(text, section=f"Timers › {heading}")])
        # quoted without a Markdown heading's marks
        assert first.described is not None and first.described.text == heading.lstrip("# ")
        assert second.described == first.described
        assert first.leads and not second.leads  # the first sentence under it says what it is
    for heading in ("2.13. Non-regular files", "Caching", "### Default paths"):
        text = f"{heading}\n\nSometimes it is useful to assign types to other objects."
        (found,) = candidates([passage(text, section=heading)])
        assert found.described is None


def test_a_functions_returns_line_under_its_heading_does_not_end_its_description():
    # Node's timers page printed to PDF: the signature's "Returns:" line, then the description.
    text = (
        "timeout.unref()\n"
        "Returns: <Timeout> a reference to timeout\n"
        "When called, the active Timeout object will not require the event loop to remain "
        "active."
    )
    (found,) = candidates([passage(text, section="Timers › timeout.unref()")])
    assert found.described is not None and found.described.text == "timeout.unref()"
    assert found.leads
    # Under an option's line, a label still ends what the option describes.
    text = (
        "--verbose\n    Print each file's name.\n"
        "Example: tar -cvf a.tar dir\nThe manual lists every option."
    )
    described = [c.described for c in candidates([passage(text)])]
    assert described[0] is not None and described[-1] is None


def test_a_functions_prototype_comes_between_its_heading_and_its_short_first_sentence():
    # The bzip2 manual: a numbered heading that is one identifier, the C prototype, then
    # "Prepares for compression.", three words.
    text = (
        "3.3.1. BZ2_bzCompressInit\n"
        "int BZ2_bzCompressInit ( bz_stream *strm,\n"
        "int blockSize100k );\n"
        "Prepares for compression. The bz_stream structure holds all data of the activity."
    )
    first, second = candidates([passage(text, section="3.3.1. BZ2_bzCompressInit")])
    assert first.sentence.text == "Prepares for compression." and first.leads
    assert first.described is not None and first.described.text == "3.3.1. BZ2_bzCompressInit"
    assert second.described == first.described and not second.leads


def test_code_after_a_description_ends_what_the_option_describes():
    text = (
        "[50:text/x-diff]\n"
        "Each line in the section takes the form:\n"
        '[ indent ] ">" start-offset "=" value\n'
        "Note that the value is binary. The word size is used for byte-swapping."
    )
    found = by_sentence(text)
    assert found["The word size is used for byte-swapping."].described is None
    assert found["Each line in the section takes the form:"].described is not None


def test_a_sentence_over_a_page_break_is_read_without_the_running_lines():
    text = (
        "Versions 0.9.5 and above fare much better in this respect. The ratio between\n"
        "6\n\n"
        "How to use bzip2\n"
        "worst-case and average-case compression time is in the region of 10:1."
    )
    footer, header = text.index("6\n"), text.index("How to use")
    running = ((100 + footer, 101 + footer), (100 + header, 100 + header + 16))
    page_break = replace(passage(text), running_lines=running)
    found = [c.sentence for c in candidates([page_break])]
    ratio = found[-1]
    assert " ".join(ratio.text.split()) == (
        "The ratio between worst-case and average-case compression time is in the region of 10:1."
    )
    assert text[ratio.start - 100 : ratio.end - 100].startswith("The ratio between\n6\n\nHow")
    assert not any("How to use" in s.text for s in found)
    # The same text without its running lines known reads the header as a sentence's start.
    assert any(c.sentence.text.startswith("How to use bzip2") for c in candidates([passage(text)]))


def test_an_ellipsis_the_sentence_goes_on_after_ends_nothing():
    text = (
        'Files containing runs of symbols, like "aabaab ..." (repeated several hundred times) '
        "may compress more slowly. Compression is then slower... Decompression is not."
    )
    assert [text[a:z] for a, z in split_prose(text)] == [
        'Files containing runs of symbols, like "aabaab ..." (repeated several hundred times) '
        "may compress more slowly.",
        "Compression is then slower...",
        "Decompression is not.",
    ]


def test_a_period_standing_alone_as_a_word_ends_nothing_before_lower_case():
    text = (
        "It returns the extension, from the last occurrence of the . (period) character to the "
        "end of the path . If there is no . in the path , an empty string is returned."
    )
    assert [text[a:z] for a, z in split_prose(text)] == [
        "It returns the extension, from the last occurrence of the . (period) character to the "
        "end of the path .",
        "If there is no . in the path , an empty string is returned.",
    ]


def test_a_default_later_in_the_block_is_kept_with_the_sentence():
    text = (
        "The options of the parser are these.\n"
        "- maxKeys {number} Specifies the maximum number of keys to parse. "
        "Specify 0 to remove key counting limitations. Default: 1000.\n"
        "- sep {string} The substring used to split pairs."
    )
    found = by_sentence(text)
    described = found["maxKeys {number} Specifies the maximum number of keys to parse."]
    assert described.default is not None and described.default.text == "Default: 1000."
    assert text[described.default.start - 100 : described.default.end - 100] == "Default: 1000."
    assert found["sep {string} The substring used to split pairs."].default is None


def test_a_sentence_before_a_code_block_carries_it_verbatim_with_offsets():
    code = "    $ pip install keyring\n    $ keyring set pypi.example.com alice"
    text = f"Store the password in the keyring with these commands:\n\n{code}\n\nThat is all."
    first = candidates([passage(text, start=100)])[0]
    assert first.procedure is not None
    assert first.procedure.text == code  # indentation and newlines kept
    assert first.procedure.start == 100 + text.index(code)
    assert first.procedure.end == first.procedure.start + len(code)


def test_wrapped_prose_splits_at_sentence_ends_and_after_short_lines():
    text = "A sentence that wraps\nonto a second line. Another one.\nShort line\nNext sentence."
    spans = [text[a:b] for a, b in split_prose(text)]
    assert spans == [
        "A sentence that wraps\nonto a second line.",
        "Another one.",
        "Short line",
        "Next sentence.",
    ]


def test_a_definition_needs_no_verb_and_brings_its_term():
    text = (
        "The files are in standard places.\n\n"
        "User\n: {file}`$HOME/.config/pip/pip.conf`, in the home folder.\n\n"
        "Site\n: {file}`$VIRTUAL_ENV/pip.conf`\n"
    )
    found = candidates([passage(text)])
    assert [c.text for c in found] == [
        "The files are in standard places.",
        "User {file}`$HOME/.config/pip/pip.conf`, in the home folder.",
        "Site {file}`$VIRTUAL_ENV/pip.conf`",
    ]
    assert found[1].context is not None and found[1].context.kind == "term"


def test_a_quoted_literal_finds_its_example_line_and_the_comments_after_it():
    assert quoted_literals("What does Node's extname return for 'index.coffee.md'?") == [
        "index.coffee.md"
    ]
    assert quoted_literals('Is "utf-8" or `latin-1` the default?') == ["utf-8", "latin-1"]
    text = (
        "The method returns the extension.\n\n"
        "path.extname('index.html');\n// Returns: '.html'\n"
        "path.extname('index.coffee.md');\n// Returns: '.md'\nconsole.log('done');"
    )
    found = example(["index.coffee.md"], [passage(text)], 0)
    assert found is not None and found.kind == "code"
    assert found.text == "path.extname('index.coffee.md');\n// Returns: '.md'"
    assert text[found.start - 100 : found.end - 100] == found.text
    assert example(["index.js"], [passage(text)], 0) is None


def test_a_table_row_is_a_candidate_with_its_header_and_the_header_is_not():
    pipes = (
        "| Compressor name | Ratio | Decompress. |\n"
        "| --------------- | ----- | ----------- |\n"
        "| zstd 1.5.1 -1   | 2.887 | 1700 MB/s   |\n"
        "| zlib 1.2.11 -1  | 2.743 |  400 MB/s   |"
    )
    figures = (
        "Here is a table of the memory used.\n"
        "Compress Decompress Corpus\n"
        "Flag usage usage Size\n\n"
        "  -1   1200k   500k   914704\n"
        "  -2   2000k   900k   877703"
    )
    for text, header, rows in (
        (pipes, "| Compressor name | Ratio | Decompress. |", 2),
        (figures, "Compress Decompress Corpus\nFlag usage usage Size", 2),
    ):
        found = [c for c in candidates([passage(text, start=0)]) if c.sentence.kind == "table"]
        assert len(found) == rows
        for candidate in found:
            assert candidate.context is not None and candidate.context.text == header
            assert text[candidate.context.start : candidate.context.end] == header
            assert text[candidate.sentence.start : candidate.sentence.end] in [
                line.strip() for line in text.split("\n")
            ]
        assert found[-1].sentence.text.strip("| ").startswith(("zlib", "-2"))


def test_a_word_hyphenated_over_a_man_page_line_break_is_read_whole():
    text = (
        "       It is also important to appreciate that the decompression memory re‐\n"
        "       quirement is set at compression time by the choice of block size.\n"
    )
    (found,) = candidates([passage(text, start=0)])
    assert "memory requirement is set" in " ".join(found.sentence.text.split())
    assert found.sentence.end - found.sentence.start == len(found.sentence.text)


def test_join_hyphenated_moves_the_rest_of_the_word_up_keeping_offsets_and_indents():
    text = (
        "    the memory re\u2010\n    quirement is set; see BLOCK\u2010\n    SIZE, a compound-\n"
        "    word, a direc\u2010\n    tory\n"
    )
    joined = join_hyphenated(text)
    assert joined == (
        "    the memory requirement  \n    is set; see BLOCKSIZE,  \n    a compound-\n"
        "    word, a direc\u2010\n    tory\n"  # moving "tory" up would leave a blank line
    )
    assert len(joined) == len(text)


# Node.js's option lists, as their Markdown source writes them.
NODE_OPTIONS = (
    "* `options` {Object}\n"
    "  * `timeout` {number} **Default:** `0`\n"
    "  * `maxBuffer` {number} Largest amount of data in bytes allowed on stdout or\n"
    "    stderr. If exceeded, the child process is terminated and any output is\n"
    "    truncated. See caveat at [`maxBuffer` and Unicode][].\n"
    "    **Default:** `1024 * 1024`.\n"
    "  * `killSignal` {string|integer} **Default:** `'SIGTERM'`"
)


def test_an_item_led_by_a_name_in_code_describes_that_name_down_to_its_default():
    found = by_sentence(NODE_OPTIONS)
    first = found[
        "`maxBuffer` {number} Largest amount of data in bytes allowed on stdout or\n    stderr."
    ]
    assert first.term is not None and first.term.text == "`maxBuffer`"
    assert first.default is not None and first.default.text == "**Default:** `1024 * 1024`."
    # A wrapped line as deep as the line before it goes on with the item, not a paragraph.
    later = found["If exceeded, the child process is terminated and any output is\n    truncated."]
    assert later.sentence.kind == "item" and later.term == first.term
    assert found["See caveat at [`maxBuffer` and Unicode][]."].term == first.term


def test_an_item_of_a_name_and_its_default_is_a_candidate_without_a_verb():
    found = by_sentence(NODE_OPTIONS)
    assert "`killSignal` {string|integer} **Default:** `'SIGTERM'`" in found
    assert "`timeout` {number} **Default:** `0`" in found
    assert not any(text.startswith("`options`") for text in found)  # a name and a type only


def test_a_sentence_that_refers_back_to_its_heading_comes_with_it():
    text = (
        "### Trimmed: `small-icu` (English only) support\n\n"
        "In this configuration, only English data is included, but\n"
        "the full `Intl` (ECMA-402) APIs. The build downloads nothing more."
    )
    found = by_sentence(text)
    sentence = "In this configuration, only English data is included, but\n"
    first = found[f"{sentence}the full `Intl` (ECMA-402) APIs."]
    assert first.context is not None
    assert first.context.text == "Trimmed: `small-icu` (English only) support"
    assert found["The build downloads nothing more."].context is None
    # ... but not to an FAQ's question: the answer would quote the question.
    asked = (
        "3.1.9 What happens when a new release is made?\n\n"
        "This question will not help you in choosing a Debian distribution."
    )
    sentence = "This question will not help you in choosing a Debian distribution."
    assert by_sentence(asked)[sentence].context is None


def test_a_bare_verdict_comes_with_the_sentence_after_it():
    # The Debian FAQ's "Can I make and sell Debian CDs?"
    text = "Go ahead. You do not need permission to distribute anything we have released."
    found = by_sentence(text)["You do not need permission to distribute anything we have released."]
    assert found.context is not None and found.context.text == "Go ahead."


def test_a_gnu_manuals_definition_line_is_what_its_description_describes():
    text = (
        "Memory for closures is handled by a pair of functions:\n\n"
        "Function: void *ffi_closure_alloc (size_t size, void **code)\n\n"
        ": Allocate a chunk of memory holding size bytes.\n\n"
        "Returns: a pointer\n\n: The writable address."
    )
    found = by_sentence(text)
    first = found["Allocate a chunk of memory holding size bytes."]
    assert first.leads and first.described is not None
    assert first.described.text.startswith("Function: void *ffi_closure_alloc")
    assert is_named(first.described.text, "ffi_closure_alloc")
    assert is_named("Macro: FFI_CLOSURES", "FFI_CLOSURES")
    assert not is_named("Returns: a pointer", "a pointer")  # a label, not a term


def test_a_sentence_under_a_heading_may_open_with_a_name_in_lower_case():
    text = (
        "4 Missing Features\n\nlibffi is missing a few features. We welcome patches.\n\n"
        "- Variadic closures.\n- There is no support for bit fields in structures."
    )
    found = candidates([Passage(text, 1.0, "f.html", "f", 0, len(text), "article", section="4")])
    assert "libffi is missing a few features." in {c.sentence.text for c in found}
    # A chunk that begins inside a sentence still has no candidate there.
    cut = "is missing a few features. We welcome patches to add support for these."
    found = candidates([Passage(cut, 1.0, "f.html", "f", 0, len(cut), "article")])
    assert [c.sentence.text for c in found] == ["We welcome patches to add support for these."]


def test_the_prose_after_a_definition_list_is_not_its_last_terms():
    # libffi's manual: the paragraph after the list of two functions is about the next step.
    text = (
        "Function: void ffi_closure_free (void *writable)\n\n"
        ": Free memory allocated using ffi_closure_alloc.\n\n"
        ": The argument is the writable address that was returned.\n\n"
        "Once you have allocated the memory for a closure, you must construct a ffi_cif.\n\n"
        "User\n: The file $HOME/.config/pip/pip.conf is read first.\n\n"
        "  This will be followed by loading the file /etc/pip.conf.\n"
    )
    found = by_sentence(text)
    assert found["The argument is the writable address that was returned."].described is not None
    after = found["Once you have allocated the memory for a closure, you must construct a ffi_cif."]
    assert after.described is None
    # A Markdown definition's later paragraph is indented: it is still the definition's.
    later = next(c for t, c in found.items() if t.startswith("This will be followed"))
    assert later.described is not None and later.described.text == "User"
