"""The non-English hint's detector (``qa.search.language``), on hand-written questions both
ways: questions in other languages are named, English ones with code, names, numbers or a
word of another script are not."""

from __future__ import annotations

import time

import pytest

from qa.search.language import foreign_language


@pytest.mark.parametrize(
    "question, language",
    [
        ("Qui a négocié le cessez-le-feu ?", "French"),
        ("Comment installer pip dans un environnement virtuel ?", "French"),
        ("Pourquoi le cache est-il vide ?", "French"),
        ("Qu'est-ce que le « full-icu » ?", "French"),
        ("Wer hat den Waffenstillstand vermittelt?", "German"),
        ("Wie kann ich den Cache löschen?", "German"),
        ("¿Quién negoció el alto el fuego?", "Spanish"),
        ("¿Cómo se instala pip?", "Spanish"),
        ("Chi ha negoziato il cessate il fuoco?", "Italian"),
        ("Onde fica o arquivo de configuração do pip?", "Portuguese"),
        ("Hoe kan ik de cache legen?", "Dutch"),
        ("谁促成了停火？", "Chinese"),
        ("如何清除缓存", "Chinese"),
        ("キャッシュを削除するには？", "Japanese"),
        ("停戦を仲介したのは誰ですか", "Japanese"),
        ("Кто был посредником в прекращении огня?", "Russian"),
        ("캐시를 어떻게 지우나요?", "Korean"),
        ("من توسط في وقف إطلاق النار؟", "Arabic"),
    ],
)
def test_a_question_in_another_language_is_named(question, language):
    assert foreign_language(question) == language


@pytest.mark.parametrize(
    "question",
    [
        "Who brokered the ceasefire?",
        "What did Sadr demand?",
        "Did the government accept them?",
        "How do I embed the entire ICU?",
        "What does `ls -la /etc/le/la/les` print?",
        "What does os.path.join('le', 'la') return?",
        "How do I set PIP_CONFIG_FILE=/etc/pip.conf?",
        "Is Jean-Luc de la Tour the author?",
        "What did José Müller say about Basra?",
        "Who is Nuri al-Maliki?",
        "What does 北京 mean in the report?",
        "What is the value of π in bc?",
        "Was the ceasefire signed in 2008?",  # "was" is German too
        "Does Die Zeit cite the post?",
        "What is the role of the Quds Force commander Qassem Suleimani?",
        "grep -E 'der|die|das' file.txt",
        "Why does `der die das und ist` match?",
        "What does 'je ne sais pas' mean in the comment?",
        'Who said "qui ne dit mot consent" in the thread?',
        "What does «la guerre est finie» refer to?",
        "el capitan",
        "1234 5678",
        "",
        "?",
    ],
)
def test_an_english_question_is_not_called_foreign(question):
    assert foreign_language(question) is None


def test_a_pasted_essay_is_read_only_as_far_as_its_start_and_never_slowly():
    started = time.perf_counter()
    # One 200,000-letter word: a regular expression that backtracks over it takes minutes.
    assert foreign_language("a" * 200_000) is None
    assert foreign_language("Qui a négocié le cessez-le-feu ? " + "x " * 100_000) == "French"
    assert time.perf_counter() - started < 1.0
