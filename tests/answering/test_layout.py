"""Passage layout: headings, navigation, code and comments, items, terms and prose."""

from __future__ import annotations

from qa.answering.layout import layout
from tests.helpers import PROPERTY_TABLE


def kinds(text: str, section: str | None = None) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in layout(text, section)]


def test_headings_by_section_title_by_markdown_and_by_shape():
    text = (
        "Example: Read file stream line-by-Line#\n"
        "The example reads a file one line at a time.\n\n"
        "## Options\n\n"
        "Debugging Applications\n\n"
        "Every option has a default."
    )
    found = kinds(text, "Guide › Example: Read file stream line-by-Line")
    assert found == [
        ("heading", "Example: Read file stream line-by-Line#"),
        ("prose", "The example reads a file one line at a time."),
        ("heading", "## Options"),
        ("heading", "Debugging Applications"),
        ("prose", "Every option has a default."),
    ]


def test_a_section_title_wrapped_onto_two_lines_is_one_heading():
    text = (
        "10.5.1  What does ``(stat: xxx)'' mean in the NAME column of Linux\n\tfiles?\n\n"
        "\tWhen lsof tried to stat(2) the path, the call failed."
    )
    section = "10.5.1 What does ``(stat: xxx)'' mean in the NAME column of Linux files?"
    assert [k for k, _ in kinds(text, section)] == ["heading", "heading", "prose"]
    assert [k for k, _ in kinds(text)][:2] != ["heading", "heading"]  # known by its section


def test_restructuredtext_markup_is_not_content_and_a_code_directive_holds_code():
    text = (
        ".. attention::\n   Use of ``pkg_resources`` is discouraged in favor of\n"
        "   ``importlib.resources``.\n\n"
        ".. code-block:: python\n\n    import pkg_resources\n    pkg_resources.require('x')\n\n"
        ".. This section isn't written yet.\n\nThat is all."
    )
    assert kinds(text) == [
        ("navigation", ".. attention::"),
        ("prose", text[18 : text.index("\n\n")]),
        ("navigation", ".. code-block:: python"),
        ("code", "import pkg_resources\n    pkg_resources.require('x')"),
        ("navigation", ".. This section isn't written yet."),
        ("prose", "That is all."),
    ]


def test_tab_indented_lines_are_measured_where_they_stand_on_screen():
    text = (
        "\t    7.  The checksum computed when the file is read must\n"
        "\t\tmatch the checksum recorded when the file was\n\t\twritten.\n\n"
        "\t    8.  The checksum section line must be followed by\n\t\tend-of-information."
    )
    assert [k for k, _ in kinds(text)] == ["item", "item"]


def test_a_short_line_with_a_permalink_mark_is_a_heading_without_a_section():
    text = "Example: Read file stream line-by-Line#\nThe example reads a file one line at a time."
    assert [k for k, _ in kinds(text)] == ["heading", "prose"]


def test_navigation_lines_are_not_content():
    text = "C O P Y\nNext\nTable of contents\n[zlib]: https://zlib.net/\nThe library is small."
    assert [k for k, _ in kinds(text)] == ["navigation"] * 4 + ["prose"]


def test_code_keeps_its_comments_and_a_fence_its_lines():
    text = (
        "Start a server:\n\n"
        "```js\n"
        "// Create an HTTP server\n"
        "const server = http.createServer();\n"
        "```\n\n"
        "The server listens on port 8000."
    )
    found = kinds(text)
    assert ("code", "// Create an HTTP server\nconst server = http.createServer();") in found
    assert found[-1] == ("prose", "The server listens on port 8000.")


def test_a_lone_comment_line_is_a_comment():
    assert kinds("// Create an HTTP server\nserver.listen(8000);")[0][0] == "code"
    assert kinds("The text.\n\n// Create an HTTP server")[-1] == (
        "comment",
        "// Create an HTTP server",
    )


def test_a_line_that_a_lower_case_line_goes_on_from_is_prose_not_a_heading_or_term():
    # man-db's FAQ: a title underlined, then a sentence wrapped after a URL in brackets.
    text = (
        "Why use man-db instead of man?\n"
        "==============================\n\n"
        "The man (currently http://example.org/man/) and man-db\n"
        "packages forked from a common code base in the mid-1990s."
    )
    section = "Frequently Asked Questions › Why use man-db instead of man?"
    assert kinds(text, section) == [
        ("heading", "Why use man-db instead of man?"),
        ("navigation", "=============================="),
        ("prose", text.split("\n\n")[1]),
    ]
    # An option's line over its description, indented, is still a term.
    assert kinds("--in-place, -i\n    edit files in place")[0][0] == "term"


def test_a_c_preprocessor_line_is_code_and_a_hash_comment_a_comment():
    # zlib's example: a fence that holds nothing but "#define CHUNK 16384".
    assert kinds("The size.\n\n```c\n#define CHUNK 16384\n```")[2] == (
        "code",
        "#define CHUNK 16384",
    )
    assert kinds("```c\n#  include <io.h>\n```")[1] == ("code", "#  include <io.h>")
    assert kinds("```sh\n# define the variables first\n```")[1][0] == "comment"
    # ... and unfenced, as a web page's <pre> reads: no line of it is a Markdown heading.
    code = "#if defined(MSDOS)\n#  include <io.h>\n#else\n#  define SET_BINARY_MODE(file)\n#endif"
    assert kinds(f"{code}\n\nCHUNK is the buffer size.") == [
        ("code", code),
        ("prose", "CHUNK is the buffer size."),
    ]
    assert kinds("# Install the package\n\nRun make.")[0][0] == "heading"


def test_a_command_after_a_colon_is_code_and_a_manual_option_is_a_term():
    text = "Use this command line:\nvalgrind --leak-check=yes myprog arg1\nMemcheck is the tool."
    assert [k for k, _ in kinds(text)] == ["prose", "code", "prose"]
    man = (
        "       -k, --keep-old-files\n              Don't replace existing files when extracting.\n"
    )
    assert [k for k, _ in kinds(man)] == ["term", "prose"]


def test_a_settings_keyword_over_its_description_is_a_term_even_without_indent():
    # ssh_config(5) printed to PDF: the keyword's line, then its description, all flush left.
    text = (
        "This ensures that shared connections are uniquely identified.\n"
        "ControlPersist\n"
        "When used in conjunction with ControlMaster, specifies that the master connection "
        "should remain open in the background.\n"
    )
    assert [k for k, _ in kinds(text)] == ["prose", "term", "prose"]
    # A name of a product alone on its line stays what it was: "PostgreSQL" has no humps.
    assert kinds("PostgreSQL\n\nIt stores rows.")[0][0] != "term"


def test_an_options_terse_description_under_it_is_prose_not_code():
    # GNU's --help style: a lower-case phrase, no final stop, ending with ")".
    man = (
        "       -a, --suffix-length=N\n"
        "              generate suffixes of length N (default 2)\n\n"
        "       --filter=COMMAND\n"
        "              write to shell COMMAND; file name is $FILE\n"
    )
    assert [k for k, _ in kinds(man)] == ["term", "prose", "term", "prose"]
    # An option with its description beside it, as --help prints it: as if it were under it.
    beside = "  -d       use numeric suffixes starting at 0\n  -a, --all  do not ignore entries\n"
    assert kinds(beside) == [
        ("term", "-d"),
        ("prose", "use numeric suffixes starting at 0"),
        ("term", "-a, --all"),
        ("prose", "do not ignore entries"),
    ]
    assert [k for k, _ in kinds("-6  5200k  2500k  1600k")] != ["term", "prose"]  # figures
    # Not a call over an indented line of code.
    code = "       do_thing(x)\n              other_thing(y);\n"
    assert "prose" not in [k for k, _ in kinds(code)]


def test_a_paragraphs_first_line_ending_on_and_is_prose_not_a_term():
    text = (
        "The importance of the distinction between [`child_process.exec()`][] and\n"
        "[`child_process.execFile()`][] can vary based on platform."
    )
    assert kinds(text) == [("prose", text)]


def test_a_short_and_a_long_option_on_two_lines_are_one_term():
    text = (
        "Options must appear before the command.\n\n"
        "-a\n--append\n\n"
        "Append the resource use information to the output file.\n\n"
        "--help\n\nPrint a summary of the options."
    )
    assert kinds(text) == [
        ("prose", "Options must appear before the command."),
        ("term", "-a\n--append"),
        ("prose", "Append the resource use information to the output file."),
        ("term", "--help"),
        ("prose", "Print a summary of the options."),
    ]


def test_all_the_spellings_of_an_option_on_their_lines_are_one_term():
    # git-stash's page: a short option, its long one and its negation over one definition; an
    # option named like a page's furniture ("--index") is an option all the same.
    text = (
        "--index\n\n"
        ": This option is only valid for pop and apply commands.\n\n"
        "-k\n--keep-index\n--no-keep-index\n\n"
        ": This option is only valid for push and save commands.\n\n"
        "All changes already added to the index are left intact."
    )
    assert kinds(text) == [
        ("term", "--index"),
        ("item", ": This option is only valid for pop and apply commands."),
        ("term", "-k\n--keep-index\n--no-keep-index"),
        ("item", ": This option is only valid for push and save commands."),
        ("prose", "All changes already added to the index are left intact."),
    ]


def test_a_bullet_alone_on_its_line_is_no_term():
    # pandoc's Markdown of jq's man page: each value of a list under a bullet of its own.
    text = "Values are sorted in the following order:\n\n○\n\n:   **null**\n\n○\n\n:   **false**"
    assert kinds(text) == [
        ("prose", "Values are sorted in the following order:"),
        ("navigation", "○"),
        ("item", ":   **null**"),
        ("navigation", "○"),
        ("item", ":   **false**"),
    ]


def test_wrapped_lines_form_one_paragraph_and_items_stand_alone():
    text = (
        "To help diagnose problems, the library is built with a large\n"
        "amount of debugging left enabled.\n"
        "- first item\n"
        "- second item, which wraps\n"
        "  onto a second line"
    )
    found = kinds(text)
    assert found[0][0] == "prose" and "large\namount" in found[0][1]
    assert [k for k, _ in found[1:]] == ["item", "item"]
    assert found[2][1].endswith("onto a second line")


def test_a_wrapped_line_starting_like_a_keyword_is_prose():
    # "intended", "default", "returns", "functions", "structure": words that start with "int",
    # "def", "return", "function", "struct" go on the paragraph, not into a code block.
    text = (
        "The `util.inspect()` method returns a string representation of `object` that is\n"
        "intended for debugging. The output of `util.inspect` may change at any time\n"
        "and should not be depended upon programmatically. Its options and their\n"
        "default values are listed above.\n"
        "\n"
        "const util = require('node:util');\n"
        "int main(void) {"
    )
    found = kinds(text)
    assert [k for k, _ in found] == ["prose", "code"]
    assert found[0][1].endswith("listed above.")
    assert found[1][1].startswith("const util")
    # gzip's man page: a wrapped line that starts with a quoted name, not a tag.
    text = (
        "To extract a zip file with a single member, use a command like 'gunzip\n"
        "<foo.zip' or 'gunzip -S .zip foo.zip'. To extract zip files with several\n"
        "members, use unzip instead of gunzip.\n\n"
        '<p class="note">Note</p>\n'
    )
    assert [k for k, _ in kinds(text)] == ["prose", "code"]


def test_a_line_of_tags_alone_reads_as_blank_but_in_a_fence():
    # pandoc's Markdown of SQLite's pages: each example in a '<div class="codeblock">'.
    text = 'Run a query:\n\n<div class="codeblock">\n\n    sqlite> .mode csv\n\n</div>\n'
    assert kinds(text) == [("prose", "Run a query:"), ("code", "sqlite> .mode csv")]
    # a program's own prompt is code wherever it is
    text = 'The output is CSV.\n\n<div class="codeblock">\n\n    sqlite> .mode csv\n\n</div>\n'
    assert kinds(text) == [("prose", "The output is CSV."), ("code", "sqlite> .mode csv")]
    assert kinds("postgres=# SELECT 1;")[0][0] == "code"
    fenced = '```html\n<div class="note">\n</div>\n```'
    assert ("code", '<div class="note">\n</div>') in kinds(fenced)


def test_a_wrapped_line_that_opens_with_a_keyword_goes_on_with_its_sentence():
    # SQLite's CLI page: "export" opens the line, but the sentence above runs on into it.
    text = (
        "The text format is pure SQL so you can also use the .dump command to\n"
        "export an SQLite database into other popular SQL database engines. Like\n"
        'this:\n\n<div class="codeblock">\n\n    $ createdb ex2\n'
        "    $ sqlite3 ex1 .dump | psql ex2\n\n</div>\n"
    )
    found = kinds(text)
    assert [k for k, _ in found] == ["prose", "code"]
    assert found[0][1].endswith("engines. Like\nthis:") and found[1][1].startswith("$ createdb")
    assert kinds("The easiest way is to call\nconst x = require(1);")[1][0] == "code"


def test_a_version_over_its_change_is_no_term():
    # A changelog table of Node's HTML pages, a cell a line: "v0.9.9" names no option.
    text = "v2.0.0\n\nNo longer returns a trailing slash.\n\nv0.9.9\n\nAdded in: v0.9.9"
    assert "term" not in [k for k, _ in kinds(text)]
    assert kinds("--nonet\n    Do not fetch DTDs.")[0] == ("term", "--nonet")


def test_a_myst_tab_holds_prose_and_its_own_code_fence():
    text = (
        "````{tab} Linux\n```\n~/.cache/pip\n```\n\npip will also respect `XDG_CACHE_HOME`.\n"
        "````\n\n```{note}\nThe zip application should not be used in production.\n```"
    )
    assert [(k, t) for k, t in kinds(text) if k != "navigation"] == [
        ("code", "~/.cache/pip"),
        ("prose", "pip will also respect `XDG_CACHE_HOME`."),
        ("prose", "The zip application should not be used in production."),
    ]


def test_a_myst_see_also_box_points_elsewhere_and_is_no_content():
    text = (
        "pip reads its settings from three files.\n\n```{seealso}\n"
        "{doc}`../cli/pip_config` command, which helps manage pip's configuration.\n```"
    )
    assert [(k, t) for k, t in kinds(text) if k != "navigation"] == [
        ("prose", "pip reads its settings from three files.")
    ]


def test_a_definition_list_is_terms_over_their_definitions():
    text = (
        "Global\n: In a subdirectory of the paths in `XDG_CONFIG_DIRS`.\n\n"
        "User\n: {file}`$HOME/.config/pip/pip.conf`, which respects `XDG_CONFIG_HOME`.\n"
    )
    assert [k for k, _ in kinds(text)] == ["term", "item", "term", "item"]


def test_a_gnu_manuals_definition_line_is_a_term_however_long_its_signature():
    signature = (
        "Function: ffi_status ffi_prep_cif (ffi_cif *cif, ffi_abi abi, unsigned int nargs, "
        "ffi_type *rtype, ffi_type **argtypes)"
    )
    text = f"{signature}\n\n: This initializes cif according to the given parameters.\n"
    assert [k for k, _ in kinds(text)] == ["term", "item"]
    # A long line over a definition is no term without its category.
    text = f"{signature[len('Function: ') :]}\n\n: This initializes cif.\n"
    assert [k for k, _ in kinds(text)][0] != "term"


def test_a_short_term_beside_its_description_is_a_term_when_the_description_goes_on_below():
    # man sets a tag shorter than the indent beside its paragraph, which goes on at its column.
    text = (
        "       port   You  can\toverride the default port the daemon will listen on by\n"
        "\t      specifying this value (defaults to 873).\n\n"
        "       The  first  parameters  in  the file (before a [module] header) are the\n"
        "       global parameters:"
    )
    assert [k for k, _ in kinds(text)][:2] == ["term", "prose"]
    assert kinds(text)[0][1] == "port"
    # Justified prose has wide gaps too, but goes on at its own column.
    assert all(k != "term" for k, _ in kinds(text.split("\n\n")[1]))


def test_asciidoc_labels_are_terms_and_its_markup_is_no_content():
    text = (
        "-u::\n--include-untracked::\n\tWhen used with the `push` command, all untracked\n"
        "\tfiles are also stashed.\n+\nWhen used with the `show` command, show them too.\n\n"
        "Recovering stash entries that were dropped::\n\n"
        "If you drop stash entries, they cannot be recovered that way.\n\n"
        "include::config/stash.txt[]\n\nFor example::\n\n    $ git stash list\n"
    )
    assert [k for k, _ in kinds(text)] == [
        "term", "prose", "navigation", "prose", "term", "prose", "navigation", "prose", "code"
    ]  # fmt: skip
    # A label whose description the passage's end cuts off is still no sentence.
    assert kinds("Recovering stash entries that were dropped::") == [
        ("term", "Recovering stash entries that were dropped::")
    ]


def test_a_question_that_is_a_paragraph_of_its_own_is_a_heading():
    text = (
        "(9) What is the maximum size of a VARCHAR in SQLite?\n\n"
        "SQLite does not enforce the length of a VARCHAR.\n\n"
        "What should I put in user.name?\n\n: You should put your personal name.\n\n"
        "I've made a mistake in the last commit. How do I change it?\n\n"
        ": Stage the change, then run git commit --amend.\n\n"
        "Why is it slow? Each transaction waits for the disk.\n"
    )
    assert kinds(text) == [
        ("heading", "(9) What is the maximum size of a VARCHAR in SQLite?"),
        ("prose", "SQLite does not enforce the length of a VARCHAR."),
        ("heading", "What should I put in user.name?"),
        ("item", ": You should put your personal name."),
        ("heading", "I've made a mistake in the last commit. How do I change it?"),
        ("item", ": Stage the change, then run git commit --amend."),
        ("prose", "Why is it slow? Each transaction waits for the disk."),
    ]


def test_exit_statuses_and_codes_are_terms_over_their_meanings():
    # An HTML man page's <dl> of return codes, as its reader writes it.
    text = (
        "xsltproc return codes provide information for scripts.\n\n"
        "0\n\nNo error (normal operation)\n\n4\n\nFailed to parse the stylesheet\n\n"
        "FFI_BAD_ABI\n\nThe abi parameter is invalid"
    )
    assert kinds(text) == [
        ("prose", "xsltproc return codes provide information for scripts."),
        ("term", "0"),
        ("prose", "No error (normal operation)"),
        ("term", "4"),
        ("prose", "Failed to parse the stylesheet"),
        ("term", "FFI_BAD_ABI"),
        ("prose", "The abi parameter is invalid"),
    ]
    # Figures one after another are no terms: none is over a meaning.
    assert all(k != "term" for k, _ in kinds("Totals\n\n12\n\n14\n\n16"))


def test_rows_of_cells_or_of_figures_are_a_table_but_one_such_line_is_not():
    word_table = "UID/GID | Purpose | Defined By\n0 | root user | Linux\n5 | tty group | systemd"
    assert {kind for kind, _ in kinds(word_table)} == {"table"}
    figures = "Flag usage Size\n-1 1200k 500k 914704\n-2 2000k 900k 877703"
    assert kinds(figures)[1:] == [
        ("table", "-1 1200k 500k 914704"),
        ("table", "-2 2000k 900k 877703"),
    ]
    lone = "The release shipped on 3 May.\n\nIt took 12 of 40 days at 8 hours.\n\nls | sort | uniq"
    assert "table" not in {kind for kind, _ in kinds(lone)}


def test_a_two_column_table_is_a_table_but_two_lines_or_indented_pipelines_are_not():
    word_table = (
        "command | function\n"
        "passwd -e | set one-time password for the account activation\n"
        "chage | manage password aging information"
    )
    assert {kind for kind, _ in kinds(word_table)} == {"table"}
    two_lines = "Pipe it on:\n\ncat notes | sort\nls | wc -l"
    assert "table" not in {kind for kind, _ in kinds(two_lines)}
    pipelines = "Examples:\n\n    ps aux | grep ssh\n    ls | wc -l\n    cat x | sort"
    assert "table" not in {kind for kind, _ in kinds(pipelines)}


def test_names_each_beside_a_figure_are_a_table_of_two_columns():
    # Python's logging levels, printed to PDF: a name and a figure a line.
    levels = "Level Numeric value\nCRITICAL 50\nERROR 40\nWARNING 30\nINFO 20"
    assert [kind for kind, _ in kinds(levels)] == ["prose", "table", "table", "table", "table"]
    assert "table" not in {kind for kind, _ in kinds("Chapter 5\n\nSee page 12.\n\nPart 2")}


def test_a_table_of_words_is_one_row_a_line_and_a_wrapped_row_one_block():
    rows = [text for kind, text in kinds(PROPERTY_TABLE) if kind == "table"]
    assert rows == [
        "family String Font family names",
        "style String Font style. Overrides weight and slant",
        "slant Int Italic, oblique or roman",
        "ftface FT_Face Use the specified FreeType face object",  # its type seen once
        "rgba Int unknown, rgb, bgr, vrgb, vbgr,\nnone - subpixel geometry",
        "lang String List of RFC-3066-style languages this\nfont supports",
        "antialias Bool Whether glyphs can be antialiased",
        "hinting Bool Whether the rasterizer should use hinting",
    ]


def test_hard_wrapped_prose_with_repeated_second_words_is_not_a_table():
    man_page = (
        "permissions artefacts which the -perm test ignores.   This  test\n"
        "makes  use of the access(2) system call, and so can be fooled by\n"
        "NFS servers which do UID mapping (or root-squashing), since many\n"
        "systems implement access(2) in the client's kernel and so cannot\n"
        "make use of the UID mapping information held on the server.\n"
    )
    variables = (
        "Special built-in variables ($in, $out).\n"
        "Build-level variables from the build block.\n"
        "Rule-level variables from the rule block.\n"
        "File-level variables from the file that the build line was in.\n"
    )
    for text in (man_page, variables):
        assert "table" not in {kind for kind, _ in kinds(text)}


def test_a_root_prompt_under_a_colon_is_code_and_a_heading_stays_one():
    # The Debian reference: "You need to configure it as:" over "# dpkg-reconfigure locales".
    text = "You need to configure it as:\n\n# dpkg-reconfigure locales\n\nIt takes 2 steps."
    assert kinds(text)[1] == ("code", "# dpkg-reconfigure locales")
    assert kinds("Install it:\n\n# Usage\n\nRun it.")[1] == ("heading", "# Usage")
    assert kinds("It is done.\n\n# install\n\nRun it.")[1][0] == "heading"


def test_a_numbered_line_under_its_outline_title_is_its_heading():
    # Bash's manual: the outline says "Special Parameters", the page "3.4.2 Special Parameters".
    text = "3.4.2 Special Parameters\nThe shell treats several parameters specially.\n1. Special"
    section = "Basic Shell Features › Shell Parameters › Special Parameters"
    assert kinds(text, section)[0] == ("heading", "3.4.2 Special Parameters")
    assert kinds("1. Special Parameters", section)[0][0] == "item"  # a step, not a heading
