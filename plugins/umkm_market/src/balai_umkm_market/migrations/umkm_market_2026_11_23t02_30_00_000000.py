"""Full-text search over products, and the catalogue's sort indexes.

One search index per database, kept current by triggers so that every way a
product is written (the merchant portal, the spreadsheet import, demo data,
a merchant renaming the business) updates it in the same statement:

* SQLite: the FTS5 table ``umkm_market_product_fts`` (rowid = product id;
  columns name, description, merchant) with the ``unicode61
  remove_diacritics 2`` tokenizer.
* PostgreSQL: ``umkm_market_product_search`` (product id, ``tsvector``
  with the name weighted A, the description B, the merchant's name C) with a
  GIN index, built with the ``simple`` configuration from text that
  ``umkm_market_search_words()`` has folded the way FTS5 does: diacritics off
  Latin letters by ``translate()`` (no ``unaccent`` extension), lower case,
  every run of characters that are not letters or digits made one space.

``balai.db.fulltext`` (the toolkit's full-text rule) documents the rule and holds the same
letter table (:data:`FOLD_FROM` / :data:`FOLD_TO` below are a frozen copy;
a test checks they agree). The search tables hold no city: queries join the
product and filter its ``city``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Product full-text search (FTS5 / tsvector) and catalogue sort indexes"

FOLDS = {
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

# Indexes for the catalogue's sorts (UA's migration has (city, price) and
# (city, category)): newest first, per category too, and best rated.
RATING = "(CASE WHEN rating_count > 0 THEN rating_sum * 1000 / rating_count ELSE 0 END)"
INDEXES = {
    "umkm_market_product_city_created": "city, created_at, id",
    "umkm_market_product_city_category_created": "city, category, created_at, id",
    "umkm_market_product_city_rating": f"city, {RATING}, rating_count, id",
}

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS umkm_market_product_fts USING fts5("
    "name, description, merchant, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS umkm_market_product_fts_insert "
    "AFTER INSERT ON umkm_market_product BEGIN "
    "INSERT INTO umkm_market_product_fts (rowid, name, description, merchant) "
    "VALUES (new.id, new.name, new.description, "
    "(SELECT name FROM umkm_market_merchant WHERE id = new.merchant)); END",
    "CREATE TRIGGER IF NOT EXISTS umkm_market_product_fts_update "
    "AFTER UPDATE OF name, description, merchant ON umkm_market_product BEGIN "
    "DELETE FROM umkm_market_product_fts WHERE rowid = old.id; "
    "INSERT INTO umkm_market_product_fts (rowid, name, description, merchant) "
    "VALUES (new.id, new.name, new.description, "
    "(SELECT name FROM umkm_market_merchant WHERE id = new.merchant)); END",
    "CREATE TRIGGER IF NOT EXISTS umkm_market_product_fts_delete "
    "AFTER DELETE ON umkm_market_product BEGIN "
    "DELETE FROM umkm_market_product_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS umkm_market_merchant_fts_rename "
    "AFTER UPDATE OF name ON umkm_market_merchant BEGIN "
    "UPDATE umkm_market_product_fts SET merchant = new.name WHERE rowid IN "
    "(SELECT id FROM umkm_market_product WHERE merchant = new.id); END",
    "INSERT INTO umkm_market_product_fts (rowid, name, description, merchant) "
    "SELECT p.id, p.name, p.description, m.name FROM umkm_market_product p "
    "JOIN umkm_market_merchant m ON m.id = p.merchant",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS umkm_market_merchant_fts_rename",
    "DROP TRIGGER IF EXISTS umkm_market_product_fts_delete",
    "DROP TRIGGER IF EXISTS umkm_market_product_fts_update",
    "DROP TRIGGER IF EXISTS umkm_market_product_fts_insert",
    "DROP TABLE IF EXISTS umkm_market_product_fts",
]

POSTGRES_FORWARDS = [
    "CREATE OR REPLACE FUNCTION umkm_market_search_words(t text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT regexp_replace("
    f"lower(translate(coalesce(t, ''), '{FOLD_FROM}', '{FOLD_TO}')), "
    "'[^[:alnum:]]+', ' ', 'g') $$",
    "CREATE OR REPLACE FUNCTION umkm_market_product_document("
    "name text, description text, merchant text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT "
    "setweight(to_tsvector('simple', umkm_market_search_words(name)), 'A') || "
    "setweight(to_tsvector('simple', umkm_market_search_words(description)), 'B') || "
    "setweight(to_tsvector('simple', umkm_market_search_words(merchant)), 'C') $$",
    "CREATE TABLE IF NOT EXISTS umkm_market_product_search ("
    "product_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS umkm_market_product_search_document "
    "ON umkm_market_product_search USING gin (document)",
    "CREATE OR REPLACE FUNCTION umkm_market_product_search_sync() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN "
    "DELETE FROM umkm_market_product_search WHERE product_id = OLD.id; RETURN OLD; END IF; "
    "INSERT INTO umkm_market_product_search (product_id, document) VALUES (NEW.id, "
    "umkm_market_product_document(NEW.name, NEW.description, "
    "(SELECT name FROM umkm_market_merchant WHERE id = NEW.merchant))) "
    "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER umkm_market_product_search_sync "
    "AFTER INSERT OR DELETE OR UPDATE OF name, description, merchant "
    "ON umkm_market_product FOR EACH ROW EXECUTE FUNCTION umkm_market_product_search_sync()",
    "CREATE OR REPLACE FUNCTION umkm_market_merchant_search_rename() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE umkm_market_product_search s SET document = "
    "umkm_market_product_document(p.name, p.description, NEW.name) "
    "FROM umkm_market_product p WHERE p.merchant = NEW.id AND s.product_id = p.id; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER umkm_market_merchant_search_rename "
    "AFTER UPDATE OF name ON umkm_market_merchant FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) "
    "EXECUTE FUNCTION umkm_market_merchant_search_rename()",
    "INSERT INTO umkm_market_product_search (product_id, document) "
    "SELECT p.id, umkm_market_product_document(p.name, p.description, m.name) "
    "FROM umkm_market_product p JOIN umkm_market_merchant m ON m.id = p.merchant "
    "ON CONFLICT (product_id) DO NOTHING",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS umkm_market_merchant_search_rename ON umkm_market_merchant",
    "DROP TRIGGER IF EXISTS umkm_market_product_search_sync ON umkm_market_product",
    "DROP FUNCTION IF EXISTS umkm_market_merchant_search_rename()",
    "DROP FUNCTION IF EXISTS umkm_market_product_search_sync()",
    "DROP TABLE IF EXISTS umkm_market_product_search",
    "DROP FUNCTION IF EXISTS umkm_market_product_document(text, text, text)",
    "DROP FUNCTION IF EXISTS umkm_market_search_words(text)",
]


class _Raw(Table, tablename="umkm_market_product"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="umkm_market", description=DESCRIPTION)

    async def create() -> None:
        sqlite = _Raw._meta.db.engine_type == "sqlite"
        for statement in SQLITE_FORWARDS if sqlite else POSTGRES_FORWARDS:
            await _Raw.raw(statement)
        for name, columns in INDEXES.items():
            await _Raw.raw(f"CREATE INDEX IF NOT EXISTS {name} ON umkm_market_product ({columns})")

    async def drop() -> None:
        sqlite = _Raw._meta.db.engine_type == "sqlite"
        for name in INDEXES:
            await _Raw.raw(f"DROP INDEX IF EXISTS {name}")
        for statement in SQLITE_BACKWARDS if sqlite else POSTGRES_BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
