"""Example questions from the corpus served (``qa.ingest.example_questions``): its own
``.questions.txt``, else questions made from its headings, hand-checked, and never the demo
corpus's questions on another folder."""

from __future__ import annotations

from collections import Counter

import pytest

from qa import service
from qa.ingest import read_corpus
from qa.ingest.example_questions import (
    QUESTIONS_FILE,
    example_questions,
    heading_question,
    questions_from_headings,
    read_questions_file,
)
from qa.service import QA
from qa.types import Document, Heading
from tests.helpers import DEMO_CORPUS, FIXTURES

BASRA = "Who brokered the ceasefire?"


@pytest.mark.parametrize(
    "heading, question",
    [
        ("Embed the entire ICU (`full-icu`)", "How do I embed the entire ICU?"),
        ("Providing ICU data at runtime", "How do I provide ICU data at runtime?"),
        ("Removing a single package", "How do I remove a single package?"),
        ("4.4. Specifying Supported Versions", "How do I specify supported versions?"),
        ("Writing your own Ninja files", "How do I write my own Ninja files?"),
        ("RECOVERING DATA FROM DAMAGED FILES", "How do I recover data from damaged files?"),
        ("Cancelling timers", "How do I cancel timers?"),
        ("1.2. How to navigate this manual", None),  # "this": which manual?
        ("How to read the log", "How do I read the log?"),
        ("Where is the cache stored", "Where is the cache stored?"),
        ("Hash functions", "What are hash functions?"),
        ("2.2. The source XML files", "What are the source XML files?"),
        (
            "Limitations of the compressed file format",
            "What are the limitations of the compressed file format?",
        ),
        ("1.6. Lifecycle of a Release", "What is the lifecycle of a release?"),
        ("Comparison with other implementations", "What is comparison with other implementations?"),
        ("Error handling", "What is error handling?"),
        ("Promises API", "What is the promises API?"),
        ("The compression format", "What is the compression format?"),
        ("Hash function", "What is the hash function?"),
        ("Functions provided by the library", "What are functions provided by the library?"),
    ],
)
def test_a_section_heading_becomes_its_question(heading, question):
    assert heading_question(heading) == question


@pytest.mark.parametrize(
    "heading",
    [
        "Introduction",
        "1. Introduction",
        "SEE ALSO",
        "Table of Contents",
        "Appendix A Examples",
        "NAME",  # one word
        "os.cpus()",  # code
        "`dns.lookup(hostname[, options], callback)`",
        "Class: Console",
        "console.log([data][, ...args])",
        "Build statements",  # a verb that is no instruction here
        "Loading order",  # an adjective, not "How do I load order?"
        "Parsing Utilities",  # utilities for parsing, not "How do I parse utilities?"
        "Sorting Basics",  # not "How do I sort basics?" (Python's sorting HOWTO)
        "Use of uninitialised values",
        "Using and understanding the Valgrind core",
        "What Valgrind does with your program",  # not a question
        "Traversing the filesystem just once - for 2 different actions",
        "Julian Seward, https://sourceware.org/bzip2/",
        "About Expressions and Special Variables",
        "Language used in this specification",
        "Authentication example",  # a demonstration: not "What is authentication example?"
        "Server side includes examples",
    ],
)
def test_a_heading_that_is_no_section_title_is_passed_over(heading):
    assert heading_question(heading) is None


def test_the_documents_title_is_not_asked_and_names_keep_their_capitals():
    assert heading_question("Repeatable Installs", "Repeatable Installs") is None
    assert heading_question("gitfaq(7) Manual Page", "gitfaq(7)") is None  # the page's own name
    assert heading_question("Gitfaq Configuration", "gitfaq(7)") == "What is gitfaq configuration?"
    # Title Case is lowercased; a word its document writes capitalised far more often is a name.
    assert heading_question("Setting the Output Format") == "How do I set the output format?"
    usage = Counter({"Studio": 9, "studio": 0, "Visual": 9})
    assert heading_question("Visual Studio", usage=usage) == "What is Visual Studio?"
    # A name mentioned in passing (an author over a copyright line) is no topic to ask about.
    usage = Counter({"Joey": 2, "Hess": 2, "Hash": 1, "hash": 4, "Functions": 1})
    assert heading_question("Joey Hess", usage=usage) is None
    assert heading_question("Hash Functions", usage=usage) == "What are hash functions?"
    assert heading_question("Running Ninja for your project") == (
        "How do I run Ninja for my project?"
    )
    # A capital letter alone is a name (a language); "A" is an article.
    assert heading_question("Using C Constructs") == "How do I use C constructs?"
    assert heading_question("Writing A Simple Test") == "How do I write a simple test?"


def doc(doc_id: str, *headings: str) -> Document:
    text = "\n".join(headings)
    spans, start = [], 0
    for title in headings:
        spans.append(Heading(2, title, start, start + len(title)))
        start += len(title) + 1
    return Document(doc_id, doc_id, text, headings=tuple(spans))


def test_questions_come_from_different_documents_in_a_stable_order_without_repeats():
    documents = [
        doc("b.md", "Hash functions", "Avoiding caching", "Cipher functions"),
        doc("a.md", "Design goals", "Environment variables"),
        doc("c.md", "Environment variables", "Introduction"),
    ]
    expected = [
        "How do I avoid caching?",  # b.md's how-to: before its other headings, and first
        "What are design goals?",  # a.md's first
        "What are environment variables?",  # c.md's; a.md's second is the same, so not again
        "What are hash functions?",
    ]
    assert questions_from_headings(documents, 4) == expected
    assert questions_from_headings(list(reversed(documents)), 4) == expected
    assert questions_from_headings([doc("x.txt")], 4) == []


def test_the_folders_questions_file_comes_first(tmp_path):
    (tmp_path / QUESTIONS_FILE).write_text(
        "# examples for the chat\n\nHow is the cache cleared?\n  What is a wheel?  \n"
        "How is the cache cleared?\n" + "x" * 300 + "\n"
    )
    assert read_questions_file(tmp_path) == ["How is the cache cleared?", "What is a wheel?"]
    documents = [doc("a.md", "Design goals", "Hash functions")]
    assert example_questions(tmp_path, documents, 1) == ["How is the cache cleared?"]
    (tmp_path / QUESTIONS_FILE).unlink()
    assert read_questions_file(tmp_path) is None
    assert example_questions(tmp_path, documents, 4) == [
        "What are design goals?",
        "What are hash functions?",
    ]


def test_the_demo_corpus_keeps_its_questions_and_no_other_folder_gets_them():
    demo, _ = read_corpus(DEMO_CORPUS)
    assert example_questions(DEMO_CORPUS, demo)[0] == BASRA
    assert QUESTIONS_FILE not in {d.doc_id for d in demo}  # never indexed
    manuals, _ = read_corpus(FIXTURES)
    questions = example_questions(FIXTURES, manuals)
    assert questions == [
        "How do I disable all internationalization features?",
        "How do I pin the package versions?",
        "How do I store the MIME type using Extended Attributes?",
        "What is the Debian project?",
    ]
    assert not set(questions) & set(example_questions(DEMO_CORPUS, demo))


def test_a_large_corpus_is_not_read_whole_for_its_examples(tmp_path, monkeypatch):
    """The examples come from the first ``EXAMPLE_DOCUMENTS`` documents by name, the rest not
    read for them: a replica of thousands of documents shows its first page at once."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, heading in [
        ("a", "Cancelling timers"),
        ("b", "Hash functions"),
        ("c", "Environment variables"),
    ]:
        text = f"# Manual {name}\n\n## {heading}\n\nThe {heading.lower()} are described here.\n"
        (folder / f"{name}.md").write_text(text)
    monkeypatch.setattr(service, "EXAMPLE_DOCUMENTS", 2)
    qa = QA(folder, tmp_path / "index", progress=False)
    qa.index()
    assert qa.example_questions() == ["How do I cancel timers?", "What are hash functions?"]
    monkeypatch.setattr(service, "EXAMPLE_DOCUMENTS", 3)
    qa.index(rebuild=True)  # a new index: its examples are worked out again
    assert "What are environment variables?" in qa.example_questions()
