"""The extractive answerer with the real bundled model and a real index's word weights."""

from __future__ import annotations

import re

import pytest

from qa.answering.base import Asked
from qa.answering.extractive import NO_ANSWER, ExtractiveAnswerer, _shows_how
from qa.answering.sentences import candidates
from qa.settings import AnswerSettings
from qa.types import Passage
from tests.helpers import PROPERTY_TABLE


@pytest.fixture(scope="module")
def answerer(encoder, corpus_qa):
    return ExtractiveAnswerer(encoder, corpus_qa.retriever.index.word_weights, AnswerSettings())


def passage(text: str, doc_id: str = "guide.md", section: str | None = None) -> Passage:
    return Passage(text, 1.0, doc_id, "Guide", 0, len(text), "article", section=section)


def ask(answerer, question, passages):
    return answerer.answer(question, passages, answerer.encoder.encode([question])[0])


def test_a_how_to_question_gets_the_code_block_verbatim(answerer):
    code = "  $ python -m venv .venv\n  $ .venv/bin/pip install --upgrade pip"
    text = (
        "Virtual environments\n\n"
        "A virtual environment keeps the packages of one project apart from the others.\n\n"
        f"To create a virtual environment and upgrade pip inside it, run:\n\n{code}\n\n"
        "The environment can be deleted at any time."
    )
    found = passage(text, section="Virtual environments")
    answer = ask(answerer, "How do I create a virtual environment?", [found])
    assert answer.confident
    assert code in answer.text  # newlines and indentation kept
    assert answer.text.startswith("To create a virtual environment and upgrade pip inside it, run:")
    assert len(answer.quotes) == 2
    for quote in answer.quotes:
        assert text[quote.start : quote.end] in answer.text


def test_a_how_to_answer_prefers_the_sentence_that_shows_its_code(answerer):
    # SQLite's foreign-key page: the sentence naming the PRAGMA to check the setting echoes
    # "enable" as well; the one whose example follows shows how.
    code = "    sqlite> PRAGMA foreign_keys = ON;"
    text = (
        "Foreign key constraints are disabled by default, so must be enabled separately for "
        "each database connection. Assuming the library is compiled with foreign key "
        "constraints enabled, it must still be enabled by the application at runtime, using "
        "the PRAGMA foreign_keys command. For example:\n\n"
        f"{code}\n\n"
        "The application can also use a PRAGMA foreign_keys statement to determine if foreign "
        "keys are currently enabled."
    )
    found = passage(text, "foreignkeys.html", "Enabling Foreign Key Support")
    answer = ask(answerer, "How do I enable foreign key support?", [found])
    assert "PRAGMA foreign_keys = ON;" in answer.text
    assert "to determine if" not in answer.text


def test_a_how_to_answer_quotes_the_way_not_only_the_sentences_that_echo_the_question(answerer):
    # Node's path module: the sentences first share more of the question's words, and the
    # example after them shows what differs; the way to do it comes after, with its example.
    text = (
        "The default operation of the node:path module varies based on the operating system on "
        "which a Node.js application is running. Specifically, when running on a Windows "
        "operating system, the node:path module will assume that Windows-style paths are being "
        "used.\n\n"
        "So using path.basename() might yield different results on POSIX and Windows:\n\n"
        "    path.basename('C:\\\\temp\\\\myfile.html');\n"
        "    // Returns: 'C:\\\\temp\\\\myfile.html'\n\n"
        "To achieve consistent results when working with Windows file paths on any operating "
        "system, use path.win32:\n\n"
        "    path.win32.basename('C:\\\\temp\\\\myfile.html');\n"
        "    // Returns: 'myfile.html'\n"
    )
    found = passage(text, "nodejs-path.md", "Windows vs. POSIX")
    question = (
        "How do I get Windows-style path handling in Node no matter which operating system "
        "the script runs on?"
    )
    answer = ask(answerer, question, [found])
    assert "use path.win32" in answer.text and "path.win32.basename(" in answer.text


def test_code_and_numbered_steps_show_how_but_a_bulleted_list_does_not():
    # The Debian handbook on cron: a colon over a list of tasks names things, it shows no steps.
    listed = (
        "In a Unix system, many tasks are scheduled for regular execution:\n\n"
        "- rotating the logs;\n- updating the database for the locate program;\n"
    )
    steps = "To schedule a job, do this:\n\n1. Run crontab -e.\n2. Add a line for the job.\n"
    code = "To schedule a job, run:\n\n    $ crontab -e\n"
    shown = {
        text: [_shows_how(c) for c in candidates([passage(text)]) if c.procedure is not None]
        for text in (listed, steps, code)
    }
    assert shown == {listed: [False], steps: [True], code: [True]}


def test_the_sentence_that_does_what_the_best_one_says_brings_its_code(answerer):
    # git's user manual: the command comes in the sentence after the one echoing the question.
    code = "$ git bisect start\n$ git bisect good v2.6.18\n$ git bisect bad master"
    text = (
        "Suppose version 2.6.18 of your project worked, but the version at master crashes. "
        "Sometimes the best way to find the cause of such a regression is to perform a "
        "brute-force search through the project's history to find the particular commit that "
        "caused the problem. The git-bisect command can help you do this:\n\n"
        f"{'-' * 40}\n{code}\n{'-' * 40}\n"
    )
    found = passage(text, "manual.adoc", "Exploring history › How to use bisect")
    answer = ask(answerer, "How do I find which commit introduced a regression?", [found])
    assert answer.text.startswith("The git-bisect command can help you do this:")
    assert code in answer.text


def test_a_how_to_answer_under_a_function_heading_names_the_function(answerer):
    text = (
        "timeout.unref()\n\n"
        "When called, the active Timeout object will not require the event loop to remain "
        "active. If there is no other activity keeping the event loop running, the process "
        "may exit before the callback is invoked."
    )
    found = passage(text, "timers.html", section="Timers › timeout.unref()")
    question = "How do I stop a timer from keeping the event loop active?"
    answer = ask(answerer, question, [found])
    assert answer.text.startswith("timeout.unref() [1] When called, the active Timeout object")
    # Asked what it does, the function's name is not quoted: the citation names the section.
    answer = ask(answerer, "What happens to the event loop when a timer is unreferenced?", [found])
    assert not answer.text.startswith("timeout.unref()")


def test_headings_and_code_comments_are_never_the_answer(answerer):
    text = (
        "Create an HTTP server\n\n"
        "```js\n// Create an HTTP server\nconst server = http.createServer(handler);\n```\n\n"
        "The createServer function returns a new server that calls the handler for each request."
    )
    answer = ask(
        answerer,
        "How do I create an HTTP server?",
        [passage(text, section="Create an HTTP server")],
    )
    assert "// Create" not in answer.text.split("\n")[0]
    assert answer.text.startswith("The createServer function returns a new server")


def test_the_answer_quotes_at_most_three_sentences_with_their_citations(answerer):
    text = " ".join(
        f"The bridge had {n} arches when the survey of the river was made."
        for n in ("two", "three", "four", "five", "six")
    )
    answer = ask(answerer, "How many arches did the bridge have?", [passage(text)])
    assert 1 <= len(answer.quotes) <= 3
    assert answer.text.count("[1]") == len(answer.quotes)


def test_a_sentence_that_refers_back_is_quoted_with_the_one_before_it(answerer):
    text = (
        "The city council approved the new budget on Monday. "
        "It raises the library's funding by a third. "
        "The mayor was travelling abroad at the time."
    )
    answer = ask(answerer, "What does the budget do for the library's funding?", [passage(text)])
    assert "The city council approved the new budget on Monday. [1]" in answer.text or (
        "The city council approved the new budget on Monday. It raises" in answer.text
    )
    assert "It raises the library's funding by a third." in answer.text


def test_prose_is_quoted_on_one_line_so_only_code_is_a_verbatim_block(answerer):
    text = (
        "The file fonts.conf contains configuration information for the fontconfig library\n"
        "consisting of directories to look at for font information."
    )
    answer = ask(answerer, "What does fonts.conf contain?", [passage(text)])
    assert answer.confident
    assert answer.blocks() == [(answer.text, False)] and "\n" not in answer.text
    quote = answer.quotes[0]
    assert " ".join(text[quote.start : quote.end].split()) in answer.text


def test_the_option_the_question_names_wins_over_its_neighbour(answerer):
    text = (
        "--log-fd=<number> [default: 2, stderr]\n"
        "Specifies that Valgrind should send all of its messages to the specified file "
        "descriptor. The default, 2, is the standard error channel (stderr).\n"
        "--log-file=<filename>\n"
        "Specifies that Valgrind should send all of its messages to the specified file. If the "
        "file name is empty, it causes an abort."
    )
    answer = ask(
        answerer,
        "How do I send Valgrind's messages to a log file instead of stderr?",
        [passage(text, "manual.pdf")],
    )
    assert answer.text.startswith("--log-file=<filename> [1] Specifies that Valgrind")
    assert "--log-fd" not in answer.text


def test_a_question_about_a_default_gets_the_sentence_that_states_it(answerer):
    options = (
        "querystring.parse(str[, sep[, eq[, options]]])\n\n"
        "- sep {string} The substring used to delimit key and value pairs. Default: '&'.\n"
        "- maxKeys {number} Specifies the maximum number of keys to parse. "
        "Specify 0 to remove key counting limitations. Default: 1000."
    )
    answer = ask(
        answerer,
        "What is the default maximum number of keys querystring.parse will read?",
        [
            passage(
                options,
                "querystring.docx",
                section="querystring.parse(str[, sep[, eq[, options]]])",
            )
        ],
    )
    assert "Default: 1000. [1]" in answer.text
    assert answer.text.startswith("maxKeys {number} Specifies the maximum number of keys")
    manual = (
        "4.3. Memcheck Command-Line Options\n\n"
        "--leak-check=<no|summary|yes|full> [default: summary]\n\n"
        "When enabled, search for memory leaks when the client program finishes. If set to "
        "summary, it says how many leaks occurred.\n\n"
        "If --xml=yes is given, memcheck will automatically use the value --leak-check=full."
    )
    answer = ask(
        answerer,
        "What is Memcheck's default --leak-check setting?",
        [passage(manual, "memcheck.html", section="4.3. Memcheck Command-Line Options")],
    )
    assert answer.text.startswith("--leak-check=<no|summary|yes|full> [default: summary] [1]")


def test_a_question_about_a_bound_gets_the_sentence_of_the_option_that_states_it(answerer):
    # The bound is the fourth sentence under the option, and names it only as "this".
    manual = (
        "2.7.3. Error-related Options\n\n"
        "--num-callers=<number> [default: 12]\n\n"
        "Specifies the maximum number of entries shown in stack traces that identify program "
        "locations. Note that errors are commoned up using only the top four function "
        "locations. So this doesn't affect the total number of errors reported. The maximum "
        "value for this is 500. Note that higher settings will make Valgrind run a bit more "
        "slowly and take a bit more memory."
    )
    answer = ask(
        answerer,
        "What is the largest value --num-callers accepts?",
        [passage(manual, "valgrind.pdf", section="2.7.3. Error-related Options")],
    )
    assert "The maximum value for this is 500. [1]" in answer.text
    assert answer.text.startswith("--num-callers=<number> [default: 12] [1]")


def test_a_how_to_answer_quotes_an_example_without_the_markup_around_it(answerer):
    # pandoc's Markdown of an HTML page: each example in a '<div class="codeblock">'.
    code = "    sqlite> .headers on\n    sqlite> .mode csv\n    sqlite> SELECT * FROM tab1;"
    text = (
        "Export to CSV\n\nTo export an SQLite table as CSV, simply set the mode to csv and "
        f'then run a query:\n\n<div class="codeblock">\n\n{code}\n\n</div>\n\n'
        "The output will be formatted as CSV."
    )
    answer = ask(
        answerer,
        "How do I export a table to CSV?",
        [passage(text, "sqlite-cli.md", section="Export to CSV")],
    )
    assert code in answer.text
    assert "<div" not in answer.text and "</div>" not in answer.text


def test_a_quoted_code_block_keeps_the_indentation_of_its_first_line():
    # A block found from its first non-blank character (as an example carried on past its
    # chunk's end is) is quoted from the start of its line, as its other lines are.
    from qa.answering.extractive import _cited
    from qa.answering.sentences import Sentence

    code = "    sqlite> .headers on\n    sqlite> .mode csv"
    text = f"Run a query. The output is CSV.\n\n{code}\n"
    found = passage(text, "sqlite-cli.md")
    start = text.index("sqlite> .headers")
    parts = [
        Sentence("The output is CSV.", 0, 13, 31),
        Sentence(text[start : start + len(code) - 4], 0, start, start + len(code) - 4, "code"),
    ]
    answer = _cited("How do I export a table?", [found], parts, 0.9)
    assert answer.text == f"The output is CSV. [1]\n\n{code}"
    assert answer.quotes[1].start == text.index(code)
    # and so when the block opens the answer
    assert _cited("Q?", [found], parts[1:2], 0.9).text == code


def test_a_yes_no_question_about_a_default_gets_the_verdict_not_the_doubt(answerer):
    # SQLite's foreign key page: "by default" asks for a verdict here, not for a value.
    text = (
        "Foreign key constraints are disabled by default (for backwards compatibility), so "
        "must be enabled separately for each database connection. (Note, however, that future "
        "releases of SQLite might change so that foreign key constraints enabled by default. "
        "Careful developers will not make any assumptions about whether or not foreign keys "
        "are enabled by default but will instead enable or disable them as necessary.)"
    )
    answer = ask(
        answerer,
        "Are foreign key constraints enabled by default?",
        [passage(text, "foreignkeys.html", section="Enabling Foreign Key Support")],
    )
    assert answer.text.startswith("Foreign key constraints are disabled by default")


def test_a_value_question_gets_the_sentence_that_names_what_the_value_is(answerer):
    # Both sentences hold a value in code; only the second says it is the encoding.
    text = (
        "Requirements File Format\n\n"
        'Files that use this format are often called "pip requirements.txt files", since '
        "`requirements.txt` is usually what these files are named.\n\n"
        "Requirements files are `utf-8` encoding by default and also support comments to "
        "change the encoding."
    )
    answer = ask(
        answerer,
        "What text encoding does pip assume when it reads a requirements file?",
        [passage(text, "pip-requirements.md", section="Requirements File Format")],
    )
    assert answer.text.startswith("Requirements files are `utf-8` encoding by default")


def test_a_question_about_a_name_the_corpus_never_uses_is_refused_and_says_so(answerer):
    text = "The ambassador said the offensive in Basra had been planned for weeks."
    answer = ask(answerer, "What did ambassador Ryan Crocker say about Basra?", [passage(text)])
    assert not answer.confident and answer.confidence == 0.0
    assert answer.text.startswith(f"{NO_ANSWER} It never mentions Ryan Crocker. The closest")
    assert "planned for weeks" in answer.text  # what it found is still shown


def test_a_how_many_question_answered_without_a_number_is_refused(answerer):
    raids = "In Basra the militia members were arrested in raids across the city."
    counted = ask(
        answerer,
        "How many militia members were released?",
        [passage(f"{raids} Forty members were released a week later.")],
    )
    assert counted.confident and "Forty members" in counted.text
    answer = ask(answerer, "How many militia members were arrested in Basra?", [passage(raids)])
    assert not answer.confident and answer.confidence == 0.0
    assert answer.text.startswith(f"{NO_ANSWER} What it says gives no number. The closest")
    # A length of time is no count of members (seen on the Basra dev split: "six days").
    days = "The militia members were held in Basra for six days."
    answer = ask(answerer, "How many militia members were held in Basra?", [passage(days)])
    assert not answer.confident and "gives no number" in answer.text


def test_below_the_answer_floor_it_refuses_but_quotes_and_below_the_quote_floor_it_does_not(
    answerer,
):
    text = "The cache is cleared every night by a timer that runs at two in the morning."
    found = [passage(text)]
    question = "When is the cache cleared?"
    strict = ExtractiveAnswerer(
        answerer.encoder, answerer.weights, AnswerSettings(min_answer_similarity=0.99)
    )
    refused = ask(strict, question, found)
    assert not refused.confident
    assert refused.text.startswith("The corpus does not seem to answer this question.")
    assert f"The closest it comes: {text} [1]" in refused.text
    assert len(refused.quotes) == 1
    silent = ExtractiveAnswerer(
        answerer.encoder,
        answerer.weights,
        AnswerSettings(min_answer_similarity=0.99, min_quote_similarity=0.99),
    )
    nothing = ask(silent, question, found)
    assert not nothing.confident and not nothing.quotes
    assert nothing.text.endswith("The nearest passages are [1].")


def test_a_question_about_a_quoted_case_gets_the_example_of_it(answerer):
    text = (
        "The path.extname() method returns the extension of the path, from the last "
        "occurrence of the . (period) character to the end of the string.\n\n"
        "path.extname('index.html');\n// Returns: '.html'\n\n"
        "path.extname('index.coffee.md');\n// Returns: '.md'\n\n"
        "path.extname('index.');\n// Returns: '.'"
    )
    # The demo corpus's word weights know no word of Node's: the confidence they give (the
    # rarest word "Node's" is not in the passage) is not what this test is about.
    trusting = ExtractiveAnswerer(
        answerer.encoder, answerer.weights, AnswerSettings(min_confidence=0.0)
    )
    answer = ask(
        trusting,
        "What does Node's path.extname return for 'index.coffee.md'?",
        [passage(text, "path.pdf")],
    )
    assert answer.text.startswith("The path.extname() method returns the extension")
    assert answer.text.endswith("\n\npath.extname('index.coffee.md');\n// Returns: '.md'")
    assert len(answer.quotes) == 2
    for quote in answer.quotes:
        assert text[quote.start : quote.end] in answer.text


def test_a_question_naming_a_row_gets_that_row_under_its_header(answerer):
    text = (
        "Here is a table which summarises the maximum memory usage for different block sizes.\n"
        "Compress Decompress Decompress\n"
        "Flag usage usage -s usage\n"
        + "\n".join(
            f"-{n} {400 + 800 * n}k {100 + 400 * n}k {100 + 250 * n}k" for n in range(1, 10)
        )
    )
    answer = ask(
        answerer,
        "How much memory does bzip2 need to decompress a level 6 file in -s mode?",
        [passage(text, doc_id="bzip2.pdf")],
    )
    assert answer.blocks()[0] == (
        "Compress Decompress Decompress\nFlag usage usage -s usage\n-6 5200k 2500k 1600k [1]",
        True,
    )
    assert [text[q.start : q.end] for q in answer.quotes] == [
        "Compress Decompress Decompress\nFlag usage usage -s usage",
        "-6 5200k 2500k 1600k",
    ]


def test_a_two_column_word_table_answers_with_its_row_under_its_header(answerer):
    text = (
        "Here are few notable commands to manage account information.\n\n"
        "command | function\n"
        'getent passwd user_name | browse account information of "user_name"\n'
        "passwd | manage password for the account\n"
        "passwd -e | set one-time password for the account activation\n"
        "chage | manage password aging information\n\n"
        "You may need to have the root privilege for some functions to work."
    )
    answer = ask(
        answerer,
        "Which command manages password aging information?",
        [passage(text, doc_id="debian-reference.docx")],
    )
    assert answer.blocks()[0] == (
        "command | function\nchage | manage password aging information [1]",
        True,
    )


def test_which_property_is_answered_by_the_row_whose_key_the_question_lacks(answerer):
    prose = (  # sentences holding a value ("fonts.conf"), one of them close to the question
        "fonts.conf contains configuration information for the fontconfig library: the "
        "directories to look at for fonts and the rules for editing font patterns. The screen "
        "settings of fontconfig are described in fonts.conf."
    )
    text = f"{prose}\n\n{PROPERTY_TABLE}"
    answer = ask(
        answerer,
        "Which fontconfig property describes the subpixel order of the screen (rgb, bgr)?",
        [passage(text, doc_id="fontconfig-user.pdf")],
    )
    assert answer.blocks()[0][0].startswith("Property Type Description\nrgba Int unknown, rgb,")
    assert "none - subpixel geometry" in answer.text


def test_a_sentence_restating_the_question_brings_the_answer_after_it(answerer):
    text = (
        "console.assert(value[, ...message])\n\n"
        "console.assert() writes a message if value is falsy or omitted. It only writes a "
        'message and does not otherwise affect execution. The output always starts with "Assertion '
        'failed". If provided, message is formatted using util.format().'
    )
    answer = ask(
        answerer,
        "What does console.assert print when the value is falsy?",
        [passage(text, doc_id="console.docx")],
    )
    assert answer.text.startswith("console.assert() writes a message if value is falsy")
    assert '"Assertion failed"' in answer.text


def test_an_options_own_description_answers_what_it_does_and_its_letters_case_counts(answerer):
    text = (
        "--acls, -A\n\n    This causes the destination ACLs to be updated to be the\n"
        "    same as the source ACLs.\n\n"
        "--archive, -a\n\n    This is equivalent to -rlptgoD. It is a quick way of saying you\n"
        "    want recursion and want to preserve almost everything.\n"
    )
    usage = "Most people who run rsync pass it the -a option, and the -v option with it."
    found = [passage(text, "rsync.docx", "rsync › OPTIONS"), passage(usage, "rsync.docx")]
    answer = ask(answerer, "What does the -a option of rsync do?", found)
    # Found by its name, however little its words echo the question: not refused.
    assert answer.confident and answer.text.startswith("--archive, -a [1] This is equivalent")
    assert ask(answerer, "What does rsync -A do?", found).text.startswith("--acls, -A")


def test_an_options_default_is_quoted_from_its_item_in_an_api_reference(answerer):
    """Node.js's Markdown: "* `maxBuffer` {number} ... **Default:** `1024 * 1024`." The item's
    name in code is the option the question names; its wrapped lines are quoted as one line."""
    from tests.answering.test_sentences import NODE_OPTIONS

    text = (
        "Spawns a shell then executes the `command` within that shell, buffering any\n"
        "generated output.\n\n" + NODE_OPTIONS
    )
    found = passage(text, "child_process.md", section="child_process.exec(command[, options])")
    answer = ask(answerer, "What is the default maxBuffer for child_process.exec?", [found])
    assert answer.text == (
        "`maxBuffer` {number} Largest amount of data in bytes allowed on stdout or stderr. [1] "
        "**Default:** `1024 * 1024`. [1]"
    )


def test_a_default_said_as_what_happens_without_an_argument_answers(answerer):
    text = (
        "### `subprocess.kill([signal])`\n\n"
        "* `signal` {number|string}\n* Returns: {boolean}\n\n"
        "The `subprocess.kill()` method sends a signal to the child process. If no\n"
        "argument is given, the process will be sent the `'SIGTERM'` signal. See\n"
        "signal(7) for a list of available signals."
    )
    found = passage(text, "child_process.md", section="`subprocess.kill([signal])`")
    answer = ask(answerer, "What signal does subprocess.kill send by default?", [found])
    assert "the process will be sent the `'SIGTERM'` signal. [1]" in answer.text


def test_an_option_the_question_writes_out_wins_over_a_better_ranked_passage(answerer):
    first = passage(
        "--catalogs\n\nUse the SGML catalog specified in SGML_CATALOG_FILES to resolve the "
        "location of external entities. By default, xsltproc looks for the catalog specified "
        "in XML_CATALOG_FILES. If that is not specified, it uses /etc/xml/catalog.",
        "xsltproc.html",
        section="OPTIONS",
    )
    later = passage(
        "--nomkdir\n\nRefuses to create directories.\n\n--nonet\n\nDo not use the Internet to "
        "fetch DTDs, entities or documents.\n\n--noout\n\nDo not output the result.",
        "xsltproc.html",
        section="OPTIONS",
    )
    later = Passage(**{**later.__dict__, "score": 0.2})
    answer = ask(answerer, "What does the --nonet option of xsltproc do?", [first, later])
    # Chosen whatever the confidence says (MiniLM knows no "nonet": a low similarity).
    assert "--nonet [1] Do not use the Internet to fetch DTDs" in answer.text
    assert "catalog" not in answer.text


def test_a_sentence_ending_in_a_colon_comes_with_what_it_introduces(answerer):
    text = (
        "Earlier today the cleric's office released a statement, and Erica Goode of the Times "
        "provides the backstory:\n\n"
        "The nine-point statement was hammered out over several days with senior officials."
    )
    answer = ask(answerer, "Which Times reporter provides the backstory?", [passage(text)])
    assert "provides the backstory: [1] The nine-point statement was hammered out" in answer.text
    code = "void *ffi_closure_alloc (size_t size, void **code);"
    text = f"Memory for closures is handled by a pair of functions:\n\n```c\n{code}\n```"
    answer = ask(answerer, "What handles the memory for closures?", [passage(text)])
    assert answer.text.startswith("Memory for closures is handled by a pair of functions:")
    assert code in answer.text  # one sentence and the block it introduces


def test_a_list_question_gets_the_sentence_naming_the_list_with_its_items(answerer):
    text = (
        "There are advantages and disadvantages to using WAL instead of a rollback journal. "
        "Advantages include:\n\n"
        "1. WAL is significantly faster in most scenarios.\n"
        "2. WAL provides more concurrency as readers do not block writers.\n"
        "3. WAL uses many fewer fsync() operations.\n\n"
        "The second advantage of WAL-mode is that writers do not block readers."
    )
    answer = ask(answerer, "What are the advantages of WAL?", [passage(text)])
    assert "Advantages include: [1]" in answer.text
    assert "2. WAL provides more concurrency as readers do not block writers." in answer.text
    assert "3. WAL uses many fewer fsync() operations." in answer.text


def test_a_list_question_gets_the_paragraph_naming_the_list_without_a_colon(answerer):
    # The list follows a paragraph that names its items but ends in no colon (libffi's manual).
    text = (
        "# Missing Features\n\n"
        "libffi is missing a few features. We welcome patches to add support for these.\n\n"
        "- Variadic closures.\n"
        "- There is no support for bit fields in structures.\n"
        "- The raw API is undocumented."
    )
    answer = ask(answerer, "What are the missing features of libffi?", [passage(text)])
    assert answer.text.startswith("libffi is missing a few features. [1]")
    assert "- There is no support for bit fields in structures." in answer.text
    assert "- The raw API is undocumented." in answer.text


def test_a_name_said_what_it_is_comes_with_the_code_that_sets_its_value(answerer):
    # zlib's annotated example: the value is only in the code after the paragraph.
    prose = (
        "CHUNK is simply the buffer size for feeding data to and pulling data from the zlib "
        "routines. Larger buffer sizes would be more efficient, especially for inflate()."
    )
    found = [passage(f"{prose}\n\n```c\n#define CHUNK 16384\n```", "zlib_how.html")]
    answer = ask(answerer, "What buffer size does zpipe use?", found)
    assert answer.text.startswith("CHUNK is simply the buffer size")
    assert answer.text.endswith("#define CHUNK 16384")
    # Code that does not set the name is no part of the answer.
    for code in ("unsigned char in[CHUNK];", "echo CHUNK is the size"):
        found = [passage(f"{prose}\n\n```c\n{code}\n```", "zlib_how.html")]
        answer = ask(answerer, "What buffer size does zpipe use?", found)
        assert answer.text.startswith("CHUNK is simply") and code not in answer.text


def test_a_when_question_without_a_date_in_sight_is_answered_by_a_condition(answerer):
    text = (
        "Automatic checkpoints in SQLite are always PASSIVE checkpoints. "
        "SQLite checkpoints the database automatically by default. "
        "By default, SQLite will automatically checkpoint whenever a COMMIT occurs that causes "
        "the WAL file to be 1000 pages or more in size."
    )
    answer = ask(answerer, "When does SQLite checkpoint automatically?", [passage(text)])
    assert answer.text.startswith("By default, SQLite will automatically checkpoint whenever")


def test_further_sentences_hold_the_kind_of_answer_asked_for_when_the_best_does(answerer):
    # Both score within the margin; only the first gives a reason.
    text = (
        "The army went into Basra, an operation aimed at breaking the gunmen. "
        "The army launched the Basra offensive with a Tet quality, a reader wrote."
    )
    answer = ask(answerer, "Why did the army launch the offensive in Basra?", [passage(text)])
    assert answer.text == (
        "The army went into Basra, an operation aimed at breaking the gunmen. [1]"
    )


def test_code_cut_short_by_the_passage_end_is_not_quoted_as_the_procedure(answerer):
    intro = "To decompress the stream, call inflate() in a loop until it returns Z_STREAM_END."
    cut = f"{intro}\n\n    /* decompress until the stream ends */\n    do {{"
    answer = ask(answerer, "How do I decompress the stream with inflate?", [passage(cut)])
    assert answer.text.startswith(intro) and "do {" not in answer.text
    whole = f"{cut}\n        ret = inflate(&strm, Z_NO_FLUSH);\n    }} while (ret != Z_STREAM_END);"
    answer = ask(answerer, "How do I decompress the stream with inflate?", [passage(whole)])
    assert "} while (ret != Z_STREAM_END);" in answer.text  # a whole block is the procedure


def test_the_meaning_of_an_exit_status_is_quoted_under_it(answerer):
    text = (
        "DIAGNOSTICS\n\nxsltproc return codes provide information for scripts.\n\n"
        "0\n\nNo error (normal operation)\n\n4\n\nFailed to parse the stylesheet\n\n"
        "5\n\nError in the stylesheet"
    )
    found = passage(text, "xsltproc.html", section="DIAGNOSTICS")
    answer = ask(
        answerer, "Which code does xsltproc return when it fails to parse the stylesheet?", [found]
    )
    assert "4 [1] Failed to parse the stylesheet [1]" in answer.text


def test_a_colon_before_code_cut_short_brings_no_code(answerer):
    text = (
        "The loop that decompresses the stream reads:\n\n    /* until the stream ends */\n    do {"
    )
    answer = ask(answerer, "What does the loop that decompresses the stream read?", [passage(text)])
    assert "do {" not in answer.text


def test_an_items_name_is_quoted_once_when_the_sentence_leans_on_the_one_naming_it(answerer):
    text = (
        "* `$PASSWORD` takes a string: the literal password to use. If this\n"
        "  environment variable is set it is used as password instead of prompting the\n"
        "  user interactively.\n"
        "* `$PIN` takes a string: the PIN of a security token."
    )
    answer = ask(
        answerer,
        "What happens when the environment variable $PASSWORD is set?",
        [passage(text, "systemd-environment.md")],
    )
    assert answer.text.count("`$PASSWORD`") == 1
    assert "If this environment variable is set it is used as password" in answer.text


def test_a_how_to_answer_takes_the_next_sentence_when_it_brings_the_code(answerer):
    """ "A common use case ... one line at a time." says what the question asks; the sentence
    after it in its paragraph introduces the code that does it, and answers with it."""
    code = (
        "    const rl = readline.createInterface({ input: fs.createReadStream('input.txt') });\n"
        "    for await (const line of rl) {\n      console.log(line);\n    }"
    )
    text = (
        "Example: Read file stream line-by-line\n\n"
        "A common use case for readline is to consume an input file one line at a time. "
        "The easiest way to read each line is the fs.ReadStream API and a for await loop:"
        f"\n\n{code}\n\n"
        "Currently, the for await loop can be a bit slower."
    )
    answer = ask(answerer, "How do I read a file line by line?", [passage(text)])
    assert answer.text.startswith("The easiest way to read each line is the fs.ReadStream API")
    assert code in answer.text
    # Not a next sentence that has lost the question's words: it brings an example.
    example = text.replace(
        "The easiest way to read each line is the fs.ReadStream API and a for await loop:",
        "So the output may differ between systems:",
    )
    answer = ask(answerer, "How do I read a file line by line?", [passage(example)])
    assert answer.text.startswith("A common use case for readline")


def test_a_further_sentence_must_add_a_word_or_a_figure_to_the_answer():
    """Node's child_process page lists `killSignal` under several functions: the same item
    from another list, quoted after the one that describes it, says nothing new."""
    from qa.answering.extractive import _adds
    from qa.answering.sentences import Sentence

    described = Sentence(
        "`killSignal` {string|integer} The signal value to be used when the spawned process "
        "will be killed by timeout or abort signal. **Default:** `'SIGTERM'`.",
        0, 0, 120, "item",
    )  # fmt: skip
    again = Sentence("`killSignal` {string|integer} **Default:** `'SIGTERM'`", 1, 0, 50, "item")
    figure = Sentence("The signal value is 9 by default.", 1, 60, 90)
    assert not _adds([again], [described])
    assert _adds([figure], [described])  # "9" is news
    assert _adds([described], [again])


def test_what_a_function_does_is_the_first_sentence_under_its_own_heading(answerer):
    # Node's timers page printed to PDF: the parameters, then the description, then more about
    # the function. The later sentences name it and echo the question; the first says it.
    text = (
        "setImmediate(callback[, ...args])\n"
        "callback <Function> The function to call at the end of this turn of the Event Loop\n"
        "...args <any> Optional arguments to pass when the callback is called.\n"
        "Returns: <Immediate> for use with clearImmediate()\n"
        'Schedules the "immediate" execution of the callback after I/O events\' callbacks.\n'
        "When multiple calls to setImmediate() are made, the callback functions are queued "
        "for execution in the order in which they are created."
    )
    described = passage(text, "timers.pdf", "Timers › setImmediate(callback[, ...args])")
    mentioned = passage(
        "clearImmediate(immediate)\n\nCancels an Immediate object created by setImmediate().",
        "timers.pdf",
        "Timers › clearImmediate(immediate)",
    )
    answer = ask(answerer, "What does setImmediate do?", [mentioned, described])
    assert answer.text.startswith('Schedules the "immediate" execution of the callback')
    assert "When multiple calls" not in answer.text  # says the same of a case, not what it does
    # Asked how, not what: the rule stands aside (the sentences are scored as before).
    how = ask(answerer, "When are setImmediate callbacks queued for execution?", [described])
    assert how.text.startswith("When multiple calls to setImmediate() are made")


def test_what_a_function_does_is_said_by_a_sentence_whose_subject_it_is(answerer):
    # The description's passage has no heading (the chunk before holds the options); a better
    # ranked passage mentions the function in every sentence.
    colours = passage(
        "Color output (if enabled) of `util.inspect` is customizable globally via the "
        "`util.inspect.styles` and `util.inspect.colors` properties.\n\n"
        "`util.inspect.styles` is a map associating a style name to a color from "
        "`util.inspect.colors`.",
        "util.md",
        "Util › Customizing `util.inspect` colors",
    )
    described = passage(
        "The `util.inspect()` method returns a string representation of `object` that is\n"
        "intended for debugging. The output of `util.inspect` may change at any time\n"
        "and should not be depended upon programmatically.",
        "util.md",
        "Util › `util.inspect(object[, options])`",
    )
    answer = ask(answerer, "What does util.inspect do?", [colours, described])
    assert answer.text.startswith("The `util.inspect()` method returns a string representation")
    assert "map associating" not in answer.text


def test_an_faq_answers_with_the_sentences_under_the_question_it_asks(answerer):
    question = "Is lsof vulnerable to the standard I/O descriptor attack?"
    asked = (
        f"1.7\t{question}\n\n"
        "\tLsof revisions 4.63 and above are not vulnerable.\n\n"
        "\tLsof revisions 4.62 and below are vulnerable, but no damage\n"
        "\tscenarios have so far been demonstrated."
    )
    elsewhere = (
        "2.4\tWhy isn't there an SGI IRIX port?\n\n"
        "\tI have sources to the last revision of lsof (4.36) for IRIX, but that\n"
        "\tversion of lsof does not work on IRIX 6.5 and is vulnerable to the\n"
        "\tstandard I/O descriptor attack."
    )
    irix = passage(elsewhere, "faq.txt", "2.0 Ports › 2.4 Why isn't there an SGI IRIX port?")
    found = [irix, passage(asked, "faq.txt", f"1.0 General › 1.7 {question}")]
    answer = ask(answerer, question, found)
    assert answer.text.startswith("Lsof revisions 4.63 and above are not vulnerable. [1]")
    assert answer.citations[0].text == asked
    # Under a question that is not the reader's, the sentence closest to it answers.
    where = asked.replace(question, "Where do I get lsof?")
    other = [irix, passage(where, "faq.txt", "1.0 General › 1.7 Where do I get lsof?")]
    assert "IRIX" in ask(answerer, question, other).text


def test_an_faq_question_that_asks_otherwise_does_not_answer(answerer):
    # The Debian FAQ: "What is Debian GNU/Linux?" is closer to "Who founded Debian?" than any
    # sentence here, but asks what, not who; the founder's name answers.
    asked = "1.2 What is Debian GNU/Linux?\n\nDebian is a free operating system for your computer."
    faq = passage(asked, "debian-faq.pdf", "Definitions and overview › What is Debian GNU/Linux?")
    history = passage(
        "Ian Murdock founded the project in 1993 and led it until 1996.",
        "handbook.html",
        "1.1 The Debian Project",
    )
    answer = ask(answerer, "Who founded Debian?", [faq, history])
    assert answer.text.startswith("Ian Murdock founded the project in 1993")


def test_an_faq_question_in_the_text_is_answered_by_the_sentences_under_it(answerer):
    # A web page's FAQ: each question a bold paragraph, all under one heading.
    text = (
        "(8) Are there any known size limits to SQLite databases?\n\n"
        "See limits.html for the limits of SQLite, the size of a VARCHAR among them.\n\n"
        "(9) What is the maximum size of a VARCHAR in SQLite?\n\n"
        "SQLite does not enforce the length of a VARCHAR. Your content is never truncated.\n\n"
        "(10) Does SQLite support a BLOB type?\n\n"
        "SQLite allows you to store BLOB data in any column."
    )
    found = [passage(text, "faq.html", "Frequently Asked Questions")]
    answer = ask(answerer, "What is the maximum size of a VARCHAR in SQLite?", found)
    assert answer.text.startswith("SQLite does not enforce the length of a VARCHAR.")
    assert "?" not in answer.text


def test_a_bare_yes_comes_with_the_sentence_after_it_and_says_the_verdict(answerer):
    text = (
        "Can I run the server behind a proxy?\n\n"
        "Yes. Set the `BASE_PATH` variable to the path the proxy forwards, and the server "
        "serves every page under it.\n\n"
        "The proxy must forward the `Host` header unchanged, or links in the pages will point "
        "at the wrong host."
    )
    found = passage(text, "faq.md", "FAQ › Can I run the server behind a proxy?")
    answer = ask(answerer, "Can the server run behind a reverse proxy?", [found])
    assert answer.text.startswith("Yes. [1] Set the `BASE_PATH` variable")


def test_a_how_to_answer_brings_the_command_the_next_paragraph_shows(answerer):
    """Python's venv tutorial: the best sentence says what to do, the next paragraph ends with
    a colon over the command; a sentence ending with a colon is never quoted without it."""
    text = (
        "Once you've created a virtual environment, you may activate it.\n\n"
        "On Windows, run:\n\n"
        "    tutorial-env\\Scripts\\activate.bat\n\n"
        "On Unix or MacOS, run:\n\n"
        "    source tutorial-env/bin/activate\n\n"
        "Activating the virtual environment will change your shell's prompt."
    )
    answer = ask(answerer, "How do I activate a virtual environment on Windows?", [passage(text)])
    assert "On Windows, run:" in answer.text
    assert "tutorial-env\\Scripts\\activate.bat" in answer.text
    assert "source tutorial-env" not in answer.text


def test_a_row_the_question_quotes_by_its_key_answers(answerer):
    """The Debian reference's table of what the second field of /etc/passwd may hold: the
    question quotes the one-letter key of the row it asks about."""
    text = (
        'The second entry of "/etc/passwd" was used for the encrypted password entry. After '
        'the introduction of "/etc/shadow", this entry is used for the password specification '
        "entry.\n\n"
        'Table 4.2. The second entry content of "/etc/passwd"\n\n'
        "content | meaning\n"
        "(empty) | passwordless account\n"
        'x | the encrypted password is in "/etc/shadow"'
    )
    question = 'What does an "x" in the second field of /etc/passwd mean?'
    answer = ask(answerer, question, [passage(text, doc_id="debian-reference.docx")])
    assert answer.text.startswith("content | meaning\nx | the encrypted password is in")


def test_why_something_is_off_by_default_is_answered_with_its_reason(answerer):
    # Debian's README for OpenSSH: the question says "by default" but asks why, not what the
    # default is.
    reason = (
        "The default for ForwardX11 has been changed to ``no'' because it has been pointed "
        "out that logging into remote systems administered by untrusted people is likely to "
        "open you up to X11 attacks."
    )
    readme = passage(
        f"X11 Forwarding\n--------------\n\n{reason}\n\n"
        "In order for X11 forwarding to work, you need to install xauth on the server.",
        "README.Debian",
        "OpenSSH for Debian › X11 Forwarding",
    )
    manual = passage(
        "ForwardX11Timeout\nThe default is to disable untrusted X11 forwarding after twenty "
        "minutes has elapsed.",
        "ssh_config.pdf",
    )
    answer = ask(answerer, "Why is X11 forwarding turned off by default in ssh?", [readme, manual])
    assert "X11 attacks" in answer.text


def test_a_follow_up_is_answered_for_what_it_asks_not_what_the_question_before_asked(answerer):
    # The query joins the earlier question, whose words and "how many" point at the first.
    farm = "The build farm runs on many machines, and every pull request is built on them."
    groups = "Members of the adm group can read many log files in /var/log, and use xconsole."
    asked = "Who can read the log files in /var/log?"
    query = f"How many Windows 95 machines does the build farm run? {asked}"
    found = [passage(farm, "farm.md"), passage(groups, "groups.md")]
    vector, asked_vector = answerer.encoder.encode([query, asked])
    own = Asked(asked, asked_vector)
    answer = answerer.answer(query, found, vector, asked=own)
    assert answer.confident and answer.text.startswith("Members of the adm group")
    joined = ExtractiveAnswerer(
        answerer.encoder, answerer.weights, AnswerSettings(answer_own_question_weight=0.0)
    ).answer(query, found, vector, asked=own)
    assert "Members of the adm group" not in joined.text  # the joined query picks the farm


def test_a_follow_up_is_not_refused_for_an_entry_only_the_earlier_question_named(answerer):
    """ "And how do I make it also check the child processes ...?" after a question on the
    log file names no entry: --trace-children answers it, --log-file is the earlier one's."""
    options = (
        "--log-file=<filename>\n\n: Specifies that Valgrind should send all of its messages "
        "to the specified file.\n\n"
        "--trace-children=<yes|no> [default: no]\n\n: When enabled, Valgrind will also check "
        "the child processes that your program starts with the exec system call."
    )
    found = [passage(options, "valgrind.html", section="Core options")]
    asked = "And how do I make it also check the child processes my program starts with exec?"
    query = f"How do I send Valgrind's messages to a log file instead of stderr? {asked}"
    vector, asked_vector = answerer.encoder.encode([query, asked])
    answer = answerer.answer(query, found, vector, asked=Asked(asked, asked_vector))
    assert answer.confident and "--trace-children" in answer.text
    assert "It says that of" not in answer.text


ACCOUNTS = (
    "Accounts\n\n"
    "builder\n\n: The builder account runs the compile jobs that the scheduler hands out. It "
    "owns the work trees under /srv/build. It has uid 2001.\n\n"
    "cacher\n\n: The cacher account serves the artifact cache over HTTP. Members of the cacher "
    "group can read every artifact.\n\n"
    "reporter\n\n: The reporter account posts test results to the dashboard. It has uid 2007.\n\n"
    "janitor\n\n: The janitor account removes old work trees. It runs nightly at 03:00."
)


def test_a_value_asked_of_an_entry_that_lacks_it_is_not_answered_from_another_entry(answerer):
    found = [passage(ACCOUNTS, "accounts.html", section="Service accounts › Accounts")]
    answer = ask(answerer, "What is the uid of the reporter account?", found)
    assert answer.confident and "uid 2007" in answer.text and "2001" not in answer.text
    # Named by its plain word, an entry's own sentences come first: "It has uid 2007." under
    # the reporter shares more of the question's words ("account", "uid") than the builder's.
    builder = ask(answerer, "What is the builder account's uid?", found)
    assert builder.confident and "uid 2001" in builder.text and "2007" not in builder.text
    # The cacher's entry gives no uid: "over HTTP" is no uid, and the builder's is not its.
    refused = ask(answerer, "What is the uid of the cacher account?", found)
    assert not refused.confident and refused.confidence == 0.0
    assert re.search(r"It says that of (builder|reporter), not of cacher\.", refused.text)
    # What it quotes as the closest it comes is the cacher's own entry, not a figure of the
    # entry after it (seen in Chromium: "reporter ... It was added in 2019.").
    after = ACCOUNTS.replace("posts test results", "was added in 2019 and posts test results")
    after = after.replace(" Members of the cacher group can read every artifact.", "")
    cacher = ask(answerer, "What is the uid of the cacher account?", [passage(after)])
    assert not cacher.confident and "The cacher account serves" in cacher.text
    assert "2019" not in cacher.text
    # A clock time is no uid either.
    janitor = ask(answerer, "What is the uid of the janitor account?", found)
    assert not janitor.confident and "not of janitor." in janitor.text


def test_a_sentence_under_an_entry_holds_its_name(answerer):
    # "this user" under "www-data" is www-data: the reason is the entry's second sentence,
    # which shares fewer words with the question than a sentence naming www-data.
    users = (
        "Users\n\n"
        "www-data\n\n: Some web servers run as www-data. Web content should not be owned by "
        "this user, or a compromised web server would be able to rewrite a web site. Data "
        "written out by web servers will be owned by www-data.\n\n"
        "postgres\n\n: Postgresql databases are owned by this user and group."
    )
    found = [passage(users, "users-and-groups.html", section="Users and Groups")]
    answer = ask(answerer, "Why should web content not be owned by www-data?", found)
    assert answer.confident and "a compromised web server would" in answer.text
    assert "Data written out" not in answer.text


def test_which_function_is_answered_with_the_function_whose_entry_says_it(answerer):
    # libffi's manual: a function's entry, and an argument's entry of another function.
    text = (
        "Function: void ffi_call (ffi_cif *cif, void *fn, void *rvalue, void **avalues)\n\n"
        ": This calls the function fn according to the description given in cif.\n\n"
        "Function: ffi_status ffi_prep_closure_loc (ffi_closure *closure, ffi_cif *cif)\n\n"
        ": Prepare a closure function. The arguments to ffi_prep_closure_loc are:\n\n"
        "cif\n\n: The ffi_cif describing the function parameters."
    )
    found = [passage(text, "The-Basics.html", section="2.1 The Basics")]
    answer = ask(answerer, "Which function calls a function described by a cif?", found)
    assert answer.text.startswith("Function: void ffi_call") and "This calls the" in answer.text


def test_the_parts_of_a_name_count_among_the_words_a_sentence_holds(answerer):
    """libffi's "Which function frees memory for a closure?": only the function's name,
    "ffi_closure_free", says "closure"."""
    from qa.answering.extractive import _term_overlap

    lexical = answerer.weights
    question = lexical.idf(set(lexical.words("Which function frees memory for a closure?")))
    assert "closur" in question
    entry = "Function: void ffi_closure_free (void *writable) Free memory allocated."
    assert _term_overlap(question, entry, lexical) == pytest.approx(1.0)
    assert _term_overlap(question, "Function: void ffi_free () Free memory.", lexical) < 0.9


def test_a_how_to_question_gets_the_numbered_steps_it_finds_one_of_whole(answerer):
    # No sentence ending in a colon introduces the steps: a heading does.
    text = (
        "Steps\n\n"
        "1. Tag the commit with the version, for example v4.2.0.\n"
        "2. Run make image and wait for the checksum file.\n"
        "3. Upload the image to the registry with the deploy account.\n"
        "4. Announce the release on the ops list.\n\n"
        "Maria Lopez signs off every release."
    )
    found = [passage(text, "release.docx", section="Release checklist › Steps")]
    answer = ask(answerer, "How do I release the image?", found)
    steps = text.split("\n\n")[1]
    assert answer.text == f"{steps}\n\n[1]"
    assert answer.blocks() == [(steps, True), ("[1]", False)]
    assert (answer.quotes[0].start, answer.quotes[0].end) == (7, 7 + len(steps))
    # A question that asks no "how" gets the one sentence.
    who = ask(answerer, "Who signs off a release?", found)
    assert who.text == "Maria Lopez signs off every release. [1]"
