"""Text normalisation and segmentation shared by the classifier and the phrase matcher.

Normalisation policy (rapidfuzz ≥ 3 applies no processor unless given one, so every string
reaches rapidfuzz already normalised by :func:`normalise`):

1. Unicode NFKC; curly quotes become straight ones; text is case-folded.
2. Words are tokens of letters/digits with inner apostrophes; times and dates keep their
   inner ``:``, ``.`` and ``/`` ("10:30", "3/14"). Other punctuation is dropped, except ``?``
   and ``,`` which stay as tokens: ``?`` marks questions and ``,`` bounds negation windows.
3. Contractions are expanded with or without their apostrophe ("don't", "dont" → "do not";
   "I'll", "ill" → "i will"), and common chat spellings are mapped ("gonna" → "going to",
   "u" → "you", "tmrw" → "tomorrow"). Ambiguous forms ("were", "well", "its", "id") are left
   alone. An ``&`` standing alone is "and" ("the invite & a proposal"); inside a word ("R&D")
   it is dropped like other punctuation.
4. Whitespace collapses to single spaces.

Every normalised token remembers the span of the raw text it came from, so a match in the
normalised text maps back to the exact words the user wrote (the evidence).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

_CONTRACTIONS: dict[str, str] = {
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not",
    "didn't": "did not", "didnt": "did not", "can't": "cannot", "cant": "cannot",
    "won't": "will not", "wont": "will not", "isn't": "is not", "isnt": "is not",
    "aren't": "are not", "arent": "are not", "wasn't": "was not", "wasnt": "was not",
    "weren't": "were not", "werent": "were not", "couldn't": "could not",
    "couldnt": "could not", "wouldn't": "would not", "wouldnt": "would not",
    "shouldn't": "should not", "shouldnt": "should not", "haven't": "have not",
    "havent": "have not", "hasn't": "has not", "hasnt": "has not", "hadn't": "had not",
    "hadnt": "had not", "mustn't": "must not", "needn't": "need not", "ain't": "is not",
    "i'm": "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'll": "i will",
    "ill": "i will", "i'd": "i would", "you're": "you are", "youre": "you are",
    "you'll": "you will", "youll": "you will", "you've": "you have", "youve": "you have",
    "you'd": "you would", "youd": "you would", "we're": "we are", "we'll": "we will",
    "we've": "we have", "weve": "we have", "we'd": "we would", "they're": "they are",
    "theyre": "they are", "they'll": "they will", "theyll": "they will",
    "they've": "they have", "theyve": "they have", "they'd": "they would",
    "he'll": "he will", "she'll": "she will", "he's": "he is", "she's": "she is",
    "it's": "it is", "it'll": "it will", "that's": "that is", "thats": "that is",
    "that'll": "that will", "what's": "what is", "whats": "what is", "where's": "where is",
    "wheres": "where is", "how's": "how is", "hows": "how is", "who's": "who is",
    "who'll": "who will", "what'll": "what will", "there'll": "there will",
    "that'd": "that would", "it'd": "it would", "who'd": "who would",
    "whos": "who is", "when's": "when is", "there's": "there is", "theres": "there is",
    "here's": "here is", "let's": "let us", "y'all": "you all", "shan't": "shall not",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "lemme": "let me",
    "gimme": "give me", "dunno": "do not know", "kinda": "kind of", "sorta": "sort of",
    "u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tomoz": "tomorrow", "tom": "tom",
    "asap": "as soon as possible", "ok": "okay", "k": "okay", "cuz": "because",
    "cos": "because", "coz": "because", "abt": "about", "w/": "with", "mtg": "meeting",
    "nxt": "next", "wk": "week", "mon": "monday", "tues": "tuesday", "tue": "tuesday",
    "weds": "wednesday", "wed": "wednesday", "thurs": "thursday", "thu": "thursday",
    "fri": "friday", "sat": "saturday", "&": "and",
}

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'",
                         "`": "'", "\u201c": '"', "\u201d": '"'})

# A word (with inner apostrophes), a number with inner time/date punctuation, or a kept mark.
# (Case matters only in the suffixes: a pattern-wide IGNORECASE made tokenising twice as slow.)
_TOKEN = re.compile(r"\d+(?:[:./]\d+)*(?i:st|nd|rd|th|am|pm|a\.m\.|p\.m\.)?"
                    r"|[^\W\d_]+(?:'[^\W\d_]+)*|\w+|[?,]|(?<!\w)&(?!\w)")
# Where sentences end: terminal punctuation, dashes used as breaks, line breaks.
_SENTENCE_END = re.compile(r"(?:[.!?;]+(?=\s|$|[\"')\]])|\s[-\u2013\u2014]+\s|[\u2013\u2014]|\n+)")
_ABBREV = re.compile(r"(?:\b(?:mr|mrs|ms|dr|vs|etc|e\.g|i\.e|a\.m|p\.m|approx|dept|st)\.)$", re.I)


class Token(NamedTuple):
    """A normalised word and the raw span it came from (a tuple: made for every word)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A sentence of a line: raw span, normalised text and its tokens."""

    start: int
    end: int
    raw: str
    norm: str
    tokens: tuple[Token, ...]
    question: bool

    @property
    def plain(self) -> str:
        """The sentence as :func:`plain` gives it, from the tokens already made."""
        return " ".join(t.text for t in self.tokens if t.text not in ("?", ","))

    def span_of(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a ``[nstart, nend)`` span of :attr:`norm` to a span of the raw line."""
        pos = 0
        first = last = None
        for tok in self.tokens:
            tstart, tend = pos, pos + len(tok.text)
            if tend > nstart and tstart < nend:
                if first is None:
                    first = tok
                last = tok
            pos = tend + 1
        if first is None or last is None:
            return self.start, self.end
        return first.start, last.end


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Normalised tokens of ``text`` with raw spans (shifted by ``offset``)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    out: list[Token] = []
    append = out.append
    contraction = _CONTRACTIONS.get
    for m in _TOKEN.finditer(text):
        word = m.group().casefold()
        start, end = m.start() + offset, m.end() + offset
        expanded = contraction(word)
        if expanded is None:
            if not (word.endswith("'s") and len(word) > 2):
                append(Token(word, start, end))
                continue
            # possessive or "is": keep the bare word, and "s" so "monday's out" reads as
            # "monday s out" (patterns accept "s" where they accept "is")
            expanded = word[:-2] + " s"
        for part in expanded.split():
            append(Token(part, start, end))
    return out


def normalise(text: str) -> str:
    """The normalised form of ``text`` (see the module docstring for the policy)."""
    return " ".join(t.text for t in tokens(text))


def plain(text: str) -> str:
    """Normalised text without the kept ``?`` and ``,`` marks: what rapidfuzz compares."""
    return " ".join(t.text for t in tokens(text) if t.text not in ("?", ","))


_QUESTION_OPENERS = frozenset(
    "what when where who whom whose which why how can could shall should would will do does "
    "did is are am was were have has may might any".split()
)
_WH_WORDS = frozenset("what when where who whom whose which why how".split())
_SUBJECTS = frozenset("i we you they he she it".split())
_DISCOURSE = frozenset(
    "so okay great well right alright and but then also um uh cool perfect awesome oh hey "
    "now yeah yes sure fine good ok look listen hmm honestly anyway".split()
)


_QUESTION_END = re.compile(r"\?[\s.!?\u2026\"')\]]*$")


def _is_question(raw: str, toks: list[Token]) -> bool:
    if _QUESTION_END.search(raw):
        return True
    words = [t.text for t in toks if t.text not in (",", "?")]
    i = 0
    while i < len(words) - 1 and words[i] in _DISCOURSE:
        i += 1
    if not (i < len(words) and words[i] in _QUESTION_OPENERS and len(words) - i >= 3):
        return False
    # "what I'll do is..." and "how we handle it..." put the subject straight after the
    # wh-word: a statement. A question inverts ("what do you...", "how would we...").
    return not (words[i] in _WH_WORDS and words[i + 1] in _SUBJECTS)


def segments(text: str) -> list[Segment]:
    """Split a line into sentences, each normalised, with raw spans kept."""
    out: list[Segment] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith(".") and _ABBREV.search(text[max(0, m.start() - 6): m.end()]):
            continue
        if m.group().startswith(".") and m.start() > 0 and text[m.start() - 1].isdigit() \
                and m.end() < len(text) and text[m.end():m.end() + 1].isdigit():
            continue
        _add_segment(out, text, start, m.end())
        start = m.end()
    _add_segment(out, text, start, len(text))
    return out


def _add_segment(out: list[Segment], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip(" \t\r\n-\u2013\u2014")
    if not stripped:
        return
    lead = raw.find(stripped)
    s = start + lead
    e = s + len(stripped)
    toks = tokens(text[s:e], s)
    if not toks:
        return
    out.append(Segment(s, e, text[s:e], " ".join(t.text for t in toks), tuple(toks),
                       _is_question(stripped, toks)))


def names_matching(names: Iterable[str], wanted: str, *, exact_only: bool = False) -> list[str]:
    """The names ``wanted`` picks out, as people type a name: the names equal to it, else
    those it is the first word(s) of ("Dana" for "Dana Whitfield"), else those it starts
    ("Dan"); case and spacing never matter. The first of these that finds any, in the order
    given; ``exact_only`` stops after the first."""
    def key(name: str) -> str:
        return " ".join(name.split()).casefold()

    want = key(wanted)
    tiers: list[Callable[[str], bool]] = [lambda k: k == want]
    if not exact_only:
        tiers += [lambda k: k.startswith(want + " "), lambda k: k.startswith(want)]
    listed = list(names)
    for matches in tiers:
        found = [n for n in listed if matches(key(n))]
        if found:
            return found
    return []
