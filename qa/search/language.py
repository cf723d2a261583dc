"""Whether a question is written in a language other than English, and which, roughly.

The model and (as far as the project knows) the documents are English, so a question in French
finds little; the chat then says so in one line. This is a cheap guess with no dependency, and
it leans towards English: a question is called foreign only on clear evidence.

- Script: when most of its letters are of a non-Latin script (Han, kana, Hangul, Cyrillic,
  Arabic, Hebrew, Greek, Devanagari, Thai), the question is in that script's language. A
  name or a term in another script inside an English question ("What does 北京 mean?") is a
  minority of the letters and changes nothing.
- Words: otherwise, its words are looked up in short lists of function words (articles,
  pronouns, question words) of French, German, Spanish, Italian, Portuguese and Dutch that are
  not English words. The best language must have at least two of them, more than the question
  has English function words. Code, names and numbers are no function words; code (anything
  in backticks, words with ``_ . / ( ) =`` or digits, options such as ``--no-deps``) and
  quotations (in quotes or guillemets: "What does 'je ne sais pas' mean?") are left out before
  counting.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode script, from the character's name, to the language named in the hint.
_SCRIPTS = (
    ("CJK", "Chinese"),
    ("HIRAGANA", "Japanese"),
    ("KATAKANA", "Japanese"),
    ("HANGUL", "Korean"),
    ("CYRILLIC", "Russian"),
    ("ARABIC", "Arabic"),
    ("HEBREW", "Hebrew"),
    ("GREEK", "Greek"),
    ("DEVANAGARI", "Hindi"),
    ("THAI", "Thai"),
)
# Function words of each language that are not English words (nor common in English text:
# "die", "was", "also", "man", "son", "come", "pour", "de", "van", "a" and "in" are left out).
_FUNCTION_WORDS = {
    "French": """le la les des du un une est sont qui quoi quel quelle quels quelles pourquoi où
        avec dans sur pas ne je vous nous il elle ils elles ce cette ces mon ma mes au aux
        peut puis quand combien être avoir c'est qu'est-ce l'on d'un d'une j'ai et ou""",
    "German": """der das und ist sind wie warum wo wer welche welcher welches nicht mit für
        auf ich wir ein eine einen einem dem den zu von kann können werden wird mein bei oder
        auch über gibt es ihr sich""",
    "Spanish": """el los las una es está están qué cómo cuál cuáles dónde cuándo quién
        quiénes por para con puedo hay del al lo mi su sus se y ¿""",
    "Italian": """il gli che perché dove quando è sono della delle dei per con non questo
        questa uno una cosa chi""",
    "Portuguese": """os um uma não é são onde porque você para com do da em dos das qual
        quem como""",
    "Dutch": """het een en niet hoe wat waarom waar ik je met voor zijn kan""",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_ENGLISH = frozenset(
    """the a an is are was were what how why who where when which do does did can could should
    would will i you we it this that these those to of in on for with and or my your be been
    there from by at about not no if any some have has had""".split()
)
# Code in backticks, and words quoted from elsewhere ("What does 'je ne sais pas' mean?"): an
# apostrophe inside a word ("qu'est-ce", "don't") opens no quote.
_QUOTED = re.compile(
    r"`[^`]*`|\"[^\"]*\"|“[^”]*”|«[^»]*»|„[^“”]*[“”]|(?<!\w)'[^']*'(?!\w)|(?<!\w)‘[^’]*’(?!\w)"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[¿¡]", re.UNICODE)
# A word with code's characters, or an option ("--no-deps"); a hyphen inside a word is French's
# or English's own ("est-il", "pre-installed").
_CODE_CHARS = frozenset("_./\\()=<>{}[]0123456789@#$%^&*+|~")
MAX_CHARS = 1000  # a question's language shows in its start; a pasted essay is read this far
MIN_FOREIGN_WORDS = 2
MIN_SCRIPT_SHARE = 0.5  # of the letters, for a question to be in that script's language


def foreign_language(question: str) -> str | None:
    """The language ``question`` seems to be written in when it is not English ("French",
    "Chinese"), else None. See the module docstring for how, and its limits."""
    text = _QUOTED.sub(" ", question[:MAX_CHARS])
    script = _script_language(text)
    if script:
        return script
    prose = " ".join(t for t in text.split() if not (_CODE_CHARS & set(t) or t[0] == "-"))
    words = [w.lower().replace("’", "'") for w in _WORD.findall(prose)]
    english = sum(w in _ENGLISH for w in words)
    best, count = None, 0
    for language, vocabulary in _WORDS.items():
        found = sum(w in vocabulary for w in words)
        if found > count:
            best, count = language, found
    if count >= MIN_FOREIGN_WORDS and count > english:
        return best
    return None


def _script_language(text: str) -> str | None:
    """The language of the non-Latin script most of ``text``'s letters are in, if any."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    counts: dict[str, int] = {}
    for char in letters:
        if char.isascii():
            continue
        name = unicodedata.name(char, "")
        for prefix, language in _SCRIPTS:
            if name.startswith(prefix):
                counts[language] = counts.get(language, 0) + 1
                break
    if not counts:
        return None
    # Japanese writes kanji (Han) beside its kana: any kana makes the Han Japanese too.
    if "Japanese" in counts and "Chinese" in counts:
        counts["Japanese"] += counts.pop("Chinese")
    language, count = max(counts.items(), key=lambda item: item[1])
    return language if count / len(letters) >= MIN_SCRIPT_SHARE else None
