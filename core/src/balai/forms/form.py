"""A declared form: fields as class attributes, checked together, shown again after an error.

::

    class ApplicationForm(tk.Form):
        name = tk.TextField("Business name", max_length=120)
        nik = tk.NikField("Owner's NIK")
        fee = tk.RupiahField("Delivery fee", max_value=500_000, required=False)

        def check(self) -> None:          # rules across fields, once each field parsed
            if self.clean["fee"] and not self.clean["name"]:
                self.add_error("fee", tk._("..."))

    form = ApplicationForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await tk.render(request, "x/apply.html", {"form": form}, status_code=400)
    await Application.insert(Application(**form.clean))

In the template, ``{{ ui.form_field(form.name) }}`` draws each field with the
theme's components (label, hint, error, the typed value kept) and
``{{ ui.form_errors(form.errors) }}`` the summary at the top.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from balai.files import service as files
from balai.files.errors import UploadRejected
from balai.files.types import StoredFile
from balai.forms.errors import FieldError
from balai.forms.fields import ChoiceField, Field, FileField
from balai.i18n import gettext as _

# How long a file kept for a form that had an error can be sent back by its token.
KEEP_FOR = timedelta(hours=6)


class BoundField:
    """One field of one form as a template draws it: label, typed text, error."""

    def __init__(self, form: Form, field: Field) -> None:
        self.form = form
        self.field = field

    @property
    def name(self) -> str:
        """The input's name (the attribute's name in the form class)."""
        return self.field.name

    @property
    def label(self) -> str:
        """The label in the visitor's language."""
        return _(self.field.label)

    @property
    def hint(self) -> str | None:
        """The hint in the visitor's language, if any."""
        return _(self.field.hint) if self.field.hint else None

    @property
    def value(self) -> str:
        """The text to show in the input: what was typed, or the initial value."""
        return self.form.values.get(self.name, "")

    @property
    def checked(self) -> bool:
        """Whether a checkbox is ticked."""
        return self.value not in ("", "0", "False")

    @property
    def error(self) -> str | None:
        """The field's message, if it was refused."""
        return self.form.errors.get(self.name)

    @property
    def options(self) -> list[dict[str, str]]:
        """A select's options, as ``{"name": value, "title": label}``."""
        if not isinstance(self.field, ChoiceField):
            return []
        return [{"name": value, "title": label} for value, label in self.field.choices()]

    @property
    def placeholder(self) -> str | None:
        """A select's first, empty option, translated (``None``: the theme's default)."""
        text = getattr(self.field, "placeholder", None)
        return _(text) if text else None

    @property
    def kept(self) -> StoredFile | None:
        """A file field's file kept from an earlier try."""
        return self.form.kept.get(self.name)

    def __getattr__(self, attribute: str) -> Any:
        # required, widget, input_type, inputmode, autocomplete, placeholder, kept_name …
        return getattr(self.field, attribute)


class Form:
    """Base of declared forms; subclass it with fields as class attributes.

    Attributes:
        values: The text of each field, to show again (what was typed, or
            the initial values given).
        errors: Field name -> translated message (``"__all__"`` for the form).
        clean: Field name -> parsed value, filled by :meth:`validate`.
        kept: File field name -> the stored file kept from an earlier try.
    """

    fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, Field] = {}
        for base in reversed(cls.__bases__):
            declared.update(getattr(base, "fields", {}))
        for name, value in list(vars(cls).items()):
            if isinstance(value, Field):
                value.name = name
                declared[name] = value
                delattr(cls, name)  # ``form.<name>`` is then the bound field
        cls.fields = declared

    def __init__(self, data: Any = None, *, initial: Mapping[str, Any] | None = None) -> None:
        """A form filled from submitted ``data`` (a form multidict), or from ``initial`` values."""
        self.data = data
        self.errors: dict[str, str] = {}
        self.clean: dict[str, Any] = {}
        self.kept: dict[str, StoredFile] = {}
        if data is None:
            given = initial or {}
            self.values = {
                name: field.show(given[name])
                for name, field in self.fields.items()
                if name in given
            }
        else:
            self.values = {
                name: field.raw(data)
                for name, field in self.fields.items()
                if not isinstance(field, FileField)
            }

    def __getattr__(self, name: str) -> BoundField:
        fields = type(self).fields
        if name in fields:
            return BoundField(self, fields[name])
        raise AttributeError(name)

    def __getitem__(self, name: str) -> BoundField:
        return BoundField(self, type(self).fields[name])

    def __iter__(self) -> Iterator[BoundField]:
        return (BoundField(self, field) for field in type(self).fields.values())

    @property
    def multipart(self) -> bool:
        """Whether the ``<form>`` needs ``enctype="multipart/form-data"`` (it has a file field)."""
        return any(isinstance(field, FileField) for field in self.fields.values())

    def add_error(self, name: str, message: str) -> None:
        """Refuse field ``name`` (or ``"__all__"``) with a translated ``message``."""
        self.errors.setdefault(name, message)

    def check(self) -> None:
        """Rules across fields: override, read ``self.clean``, call :meth:`add_error`.

        Called by :meth:`validate` only when every field parsed.
        """

    async def validate(self, *, owner_id: int | None = None) -> bool:
        """Parse every field; store accepted files; whether the form is valid.

        Args:
            owner_id: The account the files belong to (for a file field);
                a kept file is accepted back only from the same account.
        """
        if self.data is None:
            return False
        for name, field in self.fields.items():
            if isinstance(field, FileField):
                continue
            text = self.values.get(name, "")
            if not text:
                if field.required:
                    self.errors[name] = field.missing_message()
                else:
                    self.clean[name] = field.empty
                continue
            try:
                self.clean[name] = field.check(text)
            except FieldError as exc:
                self.errors[name] = str(exc)
        for field in self.fields.values():
            if isinstance(field, FileField):
                await self._take_file(field, owner_id)
        if not self.errors:
            self.check()
        return not self.errors

    async def _take_file(self, field: FileField, owner_id: int | None) -> None:
        upload = self.data.get(field.name)
        chosen = upload is not None and not isinstance(upload, str) and upload.filename
        if chosen:
            try:
                stored = await files.save_upload(
                    upload, kind=field.kind, owner_id=owner_id, visibility=field.visibility
                )
            except UploadRejected as exc:
                self.errors[field.name] = exc.message
                return
        else:
            stored = await _kept_file(self.data.get(field.kept_name), owner_id)
        if stored is None:
            if field.required:
                self.errors[field.name] = field.missing_message()
            else:
                self.clean[field.name] = None
            return
        self.kept[field.name] = stored
        self.clean[field.name] = stored


async def _kept_file(token: Any, owner_id: int | None) -> StoredFile | None:
    """The file a form kept earlier, if ``token`` names a recent one of ``owner_id`` here."""
    if not isinstance(token, str) or not token:
        return None
    stored = await files.get_file(token.strip())
    if stored is None or stored.owner_id != owner_id:
        return None
    if stored.created_at < datetime.now(UTC) - KEEP_FOR:
        return None
    return stored
