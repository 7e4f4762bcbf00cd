"""The merchant application form, declared on the toolkit's ``tk.Form``.

The NIB, the local phone notation and the district (a list when the city
keeps one, free text otherwise) are the market's own fields; the rest are the
toolkit's, with the market's wording of each refusal.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

from balai_umkm_market.identifiers import check_nib
from balai_umkm_market.labels import merchant_categories, options
from balai_umkm_market.settings import settings_of

MAX_NAME = 120
MAX_DISTRICT = 60
MAX_ADDRESS = 300
MAX_DESCRIPTION = 2000
MAX_DELIVERY_FEE = 500_000
# What a verified merchant may change alone; the rest was checked by Diskopindag.
EDITABLE = ("phone", "address", "description", "delivery_fee", "offers_delivery", "offers_pickup")
_NAME_TOO_LONG = tk.N_("The name is at most %(n)s characters.")


class NibField(tk.Field):
    """A business registration number (NIB, from OSS): 13 digits, spaces and dots allowed."""

    inputmode = "numeric"
    max_input = 40

    def parse(self, text: str) -> str:
        """The 13 digits."""
        return check_nib(text)

    def too_long(self) -> tk.FieldError:
        """Far too long for a NIB."""
        return tk.FieldError(tk._("The NIB has exactly 13 digits."))


class LocalPhoneField(tk.PhoneField):
    """A mobile number stored as people write it, ``0812…`` (``+62``/``62`` accepted)."""

    def parse(self, text: str) -> str:
        """The number as ``08…``."""
        return self.show(super().parse(text))


class DistrictField(tk.Field):
    """The business's district: one of the city's list when it keeps one, else free text."""

    max_input = MAX_DISTRICT

    def _allowed(self) -> list[str]:
        return list(settings_of(tk.current_city()).districts)

    def parse(self, text: str) -> str:
        """A district of the city's list, or any name when the city keeps none."""
        allowed = self._allowed()
        if allowed and text not in allowed:
            raise tk.FieldError(tk._("Choose the district of the business."))
        return text

    def too_long(self) -> tk.FieldError:
        """Longer than any district name."""
        if self._allowed():
            return tk.FieldError(tk._("Choose the district of the business."))
        return tk.FieldError(tk._("The district is at most %(n)s characters.", n=MAX_DISTRICT))

    def missing_message(self) -> str:
        """Choose (from the list) or enter (free text) the district."""
        if self._allowed():
            return tk._("Choose the district of the business.")
        return tk._("Enter the district of the business.")


def _fee_too_high() -> str:
    return tk._("The delivery fee is at most %(amount)s.", amount=tk.rupiah(MAX_DELIVERY_FEE))


class MerchantForm(tk.Form):
    """A merchant application (and a verified merchant's own changes, see :func:`edit_form`)."""

    name = tk.TextField(
        "Business name",
        max_length=MAX_NAME,
        missing=tk.N_("Enter the name of the business."),
        invalid=_NAME_TOO_LONG,
    )
    owner_name = tk.TextField(
        "Owner's name",
        max_length=MAX_NAME,
        missing=tk.N_("Enter the owner's name."),
        invalid=_NAME_TOO_LONG,
    )
    nib = NibField(
        tk.N_("Business registration number (NIB)"),
        missing=tk.N_("Enter the business registration number (NIB)."),
    )
    phone = LocalPhoneField(tk.N_("Mobile number"), missing=tk.N_("Enter a phone number."))
    address = tk.TextField(
        "Business address",
        max_length=MAX_ADDRESS,
        multiline=True,
        missing=tk.N_("Enter the business address."),
        invalid=tk.N_("The address is at most %(n)s characters."),
    )
    district = DistrictField(tk.N_("District (kecamatan)"))
    category = tk.ChoiceField(
        "What the business sells",
        choices=lambda: options(merchant_categories()),
        translate=False,
        missing=tk.N_("Choose what the business sells."),
        invalid=tk.N_("Choose what the business sells."),
    )
    description = tk.TextField(
        "About the business",
        max_length=MAX_DESCRIPTION,
        multiline=True,
        required=False,
        invalid=tk.N_("The description is at most %(n)s characters."),
    )
    delivery_fee = tk.RupiahField(
        "Delivery fee (Rp)", max_value=MAX_DELIVERY_FEE, required=False, out_of_range=_fee_too_high
    )
    offers_delivery = tk.CheckboxField("I deliver orders")
    offers_pickup = tk.CheckboxField("Buyers can pick up orders")

    def check(self) -> None:
        """No fee typed is free delivery; a shop offers delivery, pickup or both."""
        if self.clean["delivery_fee"] is None:
            self.clean["delivery_fee"] = 0
        if not self.clean["offers_delivery"] and not self.clean["offers_pickup"]:
            self.add_error("offers_delivery", tk._("Offer delivery, pickup or both."))


def blank_form(owner_name: str = "") -> MerchantForm:
    """An empty form for a new application (the owner's name from the account)."""
    return MerchantForm(
        initial={
            "owner_name": owner_name,
            "delivery_fee": 0,
            "offers_delivery": True,
            "offers_pickup": True,
        }
    )


def stored_form(row: dict[str, Any]) -> MerchantForm:
    """The form filled with a merchant's stored details."""
    return MerchantForm(initial={name: row[name] for name in MerchantForm.fields})


def edit_form(row: dict[str, Any], data: Any) -> MerchantForm:
    """A verified merchant's changes: :data:`EDITABLE` from ``data``, the rest as stored."""
    fields = MerchantForm.fields
    merged: dict[str, Any] = {
        name: fields[name].show(row[name]) for name in fields if name not in EDITABLE
    }
    merged.update({name: data.get(name) for name in EDITABLE if name in data})
    return MerchantForm(merged)
