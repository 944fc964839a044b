"""Which language a paragraph is in, within its script: English, French or Spanish (and a few other Latin
languages named by their code); Arabic, Persian or Urdu; Russian, Ukrainian or Serbian; Chinese or Japanese.

The evidence is counted word by word (`word_votes`), so `i18n.script` sums it from its cache of words at
no more cost than counting letters: function words of each language and the letters only one of them
uses. Measured against py3langid on tests/i18n/data (benchmarks/bench_language.py): as accurate on
paragraphs of 20 words or more, and many times faster, so no model is loaded by an import.
"""

from __future__ import annotations

import re

# The languages that may lead a Latin-script or an Arabic-script paragraph, in the order of the fields
# of a word's votes (ties go to the first: English, then Arabic, as before languages were told apart).
LATIN_LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl")
ARABIC_LANGUAGES = ("ar", "fa", "ur")
VOTED = ("en", "ar", "fr", "es", "de", "it", "pt", "nl", "fa", "ur")  # the commonest first: smaller sums
MOST_VOTES = 3  # a word's votes for one language (`i18n.script` sums fields it knows cannot overflow)
VOTE_BITS = 40  # a field of a packed sum: no paragraph has 2⁴⁰ words

_FUNCTION_WORDS = {
    "en": "the of and to in is are was were be been that this these those for with by on from as at it its "
    "which who has have had not or but an will would shall should their there they we our also such "
    "into than other upon between within",
    "fr": "de le la les des du un une et est sont dans pour par sur au aux avec qui que ce cette ces son sa "
    "ses leur leurs ont été être pas ne plus nous vous il elle ils elles entre lors afin ainsi où "
    "comme dont mais selon depuis sans sous vers",
    "es": "de la el los las del un una y es son en por para con que se su sus al como pero más este esta estos "
    "estas ha han fue sido ser sobre entre hasta desde donde sin también muy ya le les lo mediante "
    "según cuando",
    "de": "der die das den dem des und ist sind nicht mit von zu ein eine einer eines auf für im auch "
    "sich wird werden wurde nach bei aus dass oder",
    "it": "il gli della delle degli dei nella nelle è di che per con una sono non anche questo questa "
    "alla alle dal dalla sul sulla come più",
    "pt": "de os da das dos não uma em ao aos pelo pela com são está foi ser também mais como seu sua "
    "pelos pelas nas nos entre",
    "nl": "de het een en van in is dat op te zijn met voor niet aan ook door bij werd wordt worden er "
    "naar deze",
    # Arabic-script words compared with ی/ى → ي and ک → ك folded (Persian is often typed with the
    # Arabic letters), so only the words themselves tell.
    "ar": "في من على إلى الى عن مع هذا هذه التي الذي الذين كانت قد لا أن إن ثم أو بين حول عند لدى كما "
    "هو هي تم وقد وفي ومن وعلى كل بعد قبل ذلك تلك حيث ضد منذ لم لن وهو وهي إذ",
    "fa": "است این که را از به با در برای می های ها شد شده کرد کند خود نیز یک آن بر تا اند بود باید "
    "شود دارد وی شوند کنند کردند کرده شدند ای هستند نیست نمی",
    "ur": "کے کی کا میں ہے ہیں اور نے سے کو پر یہ وہ بھی تھا تھی تھے گیا گئی کیا لیے کہ جو ہو ہوں گے "
    "رہا رہی کر سکتا چاہیے",
}
# Letters only one language (or family) of a script writes: a word holding one is a vote.
_LETTER_VOTES = {
    "fr": "çèêëîïôûùœàâ",
    "es": "ñ¿¡áíóú",
    "de": "ß",  # not ä ö ü: Turkish, Finnish, Hungarian … write them too
    "pt": "ãõçáêâô",
    "fa": "پچژگ",  # Persian letters Urdu shares (counted for Urdu below)
    "ur": "ٹڈڑںےھہۃپچژگ",
}
_ARABIC_ARTICLE = re.compile("(?:[وفبك]?ال|لل)..")
_SCRIPT_FOLD = str.maketrans({"ی": "ي", "ى": "ي", "ې": "ي", "ک": "ك"})
_EDGES = "\"'«»“”‘’()[]{}.,;:!?¿¡—–-…،؛؟٪%*/\\<>|"
_ELISIONS = {"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"}
_ZWNJ = "\u200c"


_FIELD = (1 << VOTE_BITS) - 1
_SHIFT = {language: index * VOTE_BITS for index, language in enumerate(VOTED)}


def _vote(language: str) -> int:
    return 1 << _SHIFT[language]


def _function_words() -> dict[str, int]:
    """Each function word (folded as `word_votes` folds) with its votes: one for each language it is of,
    but English's (in, is, on) for English only. They tell other languages apart no better than a
    language's own words, and the sum of an English paragraph's votes then fits 63 bits (`i18n.script`)."""
    votes: dict[str, int] = {}
    english = set(_FUNCTION_WORDS["en"].split())
    for language, words in _FUNCTION_WORDS.items():
        for word in set(words.split()) - (english if language != "en" else set()):
            folded = word.translate(_SCRIPT_FOLD)
            votes[folded] = votes.get(folded, 0) + _vote(language)
    return votes


_WORD_VOTES = _function_words()
_LETTERS = {language: re.compile(f"[{letters}]") for language, letters in _LETTER_VOTES.items()}
_ANY_VOTING_LETTER = re.compile("[" + "".join(_LETTER_VOTES.values()) + "ة]")


def word_votes(piece: str) -> int:
    """The evidence one piece of text (a word with its punctuation) gives, packed: one field of
    `VOTE_BITS` per language of `VOTED`, in that order. Called once per distinct piece (`i18n.script`
    keeps the result), so a text of unique words (a word list) comes here for each."""
    word = piece.strip(_EDGES).lower()
    if not word:
        return 0
    if word.isascii():
        votes = _WORD_VOTES.get(word, 0)
        if "'" in word:
            votes += _elided(word)
            return sum(
                min(count, MOST_VOTES) << _SHIFT[language] for language, count in unpack_votes(votes).items()
            )
        return votes
    word = word.translate(_SCRIPT_FOLD)
    votes = _WORD_VOTES.get(word, 0)
    if "’" in word:
        word = word.replace("’", "'")
    if "'" in word:
        votes += _elided(word)
    if _ZWNJ in word:  # می‌شود, کشور‌ها: Persian writes its prefixes and plurals apart with a non-joiner
        votes += _vote("fa") + sum(_WORD_VOTES.get(part, 0) for part in word.split(_ZWNJ))
    if _ANY_VOTING_LETTER.search(word):
        votes += sum(_vote(language) for language, letters in _LETTERS.items() if letters.search(word))
        if "ة" in word:
            votes += _vote("ar")
    if _ARABIC_ARTICLE.match(word):
        votes += _vote("ar")
    if "'" in word or _ZWNJ in word:  # its parts may have voted many times (the'the'the…)
        votes = sum(
            min(count, MOST_VOTES) << _SHIFT[language] for language, count in unpack_votes(votes).items()
        )
    return votes


def _elided(word: str) -> int:
    """Votes of a word written with apostrophes: French elisions (l'homme, d'une, qu'il) and its parts."""
    first, *rest = word.split("'")
    votes = _vote("fr") if first in _ELISIONS and rest else 0
    return votes + sum(_WORD_VOTES.get(part, 0) for part in rest)


def unpack_votes(packed: int) -> dict[str, int]:
    """The votes of `word_votes` (or a sum of them) by language."""
    return {language: packed >> shift & _FIELD for language, shift in _SHIFT.items()}


# A Latin paragraph with this many words or more and hardly any function word of a language we know is
# in another language (Turkish, Swahili, …): "und", not English.
_UNKNOWN_LATIN_WORDS = 15
_OTHER_LATIN = sum(_FIELD << _SHIFT[language] for language in LATIN_LANGUAGES[1:])
_PERSIAN_OR_URDU = (_FIELD << _SHIFT["fa"]) | (_FIELD << _SHIFT["ur"])


def latin_language(votes: int, words: int) -> str:
    """The language of a Latin-script paragraph from its votes (packed); English when nothing tells,
    or one vote only (an English line with a French loanword: "organisations' rôle")."""
    best, count = "en", votes & _FIELD
    if votes & _OTHER_LATIN:  # the usual case, English or nothing to tell, costs two operations
        unpacked = unpack_votes(votes)
        other = max(LATIN_LANGUAGES, key=unpacked.__getitem__)  # the first of a tie
        if unpacked[other] > max(count, 1):
            best, count = other, unpacked[other]
    if words >= _UNKNOWN_LATIN_WORDS and count * 10 < words:
        return "und"
    return best


def arabic_language(votes: int) -> str:
    """Arabic, Persian or Urdu for an Arabic-script paragraph from its votes (packed): Persian or Urdu
    only when their own words and letters outweigh Arabic's (an Arabic text quoting one Persian name
    stays Arabic)."""
    if not votes & _PERSIAN_OR_URDU:
        return "ar"
    unpacked = unpack_votes(votes)
    arabic, persian, urdu = unpacked["ar"], unpacked["fa"], unpacked["ur"]
    if urdu > max(arabic, persian):
        return "ur"
    if persian > arabic:
        return "fa"
    return "ar"


_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_SERBIAN = re.compile("[ђјљњћџЂЈЉЊЋЏ]")
_RUSSIAN = re.compile("[ыэъёЫЭЪЁ]")  # letters neither Ukrainian nor Serbian write


def cyrillic_language(text: str) -> str:
    """Russian unless the letters of Ukrainian or Serbian outnumber those only Russian writes."""
    russian = len(_RUSSIAN.findall(text))
    if len(_UKRAINIAN.findall(text)) > russian:
        return "uk"
    if len(_SERBIAN.findall(text)) > russian:
        return "sr"
    return "ru"
