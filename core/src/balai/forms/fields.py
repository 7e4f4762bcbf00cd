"""The fields a form declares: each reads the typed text, parses it and explains a refusal.

A field's :meth:`Field.parse` gets the trimmed, non-empty text and returns the
value to store, or raises :class:`FieldError` with a message in the
visitor's language. Numbers accept ASCII digits only, and a value out of the
declared range is a field error, never an exception of another kind. Labels,
hints and choice labels are English msgids, translated where they are shown.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from balai.auth.accounts import normalise_email, normalise_phone
from balai.files.types import FileKind, Visibility
from balai.forms.errors import FieldError
from balai.forms.identity import format_nop, parse_kk, parse_nik, read_nop
from balai.i18n import format_number, format_when, rupiah
from balai.i18n import gettext as _
from balai.tenants import current_city

# Control characters other than tab and newline (PostgreSQL refuses NUL in text).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_INTEGER = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)$", re.ASCII)
_RUPIAH = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,0{1,2})?$", re.ASCII | re.I)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$", re.ASCII)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_MAX_DIGITS = 18  # beyond this no declared range is meant; refuse before converting
_UTC = ZoneInfo("UTC")

Choices = Sequence[tuple[str, str]]
#: A field's own wording of a refusal: an English msgid (translated, then filled
#: with the field's :meth:`Field.message_params`), or a function giving the text.
Message = str | Callable[[], str]


class Field:
    """One input of a form; subclasses say how its text becomes a value.

    Args:
        label: English msgid of the label (translated where it is shown).
        required: Whether an empty answer is an error (``False``: the
            value is ``None``, or ``False`` for a checkbox).
        hint: English msgid of a line of help under the label.
        missing: The message for an empty required field: an English msgid,
            or a function giving the text (default: "<label> is required.").
        autocomplete: The input's ``autocomplete`` token (``name``, ``tel`` …).
        invalid: The plugin's own wording for every refusal of a typed value
            (format, length, range), instead of the field's default messages:
            an English msgid filled with :meth:`message_params` (``%(n)s`` or
            ``%(max)s`` is a text's ``max_length``; ``%(min)s``/``%(max)s`` a
            number's range) and ``%(count)s``, the characters typed; or a
            function giving the translated text.
    """

    #: What the theme's ``form_field`` macro draws: input, textarea, select, checkbox, file.
    widget = "input"
    input_type = "text"
    inputmode: str | None = None
    default_autocomplete: str | None = None
    #: Longest text read at all; longer is refused with the field's format message.
    max_input = 100
    #: The value of a field left empty that is not required.
    empty: Any = None

    def __init__(
        self,
        label: str,
        *,
        required: bool = True,
        hint: str | None = None,
        missing: Message | None = None,
        autocomplete: str | None = None,
        invalid: Message | None = None,
    ) -> None:
        self.label = label
        self.required = required
        self.hint = hint
        self.missing = missing
        self.autocomplete = autocomplete or self.default_autocomplete
        self.invalid = invalid
        self.name = ""

    def raw(self, data: Any) -> str:
        """The text sent for this field, without control characters, trimmed."""
        value = data.get(self.name, "") if data is not None else ""
        if not isinstance(value, str):
            return ""  # a file where text was expected
        return _CONTROL.sub("", value).strip()

    def parse(self, text: str) -> Any:
        """The value of non-empty ``text`` (subclasses check and convert).

        Raises:
            FieldError: with the translated reason.
        """
        return text

    def check(self, text: str) -> Any:
        """The value of non-empty ``text``: length, then :meth:`parse`, in the field's wording.

        Raises:
            FieldError: the field's default reason, or its ``invalid`` wording.
        """
        try:
            if len(text) > self.max_input:
                raise self.too_long()
            return self.parse(text)
        except FieldError:
            if self.invalid is None:
                raise
            raise FieldError(self.wording(self.invalid, typed=text)) from None

    def wording(self, message: Message, *, typed: str = "") -> str:
        """A plugin's :data:`Message` as the text to show (``typed``: for ``%(count)s``)."""
        if callable(message):
            return message()
        return _(message, **self.message_params(), count=str(len(typed)))

    def message_params(self) -> dict[str, str]:
        """What a plugin's own message may name with ``%(name)s`` (none by default)."""
        return {}

    def show(self, value: Any) -> str:
        """A stored value as the text to put back in the input."""
        return "" if value is None else str(value)

    def missing_message(self) -> str:
        """The message for an empty required field."""
        if self.missing:
            return self.own_missing()
        return _("%(label)s is required.", label=_(self.label))

    def own_missing(self) -> str:
        """The plugin's ``missing`` message, translated (or given by its function)."""
        return self.missing() if callable(self.missing) else _(self.missing)

    def too_long(self) -> FieldError:
        """The refusal of a text longer than :attr:`max_input` (the format message by default)."""
        return FieldError(_("This answer is too long."))


class TextField(Field):
    """Free text. One line has its runs of spaces collapsed; ``multiline`` keeps lines.

    Left empty (when not required) its value is ``""``, as a text column stores it.

    Args:
        max_length: Most characters accepted (an error beyond, never cut).
        min_length: Fewest characters accepted.
        multiline: A ``<textarea>`` instead of one line.
    """

    empty = ""

    def __init__(
        self,
        label: str,
        *,
        max_length: int = 200,
        min_length: int = 0,
        multiline: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(label, **options)
        self.max_length = max_length
        self.min_length = min_length
        self.multiline = multiline
        self.widget = "textarea" if multiline else "input"
        self.max_input = max_length

    def raw(self, data: Any) -> str:
        """The text, line ends unified; on one line, runs of white space made one space."""
        text = super().raw(data).replace("\r\n", "\n").replace("\r", "\n")
        if self.multiline:
            return "\n".join(line.rstrip() for line in text.split("\n"))
        return " ".join(text.split())

    def parse(self, text: str) -> str:
        """The text, between ``min_length`` and ``max_length`` characters."""
        if len(text) > self.max_length:
            raise self.too_long()
        if len(text) < self.min_length:
            raise FieldError(_("Write at least %(n)s characters.", n=self.min_length))
        return text

    def too_long(self) -> FieldError:
        """The length refusal, naming the limit."""
        return FieldError(_("Write at most %(n)s characters.", n=format_number(self.max_length)))

    def message_params(self) -> dict[str, str]:
        """``n`` and ``max``: the longest text accepted; ``min``: the shortest (plain digits)."""
        return {"n": str(self.max_length), "max": str(self.max_length), "min": str(self.min_length)}


class _RangedNumber(Field, ABC):
    """A whole number between ``min_value`` and ``max_value``; out of range is a field error.

    Args:
        out_of_range: The plugin's own wording of the range refusal only (a
            :data:`Message` filled with ``min`` and ``max``); the format
            refusal keeps the field's message (``invalid`` replaces both).
    """

    inputmode = "numeric"

    def __init__(
        self,
        label: str,
        *,
        min_value: int,
        max_value: int,
        out_of_range: Message | None = None,
        **options: Any,
    ) -> None:
        super().__init__(label, **options)
        self.min_value = min_value
        self.max_value = max_value
        self.out_of_range = out_of_range

    def _within(self, digits: str) -> int:
        """``digits`` (ASCII, a leading ``-`` allowed) as an int in range."""
        if len(digits.lstrip("-")) > _MAX_DIGITS or not (
            self.min_value <= int(digits) <= self.max_value
        ):
            raise self.too_long()
        return int(digits)

    def too_long(self) -> FieldError:
        """The range refusal (also for more characters than any number in range has)."""
        if self.out_of_range is not None:
            return FieldError(self.wording(self.out_of_range))
        return FieldError(self.range_message())

    def message_params(self) -> dict[str, str]:
        """``min`` and ``max``: the range in the field's notation."""
        return {"min": self.shown_number(self.min_value), "max": self.shown_number(self.max_value)}

    @abstractmethod
    def shown_number(self, value: int) -> str:
        """A number of this field as the reader writes it (``1.000``, ``Rp1.000``)."""

    @abstractmethod
    def range_message(self) -> str:
        """The default refusal's text: the range, in the field's notation."""


class IntegerField(_RangedNumber):
    """A whole number from ``min_value`` to ``max_value`` (``1.000`` reads as 1000)."""

    def __init__(
        self, label: str, *, min_value: int = 0, max_value: int = 1_000_000, **options: Any
    ) -> None:
        super().__init__(label, min_value=min_value, max_value=max_value, **options)

    def parse(self, text: str) -> int:
        """The number (a leading ``-`` for negative ones), within the range."""
        if not _INTEGER.match(text):
            raise FieldError(_("Enter a whole number in digits, for example 12."))
        return self._within(text.replace(".", ""))

    def shown_number(self, value: int) -> str:
        """The number in the reader's notation (``1.000``)."""
        return format_number(value)

    def range_message(self) -> str:
        """The range in the reader's notation of numbers."""
        return _("Enter a number from %(min)s to %(max)s.", **self.message_params())


class RupiahField(_RangedNumber):
    """An amount of whole rupiah: ``15000``, ``15.000``, ``Rp15.000`` or ``Rp 15.000,00``."""

    def __init__(
        self,
        label: str,
        *,
        min_value: int = 0,
        max_value: int = 1_000_000_000_000,
        **options: Any,
    ) -> None:
        super().__init__(label, min_value=min_value, max_value=max_value, **options)

    def parse(self, text: str) -> int:
        """The amount as an int of rupiah, within the range."""
        found = _RUPIAH.match(text)
        if not found:
            raise FieldError(_("Enter whole rupiah, for example 15000 or 15.000."))
        return self._within(found.group(1).replace(".", ""))

    def shown_number(self, value: int) -> str:
        """The amount in rupiah (``Rp15.000``)."""
        return rupiah(value)

    def range_message(self) -> str:
        """The range in rupiah."""
        return _("Enter an amount from %(min)s to %(max)s.", **self.message_params())


def _resolve(value: date | Callable[[], date] | None) -> date | None:
    return value() if callable(value) else value


class DateField(Field):
    """A day: ``2026-11-23`` (what a date input sends) or ``23-11-2026`` / ``23/11/2026``.

    ``min_value`` and ``max_value`` may be dates or functions giving one
    (``today``), so "not in the future" is checked against the day of the request.
    """

    input_type = "date"

    def __init__(
        self,
        label: str,
        *,
        min_value: date | Callable[[], date] | None = None,
        max_value: date | Callable[[], date] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(label, **options)
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, text: str) -> date:
        """The date, within the range."""
        iso, day_first = _ISO_DAY.match(text), _DAY_FIRST.match(text)
        try:
            if iso:
                day = date(int(iso[1]), int(iso[2]), int(iso[3]))
            elif day_first:
                day = date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
            else:
                raise ValueError(text)
        except ValueError:
            raise FieldError(_("Enter a date such as 2026-11-23.")) from None
        low, high = _resolve(self.min_value), _resolve(self.max_value)
        if low and day < low:
            raise FieldError(_("Enter a date on or after %(day)s.", day=_day(low)))
        if high and day > high:
            raise FieldError(_("Enter a date on or before %(day)s.", day=_day(high)))
        return day

    def show(self, value: Any) -> str:
        """A date as ``YYYY-MM-DD`` (what a date input shows in the reader's notation)."""
        return value.isoformat() if isinstance(value, date) else super().show(value)


def _day(value: date) -> str:
    return format_when(value, _UTC, with_time=False)


class ChoiceField(Field):
    """One of a fixed list: ``choices`` are ``(value, label msgid)`` pairs, or a function.

    A function is called each time the form is shown or checked (a city's
    settings, say). With ``translate=False`` the labels are shown as they are
    (names from data rather than msgids). With ``ignore_case=True`` a value
    typed in other letters (``Makanan`` from a spreadsheet) is taken as the
    offered one (values compared case-folded; the offered spelling is stored).
    """

    widget = "select"

    def __init__(
        self,
        label: str,
        *,
        choices: Choices | Callable[[], Choices],
        translate: bool = True,
        placeholder: str | None = None,
        ignore_case: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(label, **options)
        self._choices = choices
        self.translate = translate
        self.placeholder = placeholder
        self.ignore_case = ignore_case

    def choices(self) -> list[tuple[str, str]]:
        """The ``(value, shown label)`` pairs, in order."""
        pairs = self._choices() if callable(self._choices) else self._choices
        return [(str(value), _(label) if self.translate else label) for value, label in pairs]

    def parse(self, text: str) -> str:
        """The chosen value, which must be one offered."""
        offered = [value for value, _label in self.choices()]
        if text in offered:
            return text
        if self.ignore_case:
            folded = {value.casefold(): value for value in offered}
            if text.casefold() in folded:
                return folded[text.casefold()]
        raise FieldError(_("Choose one of the options offered."))


class CheckboxField(Field):
    """A box to tick: ``True`` when ticked. ``required=True`` means it must be ticked."""

    widget = "checkbox"
    input_type = "checkbox"
    empty = False

    def __init__(self, label: str, *, required: bool = False, **options: Any) -> None:
        super().__init__(label, required=required, **options)

    def parse(self, text: str) -> bool:
        """Ticked (any value sent counts: browsers send the box's value only when ticked)."""
        return True

    def missing_message(self) -> str:
        """The message when a box that must be ticked is not."""
        if self.missing:
            return self.own_missing()
        return _("Tick this box to go on.")


class EmailField(Field):
    """An e-mail address, stored in lower case."""

    input_type = "email"
    default_autocomplete = "email"
    max_input = 254

    def parse(self, text: str) -> str:
        """The address, lower-cased."""
        email = normalise_email(text)
        if email is None:
            raise FieldError(_("Enter an e-mail address such as nama@contoh.id."))
        return email


class PhoneField(Field):
    """An Indonesian mobile number, stored as ``+628…`` (``0812…``, ``62812…`` accepted)."""

    input_type = "tel"
    inputmode = "tel"
    default_autocomplete = "tel"
    max_input = 30

    def parse(self, text: str) -> str:
        """The number in the stored form ``+628…``."""
        phone = normalise_phone(text)
        if phone is None:
            raise FieldError(_("Enter a mobile number such as 0812 3456 7890."))
        return phone

    def show(self, value: Any) -> str:
        """A stored ``+628…`` number as people write it, ``0812…``."""
        text = super().show(value)
        return "0" + text[3:] if text.startswith("+62") else text


class NikField(Field):
    """A NIK: 16 digits with a region, a birth date (women +40) and a serial."""

    inputmode = "numeric"
    default_autocomplete = "off"
    max_input = 30

    def parse(self, text: str) -> str:
        """The 16 digits, structure checked (see :func:`balai.forms.identity.parse_nik`)."""
        return parse_nik(text)

    def too_long(self) -> FieldError:
        """Far too long for a NIK."""
        return FieldError(_("A NIK has exactly 16 digits."))


class KkField(Field):
    """A family card (KK) number: 16 digits, a region, a recording date and a serial."""

    inputmode = "numeric"
    default_autocomplete = "off"
    max_input = 30

    def parse(self, text: str) -> str:
        """The 16 digits, structure checked (see :func:`balai.forms.identity.parse_kk`)."""
        return parse_kk(text)

    def too_long(self) -> FieldError:
        """Far too long for a KK number."""
        return FieldError(_("A KK number has exactly 16 digits."))


class NopField(Field):
    """A NOP of 18 digits, shown ``35.73.010.001.001-0001.0``.

    With ``own_city`` (the default), a NOP of another region than the current
    city's ``region_code`` is refused.
    """

    inputmode = "numeric"
    max_input = 40

    def __init__(self, label: str, *, own_city: bool = True, **options: Any) -> None:
        super().__init__(label, **options)
        self.own_city = own_city

    def parse(self, text: str) -> str:
        """The 18 digits."""
        return read_nop(text, current_city() if self.own_city else None)

    def show(self, value: Any) -> str:
        """The stored digits with dots and the dash."""
        return format_nop(super().show(value))

    def too_long(self) -> FieldError:
        """Far too long for a NOP."""
        return FieldError(_("A NOP has exactly 18 digits, for example 35.73.010.001.001-0001.0."))


class FileField(Field):
    """An uploaded file, checked and stored by the files service (see ``tk.save_upload``).

    The form keeps a file that passed its checks when another field is
    wrong: it is stored at once, and the page sends its token back in a
    hidden input, so the person need not choose it again. The value is a
    ``tk.StoredFile``.

    Args:
        kind: ``"image"`` or ``"document"``.
        visibility: Who may download it: ``"owner"`` (default), ``"officer"``
            or ``"public"``.
    """

    widget = "file"
    input_type = "file"

    def __init__(
        self,
        label: str,
        *,
        kind: FileKind | str = FileKind.IMAGE,
        visibility: Visibility | str = Visibility.OWNER,
        **options: Any,
    ) -> None:
        super().__init__(label, **options)
        self.kind = FileKind(kind)
        self.visibility = Visibility(visibility)

    @property
    def kept_name(self) -> str:
        """The hidden input that carries a kept file's token."""
        return f"{self.name}__kept"

    def missing_message(self) -> str:
        """The message when no file was chosen."""
        if self.missing:
            return self.own_missing()
        return _("Choose a file for %(label)s.", label=_(self.label))
