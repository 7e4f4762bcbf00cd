"""The full-text word rule (:mod:`balai.db.fulltext`): Python, FTS5 and the query texts agree."""

from __future__ import annotations

import sqlite3

import pytest
from balai.db.fulltext import (
    FOLD_FROM,
    FOLD_TO,
    MAX_WORDS,
    TextQuery,
    fold,
    parse_text_query,
    words,
)

SAMPLES = [
    "Keripik-Tempe SANAN 250gr",
    "Crème Brûlée Café à la française",
    "Minyak goreng 1,5 L (pouch) — 100% sawit",
    "ŁÓDŹ naïve Øre straße",
    "e-mail: toko@contoh.id https://toko.id/path",
    "snake_case_name v1.2.3 0x1F 1e5",
    "Kopi   Dampit\tTlogomas\nBubuk",
    "ĞİŞ Việt Nam Hà Nội",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Keripik-Tempe SANAN 250gr", ["keripik", "tempe", "sanan", "250gr"]),
        ("Crème Brûlée", ["creme", "brulee"]),
        ("1,5 kg", ["1", "5", "kg"]),
        ("snake_case", ["snake", "case"]),
        ("Øre straße", ["øre", "straße"]),
        ("İstanbul", ["istanbul"]),
        ("!!! ... ---", []),
    ],
)
def test_words_are_folded_lower_case_runs_of_letters_and_digits(text, expected):
    assert words(text) == expected


def test_fold_table_maps_letters_one_to_one():
    assert len(FOLD_FROM) == len(FOLD_TO) == len(set(FOLD_FROM))
    assert fold("ÀÉÎÕÜÇÑ") == "aeiouc" + "n"


def test_fts5_folds_every_letter_of_the_table_the_same_way():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany(
        "INSERT INTO t (rowid, a) VALUES (?, ?)",
        [(n, f"x{letter}x") for n, letter in enumerate(FOLD_FROM, start=1)],
    )
    for n, base in enumerate(FOLD_TO, start=1):
        found = db.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"x{base}x"',)).fetchall()
        assert (n,) in found, (FOLD_FROM[n - 1], base)


@pytest.mark.parametrize("text", SAMPLES)
def test_fts5_finds_every_python_word_of_a_sample(text):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t (rowid, a) VALUES (1, ?)", (text,))
    for word in words(text):
        assert db.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"{word}"',)).fetchall() == [
            (1,)
        ], word


def test_text_query_for_both_databases():
    query = parse_text_query("Gula  AREN, kop")
    assert query.words == ("gula", "aren", "kop")
    assert query.fts5() == '"gula" AND "aren" AND "kop"*'
    assert query.fts5("name") == 'name : "gula" AND name : "aren" AND name : "kop"*'
    assert query.tsquery() == "gula & aren & kop:*"
    assert query.tsquery("A") == "gula:A & aren:A & kop:*A"


def test_text_query_limits_and_empty_queries():
    many = parse_text_query(" ".join(f"w{n}" for n in range(20)))
    assert len(many.words) == MAX_WORDS
    assert parse_text_query("x" * 100).words == ("x" * 40,)
    assert not parse_text_query('"*:&|!() -- ')
    assert not TextQuery()


def test_operators_in_the_query_are_just_separators():
    query = parse_text_query('beras" OR "gula* & !kopi:A')
    assert query.words == ("beras", "or", "gula", "kopi", "a")
