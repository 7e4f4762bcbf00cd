"""The merchant application form: reading, checking and keeping what was typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.identifiers import InvalidValue, check_nib, check_phone, check_rupiah
from balai_umkm_market.labels import merchant_categories
from balai_umkm_market.settings import settings_of

MAX_NAME = 120
MAX_DISTRICT = 60
MAX_ADDRESS = 300
MAX_DESCRIPTION = 2000
MAX_DELIVERY_FEE = 500_000
TEXT_FIELDS = ("name", "owner_name", "nib", "phone", "address", "district", "category")
# What a verified merchant may change alone; the rest was checked by Diskopindag.
EDITABLE = ("phone", "address", "description", "delivery_fee", "offers_delivery", "offers_pickup")


@dataclass
class MerchantForm:
    """A merchant application as typed (``values``) and, once checked, as stored (``clean``)."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    clean: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def blank(cls, owner_name: str = "") -> MerchantForm:
        """An empty form for a new application (the owner's name from the account)."""
        return cls(
            values={
                "owner_name": owner_name,
                "delivery_fee": "0",
                "offers_delivery": True,
                "offers_pickup": True,
            }
        )

    @classmethod
    def of_merchant(cls, row: dict[str, Any]) -> MerchantForm:
        """The form filled with a merchant's stored details."""
        values = {name: str(row[name] or "") for name in (*TEXT_FIELDS, "description")}
        values["delivery_fee"] = str(row["delivery_fee"])
        values["offers_delivery"] = bool(row["offers_delivery"])
        values["offers_pickup"] = bool(row["offers_pickup"])
        return cls(values=values)

    def update_editable(self, form: Any) -> None:
        """Take the :data:`EDITABLE` fields from a submitted form, keep the others."""
        typed = MerchantForm.read(form).values
        self.values.update({name: typed[name] for name in EDITABLE})

    @classmethod
    def read(cls, form: Any) -> MerchantForm:
        """The values of a submitted form, trimmed and cut to a sane length."""
        values: dict[str, Any] = {
            name: str(form.get(name, "") or "").strip()[:MAX_DESCRIPTION]
            for name in (*TEXT_FIELDS, "description", "delivery_fee")
        }
        values["offers_delivery"] = form.get("offers_delivery") == "1"
        values["offers_pickup"] = form.get("offers_pickup") == "1"
        return cls(values=values)

    def check(self) -> bool:
        """Check every field; fills ``errors`` (field -> message) and ``clean``."""
        v, clean, errors = self.values, self.clean, self.errors
        for name, label_missing in (
            ("name", tk._("Enter the name of the business.")),
            ("owner_name", tk._("Enter the owner's name.")),
            ("address", tk._("Enter the business address.")),
        ):
            if not v[name]:
                errors[name] = label_missing
        if len(v["name"]) > MAX_NAME:
            errors["name"] = tk._("The name is at most %(n)s characters.", n=MAX_NAME)
        if len(v["owner_name"]) > MAX_NAME:
            errors["owner_name"] = tk._("The name is at most %(n)s characters.", n=MAX_NAME)
        if len(v["address"]) > MAX_ADDRESS:
            errors["address"] = tk._("The address is at most %(n)s characters.", n=MAX_ADDRESS)
        for name, checker in (("nib", check_nib), ("phone", check_phone)):
            try:
                clean[name] = checker(v[name])
            except InvalidValue as exc:
                errors[name] = str(exc)
        self._check_district()
        if v["category"] not in merchant_categories():
            errors["category"] = tk._("Choose what the business sells.")
        try:
            fee = check_rupiah(v["delivery_fee"] or "0")
            if fee > MAX_DELIVERY_FEE:
                raise InvalidValue(
                    tk._(
                        "The delivery fee is at most %(amount)s.",
                        amount=tk.rupiah(MAX_DELIVERY_FEE),
                    )
                )
            clean["delivery_fee"] = fee
        except InvalidValue as exc:
            errors["delivery_fee"] = str(exc)
        if not v["offers_delivery"] and not v["offers_pickup"]:
            errors["offers_delivery"] = tk._("Offer delivery, pickup or both.")
        if errors:
            return False
        clean.update(
            name=v["name"],
            owner_name=v["owner_name"],
            address=v["address"],
            district=v["district"],
            category=v["category"],
            description=v["description"],
            offers_delivery=v["offers_delivery"],
            offers_pickup=v["offers_pickup"],
        )
        return True

    def _check_district(self) -> None:
        district = self.values["district"]
        allowed = settings_of(tk.current_city()).districts
        if allowed:
            if district not in allowed:
                self.errors["district"] = tk._("Choose the district of the business.")
        elif not district:
            self.errors["district"] = tk._("Enter the district of the business.")
        elif len(district) > MAX_DISTRICT:
            self.errors["district"] = tk._(
                "The district is at most %(n)s characters.", n=MAX_DISTRICT
            )
