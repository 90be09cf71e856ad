"""Clean a news article: headline, dateline and body; captions, credits and author notes out;
encoding damage repaired where a word list makes the repair certain, flagged otherwise.

Damage of the kind in the seed article ("lder", "pas", "Nicols" for "líder", "país", "Nicolás")
drops non-ASCII letters. A damaged token is repaired when exactly one word of the dictionary (the
scenario's names and aliases plus the word list shipped in ``words.txt``) becomes that token once
its non-ASCII letters are dropped, and the token is not itself a word.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

from accord.news.dates import full_date

CAPTION = re.compile(r"\((AP|AFP|Reuters)\s+(Photo|Foto)\b|\bAssociated Press\. All rights reserved|"
                     r"^(ARCHIVOS|FILE|ARCHIVO)\s*[-–—]", re.IGNORECASE)
BOILERPLATE = re.compile(r"^(About the Authors?|About the Author)\s*:?", re.IGNORECASE)
DATELINE = re.compile(r"^([A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ .'-]{1,40}?)\s*((?:,[\w. ]{1,30}?){0,4})\s*"
                      r"(?:\([\w .'/-]{1,30}\)\s*)?[–—-]{1,2}\s+(.*)$", re.DOTALL)
DATE_LINE = 100  # a paragraph under the headline this short that holds a full date is its date line
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass
class Repair:
    """One damaged word and what was done about it."""

    damaged: str
    repaired: str | None
    paragraph: int


@dataclass
class CleanArticle:
    """What is kept of an article, and what was dropped or repaired."""

    headline: str
    dateline: str | None
    paragraphs: list[str]
    dropped: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    date: dt.date | None = None  # from a dated dateline or a date line under the headline

    @property
    def text(self) -> str:
        """Headline and body, one paragraph per line."""
        return "\n\n".join([self.headline, *self.paragraphs])


def word_list(extra: list[str] = ()) -> set[str]:
    """The shipped word list plus ``extra`` words (scenario names and aliases)."""
    shipped = (resources.files("accord.news") / "words.txt").read_text(encoding="utf-8").split()
    words = set(shipped)
    for phrase in extra:
        words.update(WORD.findall(phrase))
    return words


def _strip_accents(word: str) -> str:
    return "".join(ch for ch in word if ord(ch) < 128)


def damage_map(words: set[str]) -> dict[str, set[str]]:
    """For each word with non-ASCII letters, the form it takes when they are dropped."""
    out: dict[str, set[str]] = {}
    for w in words:
        if any(ord(ch) >= 128 for ch in w) and unicodedata.normalize("NFC", w) == w:
            out.setdefault(_strip_accents(w), set()).add(w)
    return out


def repair(paragraph: str, index: int, damaged: dict[str, set[str]], words: set[str],
           english: set[str]) -> tuple[str, list[Repair]]:
    """Repair certain damage in one paragraph; flag ambiguous cases."""
    found: list[Repair] = []

    def fix(match: re.Match) -> str:
        token = match.group(0)
        options = damaged.get(token) or damaged.get(token.lower())
        if not options or token.lower() in english or token in words:
            return token
        if len(options) == 1:
            (word,) = options
            word = word[0].upper() + word[1:] if token[0].isupper() else word
            found.append(Repair(token, word, index))
            return word
        found.append(Repair(token, None, index))
        return token

    return WORD.sub(fix, paragraph), found


def clean(text: str, keep_captions: bool = False, names: list[str] = ()) -> CleanArticle:
    """Split ``text`` into headline, dateline and body; drop captions and boilerplate; repair."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    if not paragraphs:
        return CleanArticle("", None, [])
    headline, body, dropped = paragraphs[0], [], []
    for p in paragraphs[1:]:
        if BOILERPLATE.match(p):
            dropped += paragraphs[paragraphs.index(p):]
            break
        if CAPTION.search(p) and not keep_captions:
            dropped.append(p)
            continue
        body.append(p)
    dateline, date = None, None
    for n, p in enumerate(body):
        m = DATELINE.match(p)
        if m and m.group(1).strip().isupper():
            dateline, body[n] = m.group(1).strip(), m.group(3).strip()
            date = full_date(m.group(2))
            break
    if date is None and body and len(body[0]) <= DATE_LINE and len(body[0].split()) <= 10:
        date = full_date(body[0])
        if date is not None:
            dropped.append(body.pop(0))
    words = word_list(names)
    english = {w for w in words if w.isascii() and w.islower()}
    damaged = damage_map(words)
    repairs: list[Repair] = []
    for n, p in enumerate(body):
        body[n], found = repair(p, n, damaged, words, english)
        repairs += found
    return CleanArticle(headline, dateline, body, dropped, repairs, date)
