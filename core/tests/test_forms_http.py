"""A declared form over HTTP: drawn with the theme's components, refused with 400 and
the typed values kept, a chosen file kept for the next try, and accepted."""

from __future__ import annotations

import re

import pytest
from balai import toolkit as tk
from balai.testing import make_login_as, make_post_form, open_client
from balai.web.rendering import page_context
from files_samples import EXE, image_bytes
from litestar import Request, Response, get, post
from litestar.enums import MediaType
from test_platform_uji_plugin import SLUG, uji_registry

PAGE = "/malang/uji/formulir"
TEMPLATE = """{% import "components.html" as ui with context %}
{{ ui.form_errors(form.errors) }}
<form method="post" {% if form.multipart %}enctype="multipart/form-data"{% endif %}>
{{ csrf_input }}{% for f in form %}{{ ui.form_field(f) }}{% endfor %}
</form>{{ saved }}"""


class Complaint(tk.Form):
    title = tk.TextField("Title", max_length=60)
    people = tk.IntegerField("People affected", min_value=1, max_value=1000)
    loss = tk.RupiahField("Estimated loss", required=False)
    kind = tk.ChoiceField("Kind", choices=[("road", "Road"), ("water", "Water")])
    nik = tk.NikField("Your NIK")
    photo = tk.FileField("Photo", kind="image")
    urgent = tk.CheckboxField("Urgent")


async def _page(request: Request, form: Complaint, saved: str = "", status: int = 200) -> Response:
    env = request.app.state.ui.themes.get("default")
    context = await page_context(request, tk.current_city())
    body = env.from_string(TEMPLATE).render({**context, "form": form, "saved": saved})
    return Response(body, media_type=MediaType.HTML, status_code=status)


@get("/formulir", guards=[tk.require_login], name="uji:form")
async def show_form(request: Request) -> Response:
    return await _page(request, Complaint())


@post("/formulir", guards=[tk.require_login], name="uji:form-post")
async def send_form(request: Request) -> Response:
    user = await tk.current_user(request)
    form = Complaint(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _page(request, form, status=400)
    clean = form.clean
    saved = f"SAVED {clean['title']} {clean['people']} {clean['kind']} {clean['photo'].id}"
    return await _page(request, form, saved=saved)


@pytest.fixture
def app(balai_app_factory):
    registry = uji_registry(extra_pages=(show_form, send_form))
    return balai_app_factory(registry=registry, cities={"malang": [SLUG], "semarang": [SLUG]})


def _csrf(client) -> str:
    client.get(PAGE)
    return next(c.value for c in client.cookies.jar if c.name == "balai_csrf")


def _send(client, data: dict, photo: tuple | None = None):
    files = {"photo": photo} if photo else {"photo": ("", b"", "application/octet-stream")}
    return client.post(PAGE, data={**data, "_csrf_token": _csrf(client)}, files=files)


GOOD = {"title": "Jalan berlubang", "people": "12", "kind": "road", "nik": "3573014508900001"}


def test_the_form_is_drawn_with_the_theme_components(app):
    with open_client(app) as client:
        make_login_as(client, app, make_post_form(client))()
        page = client.get(PAGE)
        assert page.status_code == 200
        assert 'enctype="multipart/form-data"' in page.text
        assert '<label class="field-label" for="f-title">Judul' not in page.text  # no catalog entry
        assert 'id="f-people"' in page.text and 'inputmode="numeric"' in page.text
        assert '<select class="input select" id="f-kind" name="kind"' in page.text
        assert 'type="file" id="f-photo" name="photo"' in page.text
        assert 'type="checkbox" id="f-urgent"' in page.text


def test_errors_are_400_with_messages_in_indonesian_and_values_kept(app):
    with open_client(app) as client:
        make_login_as(client, app, make_post_form(client))()
        answer = _send(client, {**GOOD, "people": "99999999999999999999999", "nik": "1234"})
        assert answer.status_code == 400
        assert "Pilih berkas untuk Photo." in answer.text  # asked for, in Indonesian
        assert "NIK terdiri atas tepat 16 angka." in answer.text
        assert 'value="99999999999999999999999"' in answer.text
        assert 'href="#f-people"' in answer.text and 'aria-invalid="true"' in answer.text
        client.get("/malang/bahasa/en")
        answer = _send(client, {**GOOD, "people": "١٢"})
        assert answer.status_code == 400
        assert "Enter a whole number in digits" in answer.text


def test_a_chosen_file_is_kept_when_another_field_is_wrong(app):
    with open_client(app) as client:
        make_login_as(client, app, make_post_form(client))()
        first = _send(client, {**GOOD, "people": "0"}, ("lubang.jpg", image_bytes(), "image/jpeg"))
        assert first.status_code == 400
        assert "lubang.jpg" in first.text  # named as kept
        token = re.search(r'name="photo__kept" value="([^"]+)"', first.text).group(1)
        second = _send(client, {**GOOD, "photo__kept": token})
        assert second.status_code == 200
        assert f"SAVED Jalan berlubang 12 road {token}" in second.text


def test_a_kept_file_of_another_account_is_not_taken(app):
    with open_client(app) as client:
        login_as = make_login_as(client, app, make_post_form(client))
        login_as()
        first = _send(client, {**GOOD, "people": "0"}, ("a.jpg", image_bytes(), "image/jpeg"))
        token = re.search(r'name="photo__kept" value="([^"]+)"', first.text).group(1)
        login_as()  # someone else
        answer = _send(client, {**GOOD, "photo__kept": token})
        assert answer.status_code == 400
        assert token not in answer.text


def test_a_refused_file_is_asked_for_again_with_the_reason(app):
    with open_client(app) as client:
        make_login_as(client, app, make_post_form(client))()
        client.get("/malang/bahasa/en")
        answer = _send(client, GOOD, ("virus.jpg", EXE, "image/jpeg"))
        assert answer.status_code == 400
        assert "photo__kept" not in answer.text
        assert 'id="f-photo-error"' in answer.text
