"""Form text that no database can store (a NUL character) is refused before any handler."""

from __future__ import annotations

from balai.tables import User

FIELDS = {"name": "Siti", "email": "siti@example.id"}


def test_a_nul_character_in_a_form_field_is_refused_with_400(client, post_form, city_run):
    response = post_form("/malang/daftar", {**FIELDS, "name": "Siti\x00"})

    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.text  # the error page, not the form
    assert 'name="password"' not in response.text
    assert city_run("malang", User.count) == 0


def test_the_same_form_without_the_nul_reaches_its_handler(client, post_form):
    response = post_form("/malang/daftar", FIELDS)

    assert response.status_code == 400  # the sign-up form's own answer: no password given
    assert 'name="password"' in response.text
