"""Follow-up questions: when a question leans on the previous one, and the query built from it."""

from __future__ import annotations

import pytest

from qa.answering.followup import MAX_TURNS, leans_on_previous, referent, standalone_query
from qa.types import Turn


@pytest.mark.parametrize(
    "question",
    [
        "Did the government accept them?",  # "them" and no name of its own
        "Why?",  # no content words
        "When was that?",
        "And what about Basra?",  # a continuation, even with a name
        "what about the Mahdi Army?",
        "And the second one?",  # a joining word and no question of its own
        "But in Basra?",
        "And how do I unlock it?",  # a question of its own that leans
        "Is it true?",
        "Is it thread-safe?",  # "it" is something asked about before
        "Is it possible to do that?",  # "that" still refers back
        "What happens when it fails?",  # no main clause of its own to bind "it"
        "What does -r do?",  # an option of what was asked about before
        "What is it?",
        "Who is he?",
        "What is its default value?",  # "its" with no word before it to belong to
        "Did they accept it, and why?",  # no clause of two content words before the break
        "Why did the government reject them, and who objected?",  # "them" in the main clause
        "How do I configure it so that it starts at boot?",
        "Did the government accept their demands?",  # "their" is someone else's
        "In which holy city is his base?",  # and "his" is not the city's
        "Where does it keep the downloaded files on Linux by default?",  # a name after "it"
        "Why does it ignore the DNS servers I configured?",
    ],
)
def test_follow_ups_lean_on_the_previous_question(question):
    assert leans_on_previous(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who brokered the ceasefire?",
        "What did Sadr demand?",
        "Did Sadr say he would disarm the Mahdi Army?",  # "he" is Sadr, named in the question
        "How many people died in the Basra fighting?",
        "Qui a négocié le cessez-le-feu?",
        "Is it safe to run pip as root?",  # "it" stands for "to run pip as root"
        "would it be possible to compress files in parallel with bzip2?",
        "it is said that bzip2 needs less memory with -s; how much less?",
        # "it" in a clause after a main clause is its subject, named in lower case.
        "Which code does xsltproc return when it fails to parse the stylesheet?",
        "What does xargs -0 do?",  # a program and its option, in lower case
        "What should I use instead of dup()?",
        "What is sed?",  # asked what one named thing is: a new subject, not a follow-up
        "who is Sistani",
        "What are closures?",
        "And which group can read the log files in /var/log?",  # a question of its own
        # The pronoun refers to a word of the question itself (dev questions once misread).
        "Which group lets its members read the log files in /var/log?",
        "How do I save my private index password in the system keyring so pip can use it?",
        "How do I keep a cluster from starting at boot but still be able to start it by hand?",
        "How do I authenticate to a package index that only needs a single token?",
        "What is the highest compression level zstd supports, and how do I unlock it?",
        "If I pass a pip option on the command line and also set it in an environment variable, "
        "which one wins?",
    ],
)
def test_self_contained_questions_stand_alone(question):
    assert not leans_on_previous(question)


def test_a_follow_up_joins_the_question_it_leans_on():
    query = standalone_query("Did the government accept them?", ["What did Sadr demand?"])
    assert query.text == "What did Sadr demand? Did the government accept them?"
    assert query.joined


def test_a_self_contained_question_is_searched_alone():
    earlier = ["What did Sadr demand?", "Did the government accept them?"]
    query = standalone_query("Who brokered the ceasefire?", earlier)
    assert query.text == "Who brokered the ceasefire?"
    assert not query.joined


def test_a_question_of_its_own_after_a_joining_word_is_searched_without_it():
    earlier = ["How many Windows 95 machines does the build farm run?"]
    query = standalone_query("And which group can read the log files?", earlier)
    assert query.text == query.asked == "which group can read the log files?"
    assert not query.joined  # only its joining word dropped
    leaning = standalone_query("And how do I unlock it?", ["What is zstd's highest level?"])
    assert leaning.text == "What is zstd's highest level? And how do I unlock it?"


def test_the_first_question_has_nothing_to_lean_on():
    assert standalone_query("  Why?  ", []).text == "Why?"


def test_a_chain_stops_at_the_question_that_stands_alone():
    earlier = ["Who brokered the ceasefire?", "What did Sadr demand?", "Did they accept?"]
    assert standalone_query("Why?", earlier).text == "What did Sadr demand? Did they accept? Why?"


def test_a_chain_is_at_most_max_turns_long():
    earlier = ["What did Sadr demand?"] + ["Why?"] * 10
    assert standalone_query("Why?", earlier).text.count("?") == MAX_TURNS


def test_the_query_drops_the_oldest_questions_to_fit():
    earlier = ["What did Sadr demand? " + "x" * 50]
    query = standalone_query("Did they accept?", earlier, max_chars=40)
    assert query.text == "Did they accept?"
    assert not query.joined


CACHER = Turn(
    "Which account serves the artifact cache?",
    "cacher The cacher account serves the artifact cache over HTTP.",
)


def test_its_after_a_which_question_is_the_thing_its_answer_named():
    query = standalone_query("What is its uid?", [CACHER])
    assert query.text == query.asked == "What is the cacher account's uid?"
    assert query.joined  # read with the earlier turn, though it stands alone now
    it = standalone_query("Does it write to the cache?", ["What is Ninja?", CACHER])
    assert it.text == "Does the cacher account write to the cache?"


def test_without_a_kept_answer_or_a_which_question_its_is_left_to_the_joined_query():
    alone = standalone_query("What is its uid?", ["Which account serves the artifact cache?"])
    assert alone.text == "Which account serves the artifact cache? What is its uid?"
    assert alone.asked == "What is its uid?"
    ninja = Turn("What is Ninja?", "Ninja is a small build system with a focus on speed.")
    assert standalone_query("What is its default format?", [ninja]).asked.endswith(
        "its default format?"
    )
    refused = Turn(
        CACHER.question, "The corpus does not seem to answer this question. The cacher account"
    )
    assert referent(refused) is None
    assert referent(Turn("Which group can read the logs?", "Members of the adm group can.")) == (
        "the adm group"
    )
    # The thing's name must be one the question does not hold, and no small word.
    assert referent(Turn("Which account serves the cache?", "The account serves it.")) is None
    assert referent(Turn("What is the tty group?", "The tty group owns terminals.")) is None
    too_long = standalone_query("What is its uid?", [CACHER], max_chars=30)
    assert too_long.asked == "What is its uid?"  # the name put in would not fit
