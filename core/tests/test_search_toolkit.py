"""The toolkit's keyword search and full-text index, on a scratch table.

Each test gets a fresh database (SQLite here; PostgreSQL too when
``BALAI_TEST_DATABASE_URL`` names one) holding one table of notes, and checks
which notes a visitor's words find.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from balai import toolkit as tk
from piccolo.columns import Text, Varchar
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

NOTES = [
    ("Keripik Tempe", "Renyah, 100% kedelai lokal", "NIB-001"),
    ("Kopi Dampit", "Bubuk kopi robusta_asli", "NIB-002"),
    ("Crème Brûlée", "Dessert à la française", "NIB-003"),
    ("Diskon 50%", "Potongan harga besar", "NIB-004"),
    ("Tas anyaman", r"Anyaman pandan C:\rumah", "NIB-005"),
]


class Note(Table, tablename="scratch_note"):
    """A scratch table for these tests only."""

    title = Varchar(length=100)
    body = Text()
    code = Varchar(length=20)


INDEX = tk.FullTextIndex("scratch_note", ("title", "body"))


@pytest.fixture(params=["sqlite", "postgres"])
def notes(request, tmp_path) -> Iterator[str]:
    """The notes table on one database (with its full-text index); yields the engine type.

    PostgreSQL is the run's own database (``postgres_url``), skipped without a server.
    """
    if request.param == "postgres":
        engine = PostgresEngine(config={"dsn": request.getfixturevalue("postgres_url")})
    else:
        engine = SQLiteEngine(path=str(tmp_path / "notes.db"))
    Note._meta.db = engine

    async def create() -> None:
        await Note.raw(
            "DROP TABLE IF EXISTS scratch_note_fts CASCADE"
            if request.param == "postgres"
            else "DROP TABLE IF EXISTS scratch_note_fts"
        )
        await Note.alter().drop_table(if_exists=True)
        await Note.create_table()
        await Note.insert(*(Note(title=t, body=b, code=c) for t, b, c in NOTES))
        for statement in INDEX.forwards(request.param):
            await Note.raw(statement)

    asyncio.run(create())
    yield request.param

    async def drop() -> None:
        for statement in INDEX.backwards(request.param):
            await Note.raw(statement)
        await Note.alter().drop_table(if_exists=True)

    asyncio.run(drop())


def titles(condition) -> list[str]:
    async def read() -> list[str]:
        query = Note.select(Note.title).order_by(Note.id)
        if condition is not None:
            query = query.where(condition)
        return [row["title"] for row in await query]

    return asyncio.run(read())


def keywords(query: str, **options) -> list[str]:
    return titles(tk.keyword_filter(query, [Note.title, Note.body], **options))


def test_every_word_must_be_in_some_column_ignoring_case(notes):
    assert keywords("KOPI robusta") == ["Kopi Dampit"]
    assert keywords("kopi tempe") == []
    assert keywords("anyaman") == ["Tas anyaman"]


def test_wildcards_and_backslashes_are_matched_as_typed(notes):
    assert keywords("50%") == ["Diskon 50%"]
    assert keywords("%") == ["Keripik Tempe", "Diskon 50%"]
    assert keywords("_") == ["Kopi Dampit"]
    assert keywords("k_pi") == []  # "_" is not "any letter"
    assert keywords("a_a") == ["Kopi Dampit"]  # robusta_asli
    assert keywords("c:\\rumah") == ["Tas anyaman"]
    assert keywords("\\") == ["Tas anyaman"]


def test_exact_columns_match_only_whole_values(notes):
    assert keywords("NIB-002", exact=[Note.code]) == ["Kopi Dampit"]
    assert keywords("NIB-00", exact=[Note.code]) == []


def test_a_query_without_words_filters_nothing(notes):
    assert tk.keyword_filter("   ", [Note.title]) is None
    assert len(titles(tk.keyword_filter("", [Note.title]))) == len(NOTES)
    assert tk.search_words("a b c d e f g") == ["a", "b", "c", "d", "e"]


def full_text(query: str, **options) -> list[str]:
    text = tk.parse_text_query(query)
    return titles(INDEX.condition(Note.id, text, **options)) if text else []


def test_full_text_folds_accents_and_case_and_takes_the_last_word_as_a_prefix(notes):
    assert full_text("creme BRULEE") == ["Crème Brûlée"]
    assert full_text("francaise") == ["Crème Brûlée"]
    assert full_text("kop") == ["Kopi Dampit"]
    assert full_text("robusta asli") == ["Kopi Dampit"]
    assert full_text("kopi tempe") == []
    assert full_text("!!!") == []


def test_full_text_can_search_one_column(notes):
    assert full_text("kopi") == ["Kopi Dampit"]
    assert full_text("bubuk", column="title") == []
    assert full_text("bubuk", column="body") == ["Kopi Dampit"]


def test_the_index_follows_inserts_updates_and_deletes(notes):
    async def change() -> None:
        await Note.insert(Note(title="Gula Aren", body="Cair", code="NIB-006"))
        await Note.update({Note.title: "Teh Tubruk"}).where(Note.title == "Kopi Dampit")
        await Note.delete().where(Note.title == "Keripik Tempe")

    asyncio.run(change())
    assert full_text("aren") == ["Gula Aren"]
    assert full_text("tubruk") == ["Teh Tubruk"]
    assert full_text("dampit") == []
    assert full_text("keripik") == []


def test_raw_statements_get_a_join_and_a_condition(notes):
    text = tk.parse_text_query("kopi")
    join, condition, args = INDEX.match(text, notes, alias="n")

    async def read() -> list[dict]:
        return await Note.raw(
            f"SELECT n.title FROM scratch_note n {join} WHERE {condition}",
            *args,
        )

    assert [r["title"] for r in asyncio.run(read())] == ["Kopi Dampit"]


def test_an_index_refuses_names_that_are_not_plain_sql():
    with pytest.raises(ValueError):
        tk.FullTextIndex("notes; DROP TABLE x", ("title",))
    with pytest.raises(ValueError):
        tk.FullTextIndex("notes", ())
    with pytest.raises(ValueError):
        INDEX.condition(Note.id, tk.parse_text_query("x"), column="code")


def test_piccolos_sqlite_ilike_fallback_fails_the_test_run(tmp_path):
    class Memo(Table, db=SQLiteEngine(path=str(tmp_path / "memo.db"))):
        text = Varchar()

    with pytest.raises(Warning, match="SQLite doesn't support ILIKE"):
        Memo.text.ilike("%a%")  # pyproject.toml's filterwarnings makes it an error
    condition = tk.keyword_filter("a", [Memo.text])  # the core's form: no warning
    assert " LIKE " in str(condition.querystring)
