"""How product text and search queries are cut into words, the same on SQLite and PostgreSQL.

The catalogue's full-text index is SQLite FTS5 on one database and a
PostgreSQL ``tsvector`` on the other (both created by the migration
``umkm_market_2026_11_23t02_30_00_000000``). For the two to find the same
products, both sides and the visitor's query are cut into words by one rule:

1. **Diacritics** are removed from Latin letters: ``é`` → ``e``, ``Ñ`` → ``N``
   (the table :data:`FOLDS`, the letters whose Unicode decomposition is an
   ASCII letter plus accents, which FTS5's ``unicode61 remove_diacritics 2``
   tokenizer folds too; PostgreSQL applies it with ``translate()``, so the
   ``unaccent`` extension is not needed). Other letters (``ø``, ``ł``, ``ß``)
   stay as they are.
2. **Lower case.**
3. **Words** are the runs of letters and digits; everything else
   (spaces, punctuation, ``-``, ``_``, ``.``, ``,``) separates words. So
   ``Keripik-Tempe 1,5kg`` is ``keripik tempe 1 5kg``.

A query matches a product when **every word** of the query is a word of the
product's name, description or merchant's name, the **last word as a
prefix** (``kerip`` finds ``keripik``, so results follow the typing). At most
:data:`MAX_WORDS` words of at most :data:`MAX_WORD_LENGTH` characters are
used; a query with no word left (``"!!"``) is no search at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS = 8
MAX_WORD_LENGTH = 40

#: The letters folded to each ASCII letter. The migration holds the same
#: table for PostgreSQL (``tests/test_search_text.py`` checks they agree and
#: that FTS5 folds every one of them alike).
FOLDS: dict[str, str] = {
    "a": "ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặ",
    "b": "ḂḃḄḅḆḇ",
    "c": "ÇçĆćĈĉĊċČčḈḉ",
    "d": "ĎďḊḋḌḍḎḏḐḑḒḓ",
    "e": "ÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ",
    "f": "Ḟḟ",
    "g": "ĜĝĞğĠġĢģǦǧǴǵḠḡ",
    "h": "ĤĥȞȟḢḣḤḥḦḧḨḩḪḫẖ",
    "i": "ÌÍÎÏìíîïĨĩĪīĬĭĮįİǏǐȈȉȊȋḬḭḮḯỈỉỊị",
    "j": "Ĵĵǰ",
    "k": "ĶķǨǩḰḱḲḳḴḵ",
    "l": "ĹĺĻļĽľḶḷḸḹḺḻḼḽ",
    "m": "ḾḿṀṁṂṃ",
    "n": "ÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ",
    "o": "ÒÓÔÕÖòóôõöŌōŎŏŐőƠơǑǒǪǫǬǭȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ",
    "p": "ṔṕṖṗ",
    "r": "ŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ",
    "s": "ŚśŜŝŞşŠšȘșṠṡṢṣṤṥṦṧṨṩ",
    "t": "ŢţŤťȚțṪṫṬṭṮṯṰṱẗ",
    "u": "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰự",
    "v": "ṼṽṾṿ",
    "w": "ŴŵẀẁẂẃẄẅẆẇẈẉẘ",
    "x": "ẊẋẌẍ",
    "y": "ÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹ",
    "z": "ŹźŻżŽžẐẑẒẓẔẕ",
}

FOLD_FROM = "".join(FOLDS.values())
FOLD_TO = "".join(base * len(letters) for base, letters in FOLDS.items())
_FOLD_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)
# Letters and digits: \w without the underscore.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` without diacritics on Latin letters, in lower case."""
    return text.translate(_FOLD_TABLE).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` by the rule above (folded, letters and digits only)."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class TextQuery:
    """A visitor's search words, ready for either database.

    ``words`` is empty when the query had none: then nothing is searched.
    """

    words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words)

    def fts5(self, column: str | None = None) -> str:
        """The FTS5 ``MATCH`` expression: every word, the last as a prefix.

        With ``column``, every word must be in that column (``name : "beras"``).
        Words hold only letters and digits, so quoting them is enough.
        """
        filter_ = f"{column} : " if column else ""
        terms = [f'{filter_}"{w}"' for w in self.words]
        terms[-1] += "*"
        return " AND ".join(terms)

    def tsquery(self, weight: str = "") -> str:
        """The PostgreSQL ``to_tsquery('simple', …)`` text: every word, the last as a prefix.

        With ``weight`` (``A`` = the product name), only words of that part count.
        """
        terms = [f"{w}:{weight}" if weight else w for w in self.words]
        terms[-1] = f"{self.words[-1]}:*{weight}"
        return " & ".join(terms)


def parse_text_query(query: str) -> TextQuery:
    """The search words of ``query``: at most eight, each cut to forty characters."""
    return TextQuery(tuple(w[:MAX_WORD_LENGTH] for w in words(query)[:MAX_WORDS]))
