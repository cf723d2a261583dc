"""The verb and referring-back rules on hand-written sentences."""

from __future__ import annotations

from qa.answering.wording import has_verb, is_headless, is_signpost, refers_back


def test_a_sentence_has_a_verb_and_a_heading_does_not():
    assert has_verb("The parser reads the file twice.")
    assert has_verb("bzip2 compresses large files in blocks.")
    assert has_verb("It's the default.")
    assert has_verb("Memcheck was designed for this.")
    assert not has_verb("Debugging Applications")
    assert not has_verb("Configuration File Format")
    assert not has_verb("Table of contents")
    # A description under a function's name opens with its verb, common or not.
    assert has_verb('Schedules the "immediate" execution of the callback after I/O events.')
    assert not has_verb("Schedules and Timetables")
    assert not has_verb("Options for the compressor")


def test_a_sentence_that_points_back_refers_back():
    assert refers_back("This means the cache is never cleared.")
    assert refers_back("They are kept for a week.")
    assert refers_back("Such files are skipped.")
    assert refers_back("For this reason the flag is off.")
    assert refers_back("“The gunmen have better weapons than we have,” he said.")
    assert not refers_back("The cache is never cleared.")
    assert not refers_back("Thiswise is not a word.")
    assert refers_back("Both are kept for a week.")
    assert not refers_back("Both list.sort() and sorted() accept a reverse parameter.")
    assert not refers_back("Either a path or a file object may be given.")
    assert not refers_back("There are independent tools to generate encrypted passwords.")
    assert refers_back("There, the cache is kept for a week.")
    assert refers_back("There are other ways to disable memory pooling.")
    # a subject that is something named before: "... of this macro"
    assert refers_back("The default value of this macro is 1 billion.")
    assert not refers_back("The size of the cache is 10 MB.")
    assert not refers_back("The maximum value for this is 500.")  # "this" is the subject


def test_a_condition_or_connective_that_points_back_refers_back():
    assert refers_back("If none of them is set, it defaults to /tmp.")
    assert refers_back("When this happens, the server restarts.")
    assert refers_back("Otherwise, the file is left alone.")
    assert refers_back("However, the cache is kept.")
    assert refers_back("To do so, each instance must listen on a different port.")
    assert refers_back("By doing this, you keep the old version.")
    assert not refers_back("To build the docs, run make.")
    assert refers_back("To use it, pass in the first 8 bytes of the file to png_sig_cmp().")
    assert refers_back("To enable this feature, set the flag.")
    assert not refers_back("If you want a log file, name it.")  # "you" points at no sentence
    assert not refers_back("When the program exits, the pool is freed.")


def test_a_description_without_subject_is_headless():
    assert is_headless("Specifies the file to write to.")
    assert is_headless("Don't replace existing files when extracting.")
    assert not is_headless("The option specifies the file.")


def test_a_sentence_about_the_document_is_a_signpost():
    assert is_signpost("This chapter describes all the Nettle functions, grouped by family.")
    assert is_signpost("The following section explains how the cache works.")
    assert is_signpost("This page explains how the configuration files work.")
    assert is_signpost("This short guide covers the installation.")
    assert not is_signpost("This option describes the file format.")  # an option says things
    assert not is_signpost("The chapter on hashing was rewritten in 2019.")
    assert not is_signpost("Those functions which can fail return zero on failure.")
    # What follows, announced: procps's bugs.md.
    assert is_signpost("The following is information for reporting bugs.")
    assert not is_signpost("The following is the default value.")
