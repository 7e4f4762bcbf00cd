"""The hook specifications: the plugin author's reference.

A plugin implements any of these with ``@hookimpl`` from :mod:`balai.toolkit`.
Hooks marked *per city* are only called for plugins that the current city
has enabled, and may be plain functions or ``async def`` (the core awaits
whatever comes back). The declaration hooks (``plugin_info`` through
``roles``) are read once while the application is built and must be plain
functions; ``startup`` may be async.

Rules that hold for all hooks:

* Return ``None`` (or nothing) to contribute nothing.
* Never import another plugin; talk to the core through :mod:`balai.toolkit`.
* Everything you name is namespaced by your slug: permissions
  (``slug.action``), roles, templates (``templates/<slug>/...``) and tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from litestar import Request

    from balai.tenants import City
    from balai.types import (
        DemoReport,
        HomeTile,
        NavItem,
        Permission,
        PluginInfo,
        Role,
        Routes,
        SearchResult,
    )

hookspec = pluggy.HookspecMarker("balai")


# --- Identity and start-up -------------------------------------------------


@hookspec
def plugin_info() -> PluginInfo:
    """Say who the plugin is: slug, title, dimension, version.

    Required of every plugin. The slug must equal the plugin's entry-point
    name in the ``balai.plugins`` group. Called once at start-up.
    """


@hookspec
def settings_schema() -> type | None:
    """Return the ``msgspec.Struct`` class that a city's settings must match.

    The instance file's ``[cities.<slug>.settings.<plugin>]`` table is
    converted into an instance of this class at start-up; a mismatch stops
    start-up with the key path and the reason. Every field needs a default so
    that a city can enable the plugin with no settings at all. The validated
    instance is available as ``city.settings_for(slug)``. Return ``None`` when
    the plugin has no settings. Called once at start-up.
    """


@hookspec
def piccolo_apps() -> Sequence[str]:
    """Return the import paths of the plugin's Piccolo app modules.

    Each module (conventionally ``<package>.piccolo_app``) defines
    ``APP_CONFIG``, Piccolo's ``AppConfig`` with its tables and an absolute
    ``migrations_folder_path``. Use ``app_name`` equal to the slug and prefix
    every table name with the slug. Tables holding a city's data subclass
    ``toolkit.CityTable`` so that every query is scoped to the current city.
    Migrations of all apps run in dependency order by ``balai migrate``.
    Called once at start-up.
    """


@hookspec
def register_routes() -> Routes:
    """Return the plugin's route handlers as a ``toolkit.Routes``.

    ``pages`` are mounted at ``/<path>/``, ``office`` at ``/kelola/<path>/``
    and ``api`` at ``/api/<path>/``, where ``<path>`` comes from
    ``plugin_info().path``. Every handler needs an explicit guard
    (``toolkit.require_login``, ``toolkit.require_permission(...)``) or the
    explicit public marker ``opt=toolkit.PUBLIC``; start-up refuses a route
    with neither. For a city that has not enabled the plugin, these routes
    answer 404. Called once at start-up.
    """


@hookspec
def permissions() -> Sequence[Permission]:
    """Declare the permissions the plugin checks, named ``<slug>.<action>``.

    Called once at start-up; a guard naming an undeclared permission is a
    start-up error.
    """


@hookspec
def roles() -> Sequence[Role]:
    """Declare default roles that bundle the plugin's permissions.

    A city admin grants these roles to officer accounts of their city; the
    CLI's ``create-user --role`` accepts them too. Called once at start-up.
    """


@hookspec
def startup(app: Any) -> None:
    """Run once when the application starts, after the database is ready.

    Use it to warm caches; do not create tables here (use migrations).
    """


# --- Per request (per city) ------------------------------------------------


@hookspec
def nav_items(request: Request) -> Sequence[NavItem]:
    """Return the plugin's entries for the citizen navigation.

    Per city. Items with a ``permission`` are shown only to users who hold
    it. ``href`` is a path inside the city; the core adds the city prefix.
    ``icon`` names an icon of the theme's set, shown in the phone menu.
    """


@hookspec
def office_nav_items(request: Request) -> Sequence[NavItem]:
    """Return the plugin's entries for the officers' navigation (``/kelola/``).

    Per city. Give each item the permission that its page requires, so that
    officers only see what they can open.
    """


@hookspec
def home_tiles(request: Request) -> Sequence[HomeTile]:
    """Return tiles for the city home page that lead to the plugin's services.

    Per city. A tile's ``icon`` is an icon of the theme's set (``"house"``)
    or an SVG file in the plugin's static folder (``"tile.svg"``).
    """


@hookspec
def search(request: Request, query: str) -> Sequence[SearchResult]:
    """Answer the site-wide search with the plugin's public results.

    Per city. ``query`` is the user's text, already stripped and at least two
    characters long. Return at most ten results, never personal data, and
    search in a way that gives the same answer on SQLite and PostgreSQL.
    """


@hookspec
def template_context(request: Request) -> dict[str, Any] | None:
    """Add variables to the context of every page rendered for this city.

    Per city. Keep it cheap: it runs on every page.
    """


# --- Data and events -------------------------------------------------------


@hookspec
def seed_demo(city: City) -> DemoReport | None:
    """Create demo data for ``city`` (runs inside ``toolkit.city_scope(city)``).

    Per city. Called by ``balai demo`` on an empty database, after
    migrations. Return a ``toolkit.DemoReport`` naming the accounts created so
    that the demo can print them. Must be deterministic (seeded randomness).
    """


@hookspec
def user_deleted(city: City, user_id: int) -> None:
    """React to a citizen account being deleted in ``city`` (the erasure hook).

    Per city. Called when the holder deletes their account on ``/akun/hapus``,
    inside the deletion's transaction and before the account row itself is
    pseudonymised (name, email, phone and password gone, the id kept): an
    exception here undoes the whole deletion. Remove the personal data the
    plugin holds for that user (addresses, uploads, carts, free text); keep
    what the law requires the city to keep (paid tax records, invoices,
    receipts) with the user id only, which then names nobody.
    """


# --- Jobs (balai.jobs) -------------------------------------------------------


@hookspec
def scheduled_jobs() -> Sequence[Any]:
    """Declare the plugin's background jobs as ``toolkit.Job`` values.

    A declaration hook: a plain function, called once while the application
    is built. Each ``Job`` has:

    * ``name``: ``<slug>.<what>``, namespaced by your slug (start-up refuses
      another prefix or a name declared twice);
    * ``run``: ``async def run(city, **kwargs) -> None``. The runner calls it
      inside ``toolkit.city_scope(city)`` for every city that enables your
      plugin (the core's built-in services: every city), so ``CityTable``
      queries see that city's rows only. A job runs without a request; when
      it needs the application (the plugin registry to call hooks, the
      instance configuration, ``request.app`` in a handler), name a keyword
      parameter ``context``: ``async def run(city, *, context, **kwargs)``
      then also gets a ``toolkit.JobContext`` (``city``, ``job``, ``run_id``,
      ``worker``, ``app``, ``ui`` = ``app.state.ui``), the same whether a
      server's worker, ``balai jobs run`` or a test runs it. Never keep the
      application in a module global;
    * a schedule: ``every=timedelta(...)`` (slots aligned to the Unix epoch:
      ``timedelta(minutes=5)`` runs at :00, :05, ...; at least 10 seconds) or
      ``daily_at=datetime.time(...)`` in the city's local time (``02:00`` in
      Malang is 02:00 WIB, in Makassar 02:00 WITA), or neither for a job that
      only runs when enqueued;
    * ``description``: one sentence for ``balai jobs`` (a gettext msgid);
    * ``timeout`` (default 10 minutes): a run still going then is cancelled
      and recorded as failed.

    Guarantees: each (job, city, slot) runs once even with several workers
    (claimed through Redis when ``REDIS_URL`` is set, and always through a
    unique run record in the database). A slot missed while no worker ran is
    run once when one starts (only the latest slot, no back-filling). An
    exception is logged and recorded as a failed run with its error, and the
    job is tried again at its next slot; other jobs are not affected. Write
    jobs to be idempotent: a worker that shuts down mid-run cancels the run,
    records it ``stopped`` and releases its claim, and another worker runs
    it again (the same slot, or the enqueued run); a worker killed outright
    leaves the run ``running`` and it is not repeated.

    One-off runs: ``await toolkit.enqueue("<slug>.<what>", city, **kwargs)``
    calls ``run(city, **kwargs)`` soon in some worker, once; the arguments
    must be JSON-serialisable (pass ids, not personal data; ``context`` is
    reserved). By hand: ``balai jobs run <slug>.<what> --city <city> --arg
    run_id=7``.

    Example::

        async def expire_holds(city, **kwargs):
            ...

        @tk.hookimpl
        def scheduled_jobs():
            return [tk.Job(name="pasar.expire_holds", run=expire_holds,
                           every=timedelta(minutes=10),
                           description="Release product holds older than an hour.")]
    """


# --- Payments (balai.payments) ----------------------------------------------


@hookspec
def payment_providers() -> Sequence[Any]:
    """Declare ways to pay, as objects following ``toolkit.PaymentProvider``.

    Declaration hook (plain function, read when needed). Each provider has a
    unique ``key`` (also the segment of its callback endpoint
    ``/api/bayar/callback/<key>``), a ``title`` (gettext msgid), ``via_gateway``
    (settled by signed gateway callbacks, or by an officer confirming
    receipt) and ``async def start(context) -> toolkit.PaymentStart``. The
    payments service ships ``cash``, ``va``, ``qris`` and ``ewallet``.
    """


@hookspec
def invoice_settled(city: City, invoice: Any) -> None:
    """React to an invoice being paid: called exactly once per invoice.

    Per city. ``invoice`` is a ``toolkit.Invoice`` with status ``paid``.
    Every enabled plugin is called for every invoice of the city, so check
    ``invoice.source == <your slug>`` first and ignore the rest; use
    ``invoice.source_ref`` to find your record. Runs inside the settlement's
    transaction: your writes commit with it, and raising rolls the
    settlement back (the gateway then retries), so raise only when the
    payment truly must not be accepted.
    """


@hookspec
def invoice_expired(city: City, invoice: Any) -> None:
    """React to a pending invoice passing its due time unpaid.

    Per city. Check ``invoice.source == <your slug>`` first. Called once, by
    the expiry job, inside its transaction.
    """


@hookspec
def invoice_refunded(city: City, invoice: Any) -> None:
    """React to a paid invoice being wholly refunded (by an officer, or your own rules).

    Per city. Check ``invoice.source == <your slug>`` first. Called once,
    inside the refund's transaction, when the refunds reach the invoice's
    whole amount (partial refunds before that do not call it; the plugin that
    asked for them changed its records then).
    """


# --- Partners (balai.partners) ---------------------------------------------


@hookspec
def payables(city: City, customer_number: str, today: date) -> Any:
    """Say what a customer number lets a partner (bank, e-wallet, minimarket) pay.

    Per city. Partners ask by the number a payer reads off a bill: a PBB NOP
    and year, a stall code, an invoice number. Answer a ``toolkit.Payable``
    when the number is yours and something is owed on ``today`` (the city's
    calendar day, so a late penalty is recomputed for it), else ``None``;
    the first answer wins, so recognise only numbers of your own format.
    Read only: nothing may be written here. ``Payable.open_invoice`` is
    called later, once the partner pays, inside the payment's transaction:
    it returns a pending ledger invoice of exactly the answered items
    (created with ``toolkit.create_invoice`` or reused), whose settlement
    reaches you through ``invoice_settled`` as any payment does.
    """


@hookspec
def partner_tickets(city: City) -> Any:
    """Offer your tickets to the city's partners (ticketing apps) through the core's ticket API.

    Per city. Return a ``toolkit.TicketSeller`` (or ``None``): ``offers(now)``
    lists the slots still to begin with the places left in the partners'
    quota; ``hold(slot_id, quantities, buyer_name, hold_for)`` reserves
    places without ever overselling and returns a ``toolkit.TicketHold``
    whose pending ledger invoice lapses after ``hold_for`` (your
    ``invoice_expired`` frees the places), or raises ``toolkit.TicketRefused``
    having written nothing; it runs inside the caller's write transaction.
    When the partner confirms, the core settles that invoice (channel
    ``partner``) and you hear ``invoice_settled`` as for any payment;
    ``tickets(order_number)`` then returns the order's signed e-tickets
    (``toolkit.IssuedTicket``), the same a gate checks. ``release`` cancels
    a held order and frees its places. Slot ids are yours; the core prefixes
    them with your slug.
    """


@hookspec
def partner_catalogue(city: City) -> Any:
    """Offer goods to the city's delivery partners (the catalogue feed and its orders).

    Per city. Answer a ``toolkit.CatalogueSource``: an object whose async
    methods the partners API calls, each inside the current city.

    * ``changes(after, limit)``: at most ``limit`` ``toolkit.CatalogueItem``
      ordered by ``(changed_at, ref)``, each changed after the
      ``toolkit.CatalogueCursor`` ``after`` (everything when ``None``). Only
      products of merchants who chose to publish to partners are listed;
      one that was published and then deleted, hidden, or whose merchant
      opted out or was suspended comes back as a tombstone
      (``listed=False``) with a newer ``changed_at``. Read only.
    * ``place_order(order)``: a ``toolkit.PartnerOrder`` enters your order
      flow with channel ``partner``: reserve the stock with a conditional
      update (never sell more than there is) and write the order in one
      transaction; idempotent by ``(order.partner_id, order.reference)`` (a
      repeat answers the first order). Refuse with
      ``toolkit.PartnerOrderRefused`` (unknown product or merchant, out of
      stock, a price other than today's), writing nothing. The partner
      settles the payment with the merchant: create no ledger invoice.
    * ``order_state(partner_id, reference)``: a ``toolkit.PartnerOrderState``
      or ``None`` when that partner has no such order.
    * ``cancel_order(partner_id, reference)``: cancel before the merchant
      accepts (refuse ``not_cancellable`` after), giving the stock back;
      ``None`` when there is no such order.
    """


# --- Notifications (balai.notifications) ------------------------------------


@hookspec
def notification_channels() -> Sequence[Any]:
    """Declare delivery channels for notifications (a declaration hook).

    Return objects with a unique ``name`` and the two methods of
    ``toolkit.NotificationChannel``: ``address_for(recipient) -> str | None``
    (the address the channel would use for a ``toolkit.Recipient``, or
    ``None`` when it cannot reach them) and ``async send(message, context)``
    (deliver a ``toolkit.OutgoingMessage``, or raise
    ``toolkit.DeliveryError``; the outbox job retries with backoff: 1, 5,
    25, 125 and 625 minutes, then marks it failed). ``send`` must not block
    the event loop. ``context.data_dir`` is the instance's data folder.

    The core declares ``file`` (always; the default), ``email`` (when
    ``BALAI_SMTP_URL`` is set) and ``whatsapp`` / ``sms`` (JSON webhooks to
    ``BALAI_WHATSAPP_WEBHOOK_URL`` / ``BALAI_SMS_WEBHOOK_URL``). A name
    declared twice stops start-up. Plugins send with ``await
    toolkit.notify(user_id, "<slug>.<what>", context, channel=None)``,
    using templates ``templates/<slug>/notifications/<what>.<lang>.txt``
    (first line: subject; optionally ``<what>.<channel>.<lang>.txt``).
    """


# --- Mayor's dashboard (balai.dashboard) --------------------------------------


@hookspec
def dashboard_widgets(request: Request, period: Any) -> Sequence[Any]:
    """Return the plugin's cards for the mayor's dashboard (``/dasbor/``).

    Per city; may be ``async``. ``period`` is a ``toolkit.Period``: whole
    city-local days from ``period.start`` to ``period.end`` (both included),
    with ``period.granularity`` (``day`` or ``month``) and
    ``period.previous()`` for the trend. Return ``toolkit.Widget`` values
    built with ``Widget.figure`` (a number with the previous period's number
    for its trend arrow), ``Widget.gauge`` (a value now, whatever the period:
    open orders, requests waiting; with ``limit`` a meter, with ``high`` a
    warning level), ``Widget.chart`` (bar or line, one point per bucket
    of ``period.buckets()``) or ``Widget.table`` (a short table). Each
    widget names its smart-city ``dimension`` (the page groups them by it),
    a ``title`` msgid and a stable ``key`` ``<slug>.<what>`` used in its CSV
    export (``/dasbor/widget/<key>.csv``) and live refresh
    (``/dasbor/widget/<key>``, every 60 s), so keep keys across versions.

    Widgets must read aggregates, not raw rows, at page time: the page shows
    every widget at once and must cost the same with a thousand records as
    with a million. Count as things happen with ``await
    toolkit.bump_metric("<slug>.<what>", amount)`` (in the transaction that
    writes the record) and read with ``toolkit.metric_series(metric,
    period)`` / ``toolkit.metric_total(metric, period)``, or keep your own
    small summary table updated by a ``scheduled_jobs`` job. A gauge's
    current value may be a ``COUNT`` of open rows when an index on
    ``(city, status)`` serves it (open items are few), or a value kept with
    ``toolkit.set_metric``. Never put
    personal data in a widget: the figures are shown to department heads
    and exported as CSV. The hook is called for the page, for each widget's
    refresh and for each CSV download, so it must be cheap and free of side
    effects.
    """


# --- Open data (balai.opendata) -----------------------------------------------


@hookspec
def open_datasets(city: City) -> Sequence[Any]:
    """Declare the open datasets the plugin publishes for ``city``.

    Per city; may be ``async``. Return ``toolkit.Dataset`` values: a
    ``slug`` unique in the city (``<slug>-<what>`` by convention, shown in
    URLs ``/data/<slug>``, ``.csv``, ``.json`` and ``/api/data/<slug>``), a
    ``title`` and ``description`` (msgids), the ``dimension``, the
    ``columns`` (``toolkit.DatasetColumn``: name, type, description) and an
    ``async`` ``fetch(city)`` returning the rows as mappings of column name
    to value. The licence defaults to CC BY 4.0.

    Datasets are public and downloadable by anyone: publish aggregated
    figures only (counts, sums, averages per day, month, district or
    category), never personal data: no names, addresses, identity numbers,
    contacts or rows about a single person, and suppress groups so small that
    a person could be recognised. Read aggregates (see ``dashboard_widgets``)
    rather than scanning raw records on each download.
    """


# --- Spreadsheet imports (balai.imports) --------------------------------------


@hookspec
def spreadsheet_importers() -> Sequence[Any]:
    """Declare spreadsheet imports: people upload CSV or XLSX, rows are applied one by one.

    A declaration hook: a plain function, called once while the application
    is built. Return ``toolkit.Importer`` values; the core serves their pages,
    checks and parses the files, applies the rows in the background and
    reports the rows it could not apply. An importer is offered in the cities
    that enable your plugin.

    ``toolkit.Importer`` fields:

    * ``key``: ``<slug>.<what>`` (``pajak.objects``), unique, stable: it is
      the URL segment and past runs are filed under it;
    * ``title`` (msgid), ``description`` (msgid, a paragraph for the page),
      ``back_url`` (a path inside the city for the "back" link);
    * ``columns``: ``toolkit.ImportColumn(name, description="", required=False,
      example="")``, in template order. ``name`` is the header people write
      and the key of the row dict; headers match case-, space-, ``_``- and
      ``-``-insensitively (``Nama Produk`` = ``nama_produk``);
    * ``handle_row``: ``async def handle_row(row, context) -> None``. ``row``
      maps every column name to its cell as trimmed text (``""`` when empty
      or when the file lacks an optional column). ``context`` is a
      ``toolkit.ImportContext`` with ``run_id``, ``line`` (the row's number
      in the spreadsheet, the header being line 1), ``user_id`` (the
      uploader) and ``data`` (what ``access`` returned). Validate, then write.
      Reject the row with ``raise toolkit.RowError(tk._("..."), column="nop")``
      or ``toolkit.RowError(errors={"harga": ..., "stok": ...})`` (several
      fields at once; translate messages with ``tk._``: the job runs in the
      uploader's language). The call runs inside ``city_scope`` and inside a
      savepoint of the batch's transaction: a rejected row's writes are rolled
      back, the other rows stay. Any other exception rejects the row with a
      generic message and is logged. Rows with an empty required cell are
      rejected before the handler is called. Make the handler safe to call
      once per row (e.g. update-or-insert by a natural key, so that a file
      uploaded twice does not duplicate records);
    * who may import, at least one of:

      - ``permission="<slug>.<action>"``: an officer import (403 without it;
        the permission must be declared by ``permissions``);
      - ``access``: ``async def access(request, user) -> dict | None`` (or a
        plain function) for an import by a citizen who owns the data, e.g. a
        merchant uploading their own products: return the context the rows
        belong to, such as ``{"merchant_id": 7}`` (JSON-serialisable ids, not
        personal data), or ``None`` to refuse with 403. It is called on every
        page of the importer; runs are filed under the context, so a merchant
        sees only the runs of their own shop. Combined with ``permission``,
        it narrows an officer import (e.g. to the officer's district);

    * limits: ``batch_size`` (rows per transaction, default 100),
      ``max_rows`` (default 10 000, at most 100 000) and ``max_bytes``
      (default 5 MB; the instance's request limit applies too).

    Pages (paths inside the city; build them with
    ``toolkit.import_url(key, run_id=None)`` and ``toolkit.city_url``):
    ``/impor/<key>/`` (upload form, column list with descriptions and
    examples, past runs), ``/impor/<key>/templat.csv`` (the header row as a
    CSV template), ``/impor/<key>/<run_id>`` (progress, refreshed by htmx or
    a no-JS refresh; then counts and the row errors) and
    ``/impor/<key>/<run_id>/kesalahan.csv`` (the failed rows as uploaded, plus
    their line and reasons, to fix and upload again). Anonymous visitors are
    sent to the login form.

    Files: CSV in UTF-8 (with or without BOM; Windows-1252 as fallback) with
    ``,``, ``;`` or tab (sniffed), or XLSX (first sheet); the first non-blank
    row is the header. A file lacking a required column, empty, too large,
    with too many rows or that is not a spreadsheet is refused at once with
    the reason; unknown columns are listed on the run's page. Workbook numbers
    come back as typed (``1.0`` -> ``1``, no exponent). Excel keeps only 15
    significant digits: a long identifier (NOP, NIK) stored as a number is
    reported as a row error asking for the column to be formatted as Text.

    Processing runs through the job queue, batch by batch; the run records
    total, done, ok and failed. A worker that stops mid-way leaves the rows of
    its unfinished batch pending, and the run is resumed within minutes
    without applying any row twice. In tests, run the queue with
    ``balai.testing.run_queued_jobs(app)``.

    Example::

        async def add_product(row, context):
            price = row["harga"].replace(".", "")
            if not price.isdigit():
                raise tk.RowError(tk._("Write the price in whole rupiah."), column="harga")
            await Product.insert(Product(shop=context.data["shop_id"],
                                         name=row["nama"], price=int(price)))

        async def my_shop(request, user):
            shop = await Shop.select(Shop.id).where(Shop.owner == user.id).first()
            return {"shop_id": shop["id"]} if shop else None

        @tk.hookimpl
        def spreadsheet_importers():
            return [tk.Importer(
                key="pasar.products", title="Products", access=my_shop,
                columns=[tk.ImportColumn("nama", "Product name", required=True,
                                         example="Keripik tempe"),
                         tk.ImportColumn("harga", "Price in rupiah", required=True,
                                         example="15000")],
                handle_row=add_product, back_url="/pasar/toko/")]
    """


# --- Encrypted personal fields (balai.crypto) ---------------------------------


@hookspec
def sealed_fields() -> Sequence[Any]:
    """Declare the columns that hold encrypted personal data, for key rotation.

    A declaration hook: a plain function, called once while the application
    is built. Return ``toolkit.SealedField(table, column, purpose,
    indexes=())`` values: ``column`` is a ``Text`` column holding
    ``toolkit.seal(value, purpose)`` output, ``indexes`` the columns holding
    ``toolkit.blind_index(value, purpose)`` (left alone where null).
    ``balai keys rotate`` re-encrypts each such column under the active data
    key and rebuilds the indexes, in every city that enables the plugin.
    Declare every sealed column: one left out keeps its old key, and its rows
    become unreadable once that key is removed from ``BALAI_DATA_KEYS``.

    Example::

        @tk.hookimpl
        def sealed_fields():
            return [tk.SealedField(Member, "nik_sealed", "pasar.nik",
                                   indexes=("nik_index",))]
    """


# --- Official documents (balai.documents) ----------------------------------------


@hookspec
def document_types() -> Sequence[Any]:
    """Declare the official documents the plugin issues: rendered to PDF, signed, verifiable.

    A declaration hook: a plain function, called once while the application
    is built. Return ``toolkit.DocumentType`` values; issue a document with
    ``await toolkit.issue_document(key, data=..., subject_id=...)``, which
    renders it, stores it through the files service (with its SHA-256) and,
    when the type names a signer role, puts it in the signing queue of the
    officials holding that role. The citizen ``subject_id`` sees it on their
    account's documents page; anyone can verify it at ``/dokumen/verifikasi``.

    ``toolkit.DocumentType`` fields:

    * ``key``: ``<slug>.<what>`` (``pajak.sppt``), unique and stable;
    * ``title``: the document's name (a gettext msgid), its printed heading;
    * ``template``: the body's Jinja template in the theme chain
      (``<slug>/documents/<what>.html``). It gets ``data`` (what you passed),
      ``number`` and ``city``, and the usual filters (``rupiah``,
      ``tanggal``). Write fpdf2's HTML subset: ``h2``-``h4``, ``p``, ``b``,
      ``i``, ``br``, ``ul``/``li``, ``table``/``tr``/``th``/``td`` with
      ``width`` in percent. The core adds the city's letterhead (name and
      logo from the theme, ``department``), the number, the place and date,
      the verification QR code and the signature block;
    * ``numbering``: a ``toolkit.ReferenceFormat`` with a prefix of its own;
    * ``required_data``: keys ``data`` must hold (a missing one is a
      ``ValueError`` when issuing, nothing stored);
    * ``signer_role``: a declared role whose holders sign it (``None``:
      issued unsigned), ``signer_position`` printed under the signature;
    * ``department``: the issuing department in the letterhead;
    * ``retention_years``: how long the city keeps it (1-100, default 10).

    Example::

        SPPT = tk.DocumentType(
            key="pajak.sppt", title=tk.N_("Tax assessment notice"),
            template="pajak/documents/sppt.html",
            numbering=tk.ReferenceFormat("SPPT"), required_data=("nop", "amount"),
            signer_role="pajak.head", signer_position="Kepala Bapenda",
        )

        @tk.hookimpl
        def document_types():
            return [SPPT]
    """


# --- Personal data (the citizen's copy) ----------------------------------------


@hookspec
def personal_data(city: City, user_id: int) -> Sequence[Any]:
    """Give the citizen ``user_id`` of ``city`` everything this plugin holds about them.

    Per city. Return ``toolkit.PersonalData(source, records, kept="")``
    values, one per kind of record, from your own tables only: the core
    shows them on ``/akun/data`` and gives them as JSON (``/akun/data.json``),
    the right of access of UU 27/2022 (PDP). ``records`` are mappings of a
    field label (a msgid) to the value as text, in full (it is the holder's
    own copy). ``kept`` names why the city keeps the records when the account
    is erased (a msgid, e.g. the tax law's retention), or is empty when
    ``user_deleted`` erases them: the page tells the citizen which is which
    before they ask for erasure. Return nothing when you hold nothing.

    Example::

        @tk.hookimpl
        async def personal_data(city, user_id):
            rows = await Stall.select().where(Stall.owner_id == user_id)
            return [tk.PersonalData(tk.N_("Market stalls"),
                                    tuple({tk.N_("Stall"): r["code"]} for r in rows))]
    """
