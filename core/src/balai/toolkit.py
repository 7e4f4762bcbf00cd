"""The public facade for plugin authors: import this, nothing else from ``balai``.

Everything a plugin needs from the core is here, and only here; the core may
reorganise its internals freely as long as these names keep working. Do not
use this module inside the core itself.

Example::

    from balai import toolkit as tk

    @tk.hookimpl
    def plugin_info():
        return tk.PluginInfo(slug="pasar", title="Market", dimension=tk.Dimension.ECONOMY,
                             version="0.1.0")
"""

from balai.audit.log import record as audit_record
from balai.audit.people import Person, look_up_account, people, person
from balai.auth.access import (
    PUBLIC,
    CurrentUser,
    current_user,
    require_login,
    require_officer,
    require_permission,
    require_verified,
)
from balai.auth.phone_confirm import PhoneConfirmation, confirm_phone_code, send_phone_code
from balai.crypto.fields import SealedField
from balai.crypto.keys import KeyringError
from balai.crypto.sealing import SealError, blind_index, key_id_of, seal, unseal
from balai.dashboard.metrics import bump_metric, metric_series, metric_total, set_metric
from balai.dashboard.period import Period, PeriodError
from balai.dashboard.widgets import ChartPoint, Widget
from balai.db.fulltext import FullTextIndex, TextQuery, parse_text_query
from balai.db.fulltext import words as text_words
from balai.db.keywords import contains, keyword_filter, search_words
from balai.db.tables import CityTable, CrossCityWriteError
from balai.documents.service import issue_document, issued_documents
from balai.documents.types import DocumentStatus, DocumentType, IssuedDocument
from balai.files.errors import UploadRejected
from balai.files.service import file_url, save_upload
from balai.files.service import set_visibility as set_file_visibility
from balai.files.serving import serve_file
from balai.files.types import FileKind, StoredFile, Visibility
from balai.forms.errors import FieldError
from balai.forms.fields import (
    CheckboxField,
    ChoiceField,
    DateField,
    EmailField,
    Field,
    FileField,
    IntegerField,
    KkField,
    NikField,
    NopField,
    PhoneField,
    RupiahField,
    TextField,
)
from balai.forms.form import Form
from balai.forms.identity import (
    NikFacts,
    NopError,
    check_nik_person,
    format_nop,
    mask_kk,
    mask_nik,
    nik_facts,
    nop_region,
    parse_kk,
    parse_nik,
    parse_nop,
    read_nop,
)
from balai.hookimpl import hookimpl
from balai.i18n import N_, format_number, gettext, ngettext, pgettext, rupiah
from balai.imports.types import ImportColumn, ImportContext, Importer, RowError, import_url
from balai.jobs.catalog import UnknownJobError
from balai.jobs.service import enqueue
from balai.jobs.types import Job, JobContext
from balai.notifications.channels import Channel as NotificationChannel
from balai.notifications.channels import (
    ChannelContext,
    DeliveryError,
    OutgoingMessage,
    Recipient,
)
from balai.notifications.outbox import notify
from balai.opendata.types import CC_BY_4, Dataset, DatasetColumn, Licence
from balai.partners.feed_types import (
    CatalogueCursor,
    CatalogueItem,
    CatalogueSource,
    PartnerOrder,
    PartnerOrderLine,
    PartnerOrderRefused,
    PartnerOrderState,
)
from balai.partners.ticket_types import (
    IssuedTicket,
    TicketHold,
    TicketOffer,
    TicketRefusal,
    TicketRefused,
    TicketSeller,
)
from balai.partners.types import PartnerService, Payable
from balai.payments.demo import DemoPayment, SeededPayment, seed_paid_invoices
from balai.payments.ledger import LedgerError, cancel_invoice, create_invoice, invoice_by_number
from balai.payments.qris import qr_svg
from balai.payments.receipts import receipt_url, receipt_urls
from balai.payments.refunds import refund_invoice
from balai.payments.types import (
    Invoice,
    InvoiceItem,
    InvoiceKind,
    InvoiceStatus,
    PaymentProvider,
    PaymentStart,
    StartContext,
)
from balai.references import ReferenceFormat
from balai.seeding import DemoUser, NotSeedingError, demo_user
from balai.signing import (
    PublicKey,
    SignatureError,
    SignedPayload,
    public_key,
    sign_payload,
    verify_payload,
)
from balai.tenants import City, NoCityError, absolute_url, city_scope, current_city
from balai.types import (
    DemoAccount,
    DemoReport,
    Dimension,
    HomeTile,
    NavItem,
    Permission,
    PersonalData,
    PluginInfo,
    Role,
    Routes,
    SearchResult,
)
from balai.web.api_docs import ApiError, error_responses
from balai.web.lists import Page, PageNumberError, paginate
from balai.web.numbers import plain_int
from balai.web.rendering import city_url, flash, render, safe_next
from balai.web.security import allow_camera
from balai.workflow.machine import Actor, MoveRefused, StateChanged, Transition, Workflow

_ = gettext

__all__ = [
    "CC_BY_4",
    "N_",
    "PUBLIC",
    "Actor",
    "ApiError",
    "CatalogueCursor",
    "CatalogueItem",
    "CatalogueSource",
    "ChannelContext",
    "ChartPoint",
    "CheckboxField",
    "ChoiceField",
    "City",
    "CityTable",
    "CrossCityWriteError",
    "CurrentUser",
    "Dataset",
    "DatasetColumn",
    "DateField",
    "DeliveryError",
    "DemoAccount",
    "DemoPayment",
    "DemoReport",
    "DemoUser",
    "Dimension",
    "DocumentStatus",
    "DocumentType",
    "EmailField",
    "Field",
    "FieldError",
    "FileField",
    "FileKind",
    "Form",
    "FullTextIndex",
    "HomeTile",
    "ImportColumn",
    "ImportContext",
    "Importer",
    "IntegerField",
    "Invoice",
    "InvoiceItem",
    "InvoiceKind",
    "InvoiceStatus",
    "IssuedDocument",
    "IssuedTicket",
    "Job",
    "JobContext",
    "KeyringError",
    "KkField",
    "LedgerError",
    "Licence",
    "MoveRefused",
    "NavItem",
    "NikFacts",
    "NikField",
    "NoCityError",
    "NopError",
    "NopField",
    "NotSeedingError",
    "NotificationChannel",
    "OutgoingMessage",
    "Page",
    "PageNumberError",
    "PartnerOrder",
    "PartnerOrderLine",
    "PartnerOrderRefused",
    "PartnerOrderState",
    "PartnerService",
    "Payable",
    "PaymentProvider",
    "PaymentStart",
    "Period",
    "PeriodError",
    "Permission",
    "Person",
    "PersonalData",
    "PhoneConfirmation",
    "PhoneField",
    "PluginInfo",
    "PublicKey",
    "Recipient",
    "ReferenceFormat",
    "Role",
    "Routes",
    "RowError",
    "RupiahField",
    "SealError",
    "SealedField",
    "SearchResult",
    "SeededPayment",
    "SignatureError",
    "SignedPayload",
    "StartContext",
    "StateChanged",
    "StoredFile",
    "TextField",
    "TextQuery",
    "TicketHold",
    "TicketOffer",
    "TicketRefusal",
    "TicketRefused",
    "TicketSeller",
    "Transition",
    "UnknownJobError",
    "UploadRejected",
    "Visibility",
    "Widget",
    "Workflow",
    "_",
    "absolute_url",
    "allow_camera",
    "audit_record",
    "blind_index",
    "bump_metric",
    "cancel_invoice",
    "check_nik_person",
    "city_scope",
    "city_url",
    "confirm_phone_code",
    "contains",
    "create_invoice",
    "current_city",
    "current_user",
    "demo_user",
    "enqueue",
    "error_responses",
    "file_url",
    "flash",
    "format_nop",
    "format_number",
    "gettext",
    "hookimpl",
    "import_url",
    "invoice_by_number",
    "issue_document",
    "issued_documents",
    "key_id_of",
    "keyword_filter",
    "look_up_account",
    "mask_kk",
    "mask_nik",
    "metric_series",
    "metric_total",
    "ngettext",
    "nik_facts",
    "nop_region",
    "notify",
    "paginate",
    "parse_kk",
    "parse_nik",
    "parse_nop",
    "parse_text_query",
    "people",
    "person",
    "pgettext",
    "plain_int",
    "public_key",
    "qr_svg",
    "read_nop",
    "receipt_url",
    "receipt_urls",
    "refund_invoice",
    "render",
    "require_login",
    "require_officer",
    "require_permission",
    "require_verified",
    "rupiah",
    "safe_next",
    "save_upload",
    "seal",
    "search_words",
    "seed_paid_invoices",
    "send_phone_code",
    "serve_file",
    "set_file_visibility",
    "set_metric",
    "sign_payload",
    "text_words",
    "unseal",
    "verify_payload",
]
