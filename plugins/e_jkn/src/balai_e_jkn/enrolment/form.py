"""The application form: the family's card, address, documents, consent, and one block per person.

The number of people is chosen on the page ("add a person" re-draws the form
with one more block, keeping what was typed), so the form class is built for
that number by :func:`family_form`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from balai import toolkit as tk

from balai_e_jkn.settings import PRIORITY_GROUPS, EnrolmentSettings

SLUG = "e_jkn"
RELATIONS = [
    ("head", tk.N_("Head of the family")),
    ("spouse", tk.N_("Husband or wife")),
    ("child", tk.N_("Child")),
    ("other", tk.N_("Other family member")),
]
JKN_KNOWN = [
    ("none", tk.N_("Not a JKN member")),
    ("inactive", tk.N_("Member, card no longer active")),
    ("self_paid", tk.N_("Member, paying myself")),
    ("paid_other", tk.N_("Member, paid by an employer or the state (PBI)")),
    ("unknown", tk.N_("I do not know")),
]
SEXES = [("m", tk.N_("Male")), ("f", tk.N_("Female"))]
MEMBER_FIELDS = ("name", "nik", "born", "sex", "relation", "jkn")


def settings() -> EnrolmentSettings:
    """The current city's settings of the plugin."""
    return tk.current_city().settings_for(SLUG) or EnrolmentSettings()


def _kecamatan() -> list[tuple[str, str]]:
    return [(name, name) for name in settings().kecamatan]


def _priority_groups() -> list[tuple[str, str]]:
    """The choice of none, and the groups the rules in force today let an applicant claim."""
    today = datetime.now(tk.current_city().tz).date()
    groups = settings().rules_on(today).priority_groups
    return [("", tk.N_("None of these")), *((g, PRIORITY_GROUPS[g]) for g in groups)]


class HouseholdForm(tk.Form):
    """What is asked once per application."""

    kk = tk.KkField("Family card (KK) number", hint="16 digits, on the top of the KK.")
    kecamatan = tk.ChoiceField("District (kecamatan)", choices=_kecamatan, translate=False)
    kelurahan = tk.TextField("Village (kelurahan)", max_length=60, autocomplete="address-level3")
    address = tk.TextField(
        "Street, house number, RT/RW", max_length=200, autocomplete="street-address"
    )
    phone = tk.PhoneField("Mobile number", autocomplete="tel")
    priority_group = tk.ChoiceField(
        "Priority group, if the family belongs to one",
        choices=_priority_groups,
        required=False,
        hint="A household listed as poor is checked by Dinsos in the welfare registry first.",
    )
    ktp_photo = tk.FileField(
        "Photo of the applicant's KTP",
        kind="image",
        visibility="owner",
        hint="A clear photo, JPEG or PNG, at most 5 MB.",
    )
    kk_photo = tk.FileField(
        "Photo of the family card (KK)",
        kind="image",
        visibility="owner",
        hint="A clear photo, JPEG or PNG, at most 5 MB.",
    )
    consent = tk.CheckboxField(
        "I declare the data is true and consent to Dinkes checking it with Dukcapil and"
        " BPJS Kesehatan to register us in JKN paid for by the city.",
        required=True,
        missing="Tick the consent statement to send the application.",
    )


class PeopleForm(tk.Form):
    """How many person blocks the sent form had, and which button was pressed."""

    anggota = tk.IntegerField("People", min_value=1, max_value=12, required=False)
    action = tk.ChoiceField(
        "Action",
        choices=[("send", "Send application"), ("add", "Add a person"), ("remove", "Remove")],
        required=False,
    )


def _member_fields(n: int) -> dict[str, tk.Field]:
    return {
        f"m{n}_name": tk.TextField("Full name, as on the KK", max_length=120, autocomplete="off"),
        f"m{n}_nik": tk.NikField("NIK", hint="16 digits, on the KTP or the KK."),
        f"m{n}_born": tk.DateField("Date of birth", max_value=date.today),
        f"m{n}_sex": tk.ChoiceField("Sex", choices=SEXES),
        f"m{n}_relation": tk.ChoiceField("Relation in the KK", choices=RELATIONS),
        f"m{n}_jkn": tk.ChoiceField("JKN status, as far as you know", choices=JKN_KNOWN),
    }


@cache
def family_form(count: int) -> type[HouseholdForm]:
    """The form class for an application of ``count`` people (the applicant first)."""
    fields: dict[str, Any] = {}
    for n in range(1, count + 1):
        fields.update(_member_fields(n))
    return type(f"FamilyForm{count}", (HouseholdForm,), fields)


def member_blocks(form: tk.Form, count: int) -> list[list[Any]]:
    """The bound fields of each person's block, in order (for the template)."""
    return [[form[f"m{n}_{name}"] for name in MEMBER_FIELDS] for n in range(1, count + 1)]


def household_fields(form: tk.Form) -> list[Any]:
    """The bound fields asked once, in order (for the template)."""
    return [form[name] for name in HouseholdForm.fields]


def clamp_people(count: int) -> int:
    """``count`` people, within 1 and the city's ``max_members``."""
    return max(1, min(count, settings().max_members))


def people_count(query: Any, default: int = 1) -> int:
    """How many people the page shows: ``anggota`` of the query string, within the setting."""
    raw = query.get("anggota", "")
    return clamp_people(int(raw) if raw.isdigit() and len(raw) < 3 else default)
