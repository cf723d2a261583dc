"""The answer-type rules on hand-written questions and sentences."""

from __future__ import annotations

import pytest

from qa.answering.answer_types import (
    answer_type,
    asked_list,
    asks_default,
    asks_limit,
    asks_what_is,
    defines_term,
    described_name,
    described_program,
    holds,
    is_named,
    names_term,
    names_term_literally,
    opens_with_name,
    question_type,
    states_condition,
    states_default,
    states_limit,
    value_noun,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who wrote the report?", "who"),
        ("Whom did the mayor thank?", "who"),
        ("Which company makes the compiler?", "who"),
        ("Name the engineer who fixed the bridge.", "who"),
        ("When was the library founded?", "when"),
        ("In which year did the war end?", "when"),
        ("Where is the config file stored?", "where"),
        ("To which city did the delegation travel?", "where"),
        ("How many workers went on strike?", "how-many"),
        ("How long does the backup take?", "how-many"),
        ("What is the largest value the option accepts?", "how-many"),
        ("How do I enable compression?", "how-to"),
        ("The build is slow. How can I make it parallel?", "how-to"),
        ("How to list the installed packages?", "how-to"),
        ("What command deletes a branch?", "how-to"),
        ("What conditions did the council attach to the deal?", "what"),  # not "who"
        ("What did the officer say about the weapons?", "what"),
        ("Which version added the flag?", "what"),
        ("Why does the test fail?", "why"),
        ("In one reader's view, why would the army stay?", "why"),
        ("What was the main reason for the strike?", "why"),
        ("Is the parser thread-safe?", "yes-no"),
        ("May the scripts start with #!/usr/bin/env python3?", "yes-no"),
        ("Does systemd promise that the variables keep working?", "yes-no"),
        ("How did the residents feel about the militia?", "other"),
    ],
)
def test_question_types_from_the_wording(question, kind):
    assert question_type(question) == kind


def test_answer_types_follow_the_question_type():
    assert answer_type("Who wrote the report?") == "name"
    assert answer_type("When was it founded?") == "date"
    assert answer_type("Where is the cache?") == "place"
    assert answer_type("How many files are there?") == "quantity"
    assert answer_type("How do I install it?") == "procedure"
    assert answer_type("What is the default port?") == "value"
    assert answer_type("Which environment variable sets the editor?") == "value"
    assert answer_type("What did the report conclude?") == "any"
    assert answer_type("What does console.assert print when the value is falsy?") == "value"
    assert answer_type("What does Valgrind do?") == "any"
    assert answer_type("What does xsltproc return when the stylesheet is broken?") == "value"
    # What an option does is a description, not "which option" (a value).
    assert answer_type("What does the --nonet option of xsltproc do?") == "any"
    assert answer_type("What does the DEBUG flag mean?") == "any"
    assert answer_type("Which option of xsltproc turns off the network?") == "value"
    assert answer_type("Which directive lets .htaccess files override the configuration?") == (
        "value"
    )
    assert answer_type("Which function frees the stream?") == "value"
    assert answer_type("Why did the mayor resign?") == "reason"
    assert answer_type("Can it compress in parallel?") == "verdict"


def test_a_name_counts_only_when_the_question_does_not_say_it():
    question = "Who negotiated the deal with Sadr?"
    assert holds("name", "It was negotiated by Vice President Cheney.", question)
    assert not holds("name", "The deal was negotiated with Sadr.", question)
    assert not holds("name", "The deal was negotiated last week.", question)


def test_dates_places_quantities_values_and_procedures():
    assert holds("date", "He was there in 1988.", "When was he at the border?")
    assert holds("date", "It opened on March 3.", "When did it open?")
    link = "The decision (https://lists.debian.org/debian-devel/1996/06/msg00515.html) was made."
    assert not holds("date", link, "When will it be released?")  # a link's digits are no date
    assert not holds("quantity", link, "How many were made?")
    assert not holds("date", "It opened after the storm.", "When did it open?")
    assert holds("place", "The statement came from Najaf.", "Where was it issued?")
    assert holds("place", "The file lives in ~/.config/pip/pip.conf on Linux.", "Where is it?")
    assert not holds("place", "The file is read at start-up.", "Where is the file?")
    assert holds("quantity", "The siege lasted six days.", "How long did the siege last?")
    assert holds("quantity", "It runs 20 to 30 times slower.", "How much slower is it?")
    assert not holds("quantity", "It runs much slower.", "How much slower is it?")
    # "one" after a determiner is a pronoun; "how often" asks for a frequency.
    assert not holds("quantity", "The one before becomes Oldstable.", "How many releases?")
    assert holds("quantity", "It takes one day.", "How long does it take?")
    assert holds("quantity", "Releases happen every 2 years.", "How often are releases made?")
    assert holds("quantity", "cron runs it once a week.", "How often does it run?")
    assert not holds("quantity", "It has a lifetime of 5 years.", "How often are releases made?")
    # "How many soldiers ...?" counts things: a length of time is no count of them.
    sent = "How many soldiers did he send?"
    assert not holds("quantity", "They fought for the past six days.", sent)
    assert not holds("quantity", "It set a 48-hour deadline.", sent)
    assert holds("quantity", "After six days he sent 400 soldiers.", sent)
    assert holds("quantity", "They fought for six days.", "How many days did they fight?")
    assert holds("quantity", "The job took 3 hours.", "How much time did the job take?")
    assert holds("value", "Set GLIBCXX_FORCE_NEW to disable the pools.", "Which variable?")
    assert holds("value", "The default is --leak-check=summary.", "What is the default?")
    assert not holds("value", "It is a setting of the tool.", "What is the default setting?")
    # A uid, gid, port or pid is a number: "HTTP" or "one" is none.
    assert holds("value", "It has uid 2007.", "What is the uid of the reporter account?")
    assert not holds("value", "It serves the cache over HTTP.", "What is the cacher's uid?")
    assert holds("value", "It serves the cache over HTTP.", "Which protocol setting?")
    assert not holds("value", "It runs nightly at 03:00.", "What is the janitor's uid?")
    assert holds("value", "It listens on 127.0.0.1:8080.", "Which port does it use?")
    assert holds("procedure", "Use --log-file to write to a file.", "How do I log to a file?")
    assert holds("procedure", "Run the installer twice.", "How do I install it?")
    assert not holds("procedure", "Logging is useful.", "How do I log to a file?")
    # An identifier in snake_case or camelCase is code the question lacks.
    question = "How do I call a function with libffi?"
    assert holds("procedure", "First create an ffi_cif object for the function.", question)
    assert holds("procedure", "The stream goes to deflateInit first.", "How do I start?")
    assert not holds("procedure", "The function is called with its arguments.", question)
    # A word in capitals is no command ("JSON"); a constant with its underscore is code.
    question = "How do I edit a YAML file in place with yq?"
    assert not holds("procedure", "yq transcodes YAML documents to JSON for jq.", question)
    assert holds("procedure", "It is set with XML_PARSE_HUGE.", question)
    # An instruction after a colon or a semicolon; "use" as a noun is none.
    at = "How do I cancel an at job?"
    assert holds("procedure", "For at tasks, it is almost as easy: run atrm task-number.", at)
    assert not holds("procedure", "The reason is simple: use is free.", at)
    assert not holds("any", "Anything at all, 42 times in Paris.", "What?")


def test_a_reason_is_given_in_so_many_words():
    question = "Why did the government launch the offensive?"
    assert holds("reason", "They launched it, an operation aimed at breaking the gunmen.", question)
    assert holds("reason", "It was delayed because the roads were closed.", question)
    assert holds("reason", "We went after them in exchange for the vote on the law.", question)
    assert not holds("reason", "The offensive has a Tet quality to it.", question)
    why = "Why does Debian take so long between stable releases?"
    caution = "People complain of the long time, but this caution ensures that it is reliable."
    assert holds("reason", caution, why)
    # What would follow otherwise is the reason to do as told.
    owned = "Why should web content not be owned by www-data?"
    warned = "Web content should not be owned by it, or a compromised server would rewrite it."
    assert holds("reason", warned, owned)
    assert holds("reason", "Flush it twice, or else it will not reach the disk.", owned)
    assert not holds("reason", "Use -a, or -b, or both of them.", owned)


def test_an_alternative_is_named_in_so_many_words():
    question = "What should I use instead of dup()?"
    assert answer_type(question) == "alternative"
    assert answer_type("What is the replacement for strcmp?") == "alternative"
    # Not what happens in another case, nor how to do a thing another way.
    assert answer_type("What happens when the output goes to a file instead of a terminal?") != (
        "alternative"
    )
    assert answer_type("How do I send the messages to a file instead of stderr?") == "procedure"
    assert holds("alternative", "Use `fcntl(fd, F_DUPFD_CLOEXEC, 3)` instead.", question)
    assert holds("alternative", "It is deprecated in favour of the globs2 file.", question)
    assert not holds("alternative", "Please never use `dup()`.", question)


@pytest.mark.parametrize(
    ("question", "plural"),
    [
        ("What are the advantages of WAL?", "advantages"),
        ("What were the main causes of the outage?", "causes"),
        ("What are SQLite's limits?", "limits"),
        ("What are the files used by cron?", "files"),
        # No list: a definition, a value, a plural that does something.
        ("What are rows?", None),
        ("What are the default values?", None),
        ("What were the militias doing in Basra?", None),
        ("What are the settings that are read first?", None),
    ],
)
def test_a_plural_that_is_no_value_asks_for_a_list(question, plural):
    assert (answer_type(question) == "list") == (plural is not None)
    if plural is not None:
        assert asked_list(question) == plural


def test_a_condition_says_when_something_happens():
    assert states_condition("SQLite will checkpoint whenever a COMMIT occurs.")
    assert states_condition("The buffer is flushed as soon as the file is closed.")
    assert not states_condition("All checkpoints are PASSIVE.")
    assert not states_condition("Run it again if necessary.")
    # "When should I use .htaccess files?": the case they are for is the answer.
    assert states_condition(".htaccess files should be used in a case where you lack root access.")
    assert states_condition("The lock is kept unless the file is closed.")
    assert not states_condition("In this case the file is kept.")


def test_a_list_is_introduced_by_a_sentence_naming_it_with_a_colon():
    question = "What are the advantages of WAL?"
    assert holds("list", "Advantages include:", question)
    assert holds("list", "The main advantage of WAL-mode is the following:", question)
    assert not holds("list", "There are advantages and disadvantages to using WAL.", question)
    assert not holds("list", "WAL is faster in most scenarios:", question)
    assert holds("list", "Each library needs:", "What are the libraries it needs?")


def test_a_verdict_says_yes_or_no_in_so_many_words():
    question = "Is it fine to run pip.pyz in production?"
    assert holds("verdict", "The zip application should not be used in production.", question)
    assert holds("verdict", "We don't guarantee that it keeps working.", question)
    assert holds("verdict", "Use of -O2 and above is not recommended.", question)
    assert not holds("verdict", "This can be downloaded from the project's site.", question)
    # A sentence that puts the question itself ("whether or not ...") gives no verdict on it.
    question = "Are foreign key constraints enabled by default?"
    doubt = "Do not assume whether or not foreign keys are enabled by default."
    assert not holds("verdict", doubt, question)
    assert holds(
        "verdict", "Foreign key constraints are disabled by default, so must be set.", question
    )
    assert holds("verdict", "You must check whether the file exists.", question)


def test_latin_abbreviations_are_no_code_values():
    question = "What text encoding does pip assume?"
    assert not holds("value", "It is tied to pip's internals (e.g., its options).", question)
    assert not holds("value", "Files are read as text, i.e. decoded first.", question)
    assert holds("value", "Requirements files are `utf-8` encoded.", question)


def test_a_default_is_stated_with_its_value():
    assert asks_default("What is the default --leak-check setting?")
    assert asks_default("How much memory is held back by default?")
    assert not asks_default("How do I send the log to a file?")
    assert states_default("--freelist-vol=<number> [default: 20000000]")
    assert states_default("Specify 0 to remove the limit. Default: 1000.")
    assert states_default("If none of them is set, it defaults to /tmp.")
    assert states_default("The default value is twenty million bytes.")
    assert states_default("The default value of this macro is 1 billion.")
    assert not states_default("By default, the output goes to standard error.")
    assert not states_default("Returns the default directory for temporary files.")
    # ... or of the value just named (dpkg's rootless-builds spec), or beside it.
    assert states_default('If "binary-targets", ... under (fake)root. This is the default.')
    assert states_default("Compress the output with gzip (the default) or bzip2.")
    assert not states_default("Which of them is the default one depends on the build.")


def test_a_bound_is_asked_for_and_stated_with_its_figure():
    assert asks_limit("What is the largest value --num-callers accepts?")
    assert asks_limit("What is the minimum key size?")
    assert asks_limit("How many retries are made at most?")
    assert not asks_limit("How do I limit the memory a command may use?")
    assert not asks_limit("Who brokered the ceasefire?")
    assert states_limit("The maximum value for this is 500.")
    assert states_limit("Levels range from 1 to 19.")
    assert states_limit("A name may hold at most 64 characters.")
    assert states_limit("Keys are limited to 255 bytes.")
    assert states_limit("It must be between 0 and 9.")
    assert states_limit("You can change it at compile time to values as large as 32767.")
    # a word for a bound, without its figure, states none
    assert not states_limit("Specifies the maximum number of entries shown in stack traces.")
    assert not states_limit("The default is 12.")


def test_the_value_asked_for_is_named_by_the_questions_last_noun_for_one():
    assert value_noun("What text encoding does pip assume?") == "encoding"
    assert value_noun("What was the official code name of the operation?") == "name"
    assert value_noun("Which signal does a process get on Ctrl+C?") == "signal"
    assert value_noun("What is the default port?") == "port"
    assert value_noun("Who brokered the ceasefire?") is None


def test_what_is_a_term_is_answered_by_a_sentence_saying_what_it_is():
    assert asks_what_is("What is the parent table?")
    assert described_name("What is the parent table?") == "parent table"
    assert not asks_what_is("What is the purpose of AUTOINCREMENT in SQLite?")
    assert defines_term(
        "The parent table is the table that a constraint refers to.", "parent table"
    )
    assert defines_term("A child key means the columns that refer to it.", "child key")
    assert not defines_term("The parent table does not exist, or", "parent table")
    # A licence's definitions: the term quoted, after where it holds, before what it is of.
    assert described_name("What is a patent license under the GPL?") == "patent license"
    assert described_name("What is the parent table in SQLite?") == "parent table"
    patent = 'In the following three paragraphs, a "patent license" is any express agreement.'
    assert defines_term(patent, "patent license")
    source = 'The "Corresponding Source" for a work in object code form means all the source.'
    assert defines_term(source, "Corresponding Source")


def test_a_question_names_an_option_when_it_spells_out_all_of_its_words():
    question = "How do I send Valgrind's messages to a log file instead of stderr?"
    assert names_term("--log-file=<filename>", question)
    assert not names_term("--log-fd=<number> [default: 2, stderr]", question)
    assert names_term("-a\n--append", "Which option appends to the output file?")
    assert not names_term("-a\n--append", "Is there a way to add to a file?")  # "-a" is too short
    assert names_term("timeout.unref()", "What does timeout.unref do?")
    # A one-word name in plain words is named when called by it, not when merely used.
    assert not names_term("--level=NUMBER", "How do I drop the top-level directory?")
    assert not names_term("--backup[=CONTROL]", "How do I leave .git out of a tar backup?")
    assert not names_term("-l, --log file", "How do I run a command after the log file is rotated?")
    assert names_term("--backup[=CONTROL]", "What does the backup option do?")
    assert names_term("--backup[=CONTROL]", "When does tar --backup keep copies?")
    assert names_term("-x, --extract", "How do I extract one file from a tarball?")


def test_a_question_writes_an_option_literally():
    question = "What does the --nonet option of xsltproc do?"
    assert names_term_literally("--nonet", question)
    assert not names_term_literally("--novalid", question)
    assert names_term_literally("timeout.unref()", "When should I call timeout.unref()?")
    # The words alone are not the name written: names_term's looser match covers them.
    assert not names_term_literally("--log-file=<filename>", "How do I write a log file?")
    assert not names_term_literally("-a", "Does -a append?")  # too short to be sure


def test_what_happens_when_nothing_is_given_states_a_default():
    assert states_default("If no argument is given, the process will be sent the 'SIGTERM' signal.")
    assert states_default("If omitted, the current working directory is used.")
    assert states_default("When not specified, the port is 8080.")
    assert not states_default("If the argument is given, it must be a string.")
    assert not states_default("If no file is found, the command exits with status 2.")


def test_a_name_in_code_is_named_by_the_question_that_spells_its_words():
    question = "What is the default maxBuffer for child_process.exec?"
    assert names_term("`maxBuffer` {number} Largest amount of data", question)
    assert not names_term("`killSignal` {string|integer}", question)


def test_what_a_question_asks_to_describe_is_the_name_it_writes():
    assert described_name("What does util.inspect do?") == "util.inspect"
    assert described_name("What does the --nonet option do?") == "--nonet"
    assert described_name("What does `small-icu` mean?") == "small-icu"
    assert described_name("What does the -t option of gzip do?") == "-t"
    assert described_name("What does os.tmpdir return?") == "os.tmpdir"
    # A command and its option: the option ("-0" of xargs's manual, "--amend" of git commit's).
    assert described_name("What does xargs -0 do?") == "-0"
    assert described_name("What does git commit --amend do?") == "--amend"
    # ... and the program, said either way; none when not said.
    assert described_program("What does split -d do?") == "split"
    assert described_program("What does the -e option of split do?") == "split"
    assert described_program("What does the --nonet option do?") is None
    # A configuration file's directive, a language's operator; the program after the verb.
    assert described_name("What does the compress directive of logrotate do?") == "compress"
    assert described_program("What does the compress directive of logrotate do?") == "logrotate"
    assert described_name("What does the // operator do in jq?") == "//"
    assert described_program("What does the // operator do in jq?") == "jq"
    question = "What does ControlPersist do in the ssh client config?"
    assert described_name(question) == "ControlPersist" and described_program(question) == "config"
    assert described_name("What does path.extname return for 'a.md'?") is None  # a case
    # A part of a name is asked what it stands for, not an entry of a program "ffi_cif".
    assert described_name("What does the cif in ffi_cif stand for?") is None
    assert described_name("What does the magic file contain?") is None
    assert described_name("How do I inspect an object?") is None


def test_a_heading_or_option_line_is_named_by_exactly_its_name():
    assert is_named("assert.deepStrictEqual(actual, expected[, message])", "assert.deepStrictEqual")
    assert not is_named("assert(value[, message])", "assert.deepStrictEqual")
    assert is_named("3.3.1. BZ2_bzCompressInit", "bz2_bzcompressinit")
    assert not is_named("3.3.2. BZ2_bzCompress", "BZ2_bzCompressInit")
    assert is_named("-t --test", "-t") and is_named("-t --test", "--test")
    assert is_named("-0, --null", "-0") and not is_named("-a file, --arg-file=file", "-0")
    # A one-letter option written with its dash names it; its letter alone does not.
    assert names_term("-t --test", "What does the -t option of gzip do?")
    assert not names_term("-a --ascii", "Is it a good idea?")
    assert names_term("3.3.1. BZ2_bzCompressInit", "What does BZ2_bzCompressInit do?")
    # GNU writes a space before a function's parameters; an ordinary word so written is no name.
    assert is_named("jpeg_set_defaults (j_compress_ptr cinfo)", "jpeg_set_defaults")
    assert not is_named("Compression (see below)", "compression")
    # A one-letter option's case is its name; a command's name starts its synopsis.
    assert is_named("--archive, -a", "-a") and not is_named("--acls, -A", "-a")
    assert described_name("What does rsync -A do?") == "-A"
    assert is_named("apply [--index] [-q|--quiet] [<stash>]::", "apply")
    # A term in words (rsyncd.conf's settings, a glossary's entries) is named by all its words.
    assert is_named("use chroot", "use chroot") and is_named("Max Connections:", "max connections")
    assert not is_named("use chroot", "chroot") and not is_named("daemon chroot", "use chroot")


def test_a_sentence_whose_subject_is_the_name_says_what_it_is():
    assert opens_with_name("The `util.inspect()` method returns a string.", "util.inspect")
    assert opens_with_name("bzip2 compresses files using the Burrows-Wheeler algorithm.", "bzip2")
    assert opens_with_name("--nonet Do not use the Internet to fetch DTDs.", "--nonet")
    # A manual's option and its description in one paragraph, the verb a manual's own.
    assert opens_with_name("-A Generate host keys of all default key types.", "-A")
    assert not opens_with_name("`util.inspect.styles` is a map of styles.", "util.inspect")
    assert not opens_with_name("Color output of `util.inspect` is customizable.", "util.inspect")
    assert not opens_with_name("bzip2recover is a program.", "bzip2")
    # A common noun for a name takes its article ("What does a dpkg trigger do?").
    trigger = "A dpkg trigger is a facility that allows events to be recorded and aggregated."
    assert opens_with_name(trigger, "dpkg trigger")
    assert not opens_with_name("A dpkg trigger name is any string.", "dpkg trigger")
