"""Declared form fields: parsing, ranges, messages, re-display (no database).

Outside a request no catalog is active, so messages come out as their English msgids.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, timedelta

import pytest
from balai import toolkit as tk
from balai.tenants import City, city_scope
from hypothesis import given
from hypothesis import strategies as st


class Application(tk.Form):
    name = tk.TextField("Business name", max_length=20)
    about = tk.TextField("About", multiline=True, required=False, max_length=50)
    staff = tk.IntegerField("Staff", min_value=1, max_value=500)
    fee = tk.RupiahField("Delivery fee", max_value=500_000, required=False)
    opened = tk.DateField("Opened on", max_value=date.today)
    kind = tk.ChoiceField("Kind", choices=[("food", "Food"), ("craft", "Craft")])
    agree = tk.CheckboxField("I agree", required=True)
    delivery = tk.CheckboxField("Offers delivery")
    email = tk.EmailField("E-mail", required=False)
    phone = tk.PhoneField("Phone")
    nik = tk.NikField("Owner's NIK")
    nop = tk.NopField("Shop's NOP", required=False)

    def check(self) -> None:
        if self.clean["fee"] and not self.clean["delivery"]:
            self.add_error("fee", "A fee only with delivery.")


GOOD = {
    "name": "  Warung   Bu Sri ",
    "about": "Masakan rumahan.\r\nBuka pagi.",
    "staff": "3",
    "fee": "Rp 5.000",
    "opened": "2020-05-01",
    "kind": "food",
    "agree": "1",
    "delivery": "1",
    "email": "Sri@Contoh.ID",
    "phone": "0812-3456-7890",
    "nik": "3573014508900001",
    "nop": "35.73.010.001.001-0001.0",
}
MALANG = City(slug="malang", name="Kota Malang", region_code="35.73")


def validate(data: dict) -> Application:
    form = Application(data)
    with city_scope(MALANG):
        asyncio.run(form.validate())
    return form


def test_a_good_form_gives_clean_values():
    form = validate(GOOD)
    assert form.errors == {}
    assert form.clean == {
        "name": "Warung Bu Sri",
        "about": "Masakan rumahan.\nBuka pagi.",
        "staff": 3,
        "fee": 5000,
        "opened": date(2020, 5, 1),
        "kind": "food",
        "agree": True,
        "delivery": True,
        "email": "sri@contoh.id",
        "phone": "+6281234567890",
        "nik": "3573014508900001",
        "nop": "357301000100100010",
    }


def test_every_bad_field_is_named_and_what_was_typed_is_kept():
    data = {
        **GOOD,
        "name": "x" * 21,
        "staff": "0",
        "fee": "lima ribu",
        "opened": "2020-02-30",
        "kind": "weapons",
        "agree": "",
        "phone": "12345",
        "nik": "1234",
        "nop": "33.74.130.001.002-0003.0",
    }
    form = validate(data)
    assert set(form.errors) == {
        "name",
        "staff",
        "fee",
        "opened",
        "kind",
        "agree",
        "phone",
        "nik",
        "nop",
    }
    assert form.errors["name"] == "Write at most 20 characters."
    assert form.errors["staff"] == "Enter a number from 1 to 500."
    assert form.errors["agree"] == "Tick this box to go on."
    assert "33.74" in form.errors["nop"]
    assert form.staff.value == "0" and form.fee.value == "lima ribu"
    assert form.nop.value == "33.74.130.001.002-0003.0"
    assert form.staff.error == form.errors["staff"]


def test_empty_required_fields_say_so_and_optional_ones_are_none():
    form = validate({"agree": "1"})
    assert form.errors["name"] == "Business name is required."
    assert "about" not in form.errors and "fee" not in form.errors
    assert "email" not in form.errors and "nop" not in form.errors
    assert form.clean["about"] == "" and form.clean["delivery"] is False
    assert form.clean["fee"] is None and form.clean["email"] is None


def test_the_cross_field_check_runs_once_fields_parse():
    form = validate({**GOOD, "delivery": ""})
    assert form.errors == {"fee": "A fee only with delivery."}


def test_a_form_filled_from_stored_values_shows_them_as_people_write_them():
    form = Application(
        initial={"phone": "+6281234567890", "nop": "357301000100100010", "opened": date(2026, 1, 2)}
    )
    assert form.phone.value == "081234567890"
    assert form.nop.value == "35.73.010.001.001-0001.0"
    assert form.opened.value == "2026-01-02"
    assert form.name.value == ""
    assert not asyncio.run(form.validate())  # nothing was sent


def test_bound_fields_carry_what_the_theme_draws():
    form = Application({})
    assert [f.name for f in form][:3] == ["name", "about", "staff"]
    assert form.kind.options == [
        {"name": "food", "title": "Food"},
        {"name": "craft", "title": "Craft"},
    ]
    assert form.about.widget == "textarea" and form.kind.widget == "select"
    assert form.phone.input_type == "tel" and form.staff.inputmode == "numeric"
    assert form.opened.input_type == "date" and form.email.autocomplete == "email"
    assert form["agree"].widget == "checkbox"
    assert not form.multipart
    with pytest.raises(AttributeError):
        _ = form.nonexistent


# --- numbers ----------------------------------------------------------------------

staff = tk.IntegerField("Staff", min_value=1, max_value=500)
fee = tk.RupiahField("Fee", min_value=0, max_value=1_000_000)


@pytest.mark.parametrize(
    ("typed", "value"), [("12", 12), ("1.000", 1000), ("500", 500), ("0001", 1)]
)
def test_integers_read(typed, value):
    field = tk.IntegerField("n", max_value=10_000)
    assert field.parse(typed) == value


@pytest.mark.parametrize("typed", ["١٢", "１２", "12a", "1,5", "1.5", "-", "+3", "1 000", "²"])
def test_integers_accept_ascii_digits_only(typed):
    with pytest.raises(tk.FieldError):
        staff.parse(typed)


@given(st.text(max_size=40))
def test_an_integer_field_never_raises_anything_but_a_field_error(typed):
    try:
        value = staff.parse(typed)
    except tk.FieldError:
        return
    assert 1 <= value <= 500


@given(st.integers())
def test_out_of_range_integers_are_field_errors(number):
    if 1 <= number <= 500:
        assert staff.parse(str(number)) == number
    else:
        with pytest.raises(tk.FieldError, match="from 1 to 500"):
            staff.parse(str(number))


def test_a_huge_number_is_a_range_error_not_a_crash():
    with pytest.raises(tk.FieldError, match="from 1 to 500"):
        staff.parse("9" * 5000)
    with pytest.raises(tk.FieldError, match=r"Rp0 to Rp1\.000\.000"):
        fee.parse("9" * 5000)


def test_negative_numbers_only_where_allowed():
    assert tk.IntegerField("t", min_value=-50, max_value=50).parse("-12") == -12
    with pytest.raises(tk.FieldError, match="from 1 to 500"):
        staff.parse("-1")


@pytest.mark.parametrize(
    "typed", ["15000", "15.000", "Rp15.000", "Rp 15.000", "rp15000", "Rp. 15.000", "15.000,00"]
)
def test_rupiah_as_people_write_it(typed):
    assert fee.parse(typed) == 15_000


@pytest.mark.parametrize("typed", ["15.00", "15,5", "Rp", "US$5", "١٥٠٠٠", "15 000", "-5000"])
def test_rupiah_refusals(typed):
    with pytest.raises(tk.FieldError):
        fee.parse(typed)


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_written_with_dots_reads_back(amount):
    written = f"{amount:,}".replace(",", ".")
    if amount <= 1_000_000:
        assert fee.parse(written) == amount
        assert fee.parse(tk.rupiah(amount)) == amount
    else:
        with pytest.raises(tk.FieldError):
            fee.parse(written)


# --- dates, choices, text -----------------------------------------------------------


def test_dates_in_iso_and_day_first_forms():
    field = tk.DateField("d")
    assert field.parse("2026-11-23") == date(2026, 11, 23)
    assert field.parse("23/11/2026") == date(2026, 11, 23)
    assert field.parse("23-11-2026") == date(2026, 11, 23)
    for typed in ("2026-13-01", "0000-01-01", "31/02/2026", "tomorrow", "２０２６-01-01"):
        with pytest.raises(tk.FieldError):
            field.parse(typed)


def test_date_ranges_are_checked_against_the_day_of_the_request():
    field = tk.DateField("d", min_value=date(2020, 1, 1), max_value=date.today)
    with pytest.raises(tk.FieldError, match="on or before"):
        field.parse((date.today() + timedelta(days=1)).isoformat())
    with pytest.raises(tk.FieldError, match="on or after"):
        field.parse("2019-12-31")


@given(st.text(max_size=30))
def test_a_date_field_never_raises_anything_but_a_field_error(typed):
    with contextlib.suppress(tk.FieldError):
        tk.DateField("d").parse(typed)


def test_choices_may_come_from_a_function_and_untranslated():
    districts = tk.ChoiceField("District", choices=lambda: [("Klojen", "Klojen")], translate=False)
    assert districts.parse("Klojen") == "Klojen"
    with pytest.raises(tk.FieldError):
        districts.parse("Sukun")


def test_text_drops_control_characters_and_counts_length():
    form = Application({**GOOD, "name": "Warung\x00 Sri\x07"})
    assert form.values["name"] == "Warung Sri"
    with pytest.raises(tk.FieldError, match="at least 3"):
        tk.TextField("t", min_length=3).parse("ab")


@pytest.mark.parametrize(
    "typed", ["a@b", "no at.sign", "a b@c.id", "@contoh.id", "x@" + "a" * 260 + ".id"]
)
def test_bad_email_addresses(typed):
    with pytest.raises(tk.FieldError):
        tk.EmailField("e").parse(typed)


@pytest.mark.parametrize(
    "typed", ["0812 3456 7890", "+62 812-3456-7890", "6281234567890", "(0812) 34567890"]
)
def test_phone_numbers_as_people_write_them(typed):
    assert tk.PhoneField("p").parse(typed) == "+6281234567890"


@pytest.mark.parametrize(
    "typed", ["0341 551234", "081", "０８１２３４５６７８９０", "0812345678901234"]
)
def test_phone_refusals(typed):
    with pytest.raises(tk.FieldError, match="mobile number"):
        tk.PhoneField("p").parse(typed)


# --- a plugin's own wording ---------------------------------------------------------


class Worded(tk.Form):
    name = tk.TextField("Name", max_length=5, invalid="The name is at most %(n)s characters.")
    size = tk.IntegerField(
        "Size",
        min_value=1,
        max_value=1000,
        missing="Enter the size.",
        invalid="Size %(min)s-%(max)s.",
    )
    fee = tk.RupiahField("Fee", max_value=500_000, out_of_range="Fee at most %(max)s.")
    kind = tk.ChoiceField(
        "Kind",
        choices=[("makanan", "Food"), ("jasa", "Services")],
        ignore_case=True,
        missing=lambda: "Choose: makanan, jasa.",
        invalid=lambda: "Choose: makanan, jasa.",
    )


def worded(**typed: str) -> Worded:
    form = Worded({"name": "Ani", "size": "6", "fee": "0", "kind": "jasa"} | typed)
    asyncio.run(form.validate())
    return form


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"name": "Ani Wati"}, "name", "The name is at most 5 characters."),
        ({"size": ""}, "size", "Enter the size."),
        ({"size": "0"}, "size", "Size 1-1.000."),
        ({"size": "12a"}, "size", "Size 1-1.000."),
        ({"size": "9" * 200}, "size", "Size 1-1.000."),
        ({"fee": "500.001"}, "fee", "Fee at most Rp500.000."),
        ({"fee": "lima"}, "fee", "Enter whole rupiah, for example 15000 or 15.000."),
        ({"kind": "senjata"}, "kind", "Choose: makanan, jasa."),
        ({"kind": ""}, "kind", "Choose: makanan, jasa."),
    ],
)
def test_a_plugin_words_its_own_refusals(typed, field, message):
    form = worded(**typed)
    assert form.errors == {field: message}


def test_a_choice_ignoring_case_stores_the_offered_spelling():
    form = worded(kind="JaSa")
    assert form.errors == {} and form.clean["kind"] == "jasa"
    strict = tk.ChoiceField("Kind", choices=[("jasa", "Services")])
    with pytest.raises(tk.FieldError):
        strict.check("JaSa")


def test_check_runs_one_field_as_the_form_does():
    field = Worded.fields["name"]
    assert field.check("Ani") == "Ani"
    with pytest.raises(tk.FieldError, match="at most 5"):
        field.check("x" * 500)


def test_a_ranged_number_must_say_its_notation_and_range():
    from balai.forms.fields import _RangedNumber

    class Half(_RangedNumber):
        def parse(self, text: str) -> int:
            return self._within(text)

    with pytest.raises(TypeError, match="abstract"):
        Half("Half", min_value=0, max_value=1)


def test_a_text_refusal_may_name_the_limit_and_the_count_typed():
    field = tk.TextField("Review", max_length=5, invalid="Keep it to %(max)s (it has %(count)s).")
    with pytest.raises(tk.FieldError, match=r"^Keep it to 5 \(it has 8\)\.$"):
        field.check("abcdefgh")
