"""The conformance suite finds what a broken plugin does wrong (``cacat``), and says where.

The class runs the suite's own tests on ``cacat`` (see
``conformance_cacat_plugin.py``), each expecting the failure the plugin was
built to have; the unit tests cover how the suite reads routes, rows and forms.
"""

from __future__ import annotations

import pytest
from balai.testing.conformance import PluginConformance
from balai.testing.html_forms import read_page
from balai.testing.probe import VARIANTS, submission
from balai.testing.routes import PluginRoute
from balai.testing.rows import ParamSource, markers, path_values
from conformance_cacat_plugin import CacatNote, cacat_registry


class TestTheSuiteOnABrokenPlugin(PluginConformance):
    plugin = "cacat"

    @classmethod
    def plugin_registry(cls):
        return cacat_registry()

    def test_no_server_error(self, conformance):
        with pytest.raises(AssertionError) as failed:
            super().test_no_server_error(conformance)
        assert "GET /malang/cacat/rusak/" in str(failed.value)
        assert "as anonymous: answered 500" in str(failed.value)

    def test_no_row_of_one_city_in_the_other(self, conformance):
        with pytest.raises(AssertionError) as failed:
            super().test_no_row_of_one_city_in_the_other(conformance)
        message = str(failed.value)
        assert "GET /malang/cacat/semua as anonymous: shows semarang's" in message
        assert "'Catatan rahasia semarang nomor 1' (cacat_note #" in message
        # The note page read by id shows the other city's note to a signed-in citizen.
        assert "GET /malang/cacat/catatan/" in message and "warga@malang.test" in message

    def test_routes_without_public_refuse_visitors_not_signed_in(self, conformance):
        with pytest.raises(AssertionError) as failed:
            super().test_routes_without_public_refuse_visitors_not_signed_in(conformance)
        message = str(failed.value)
        assert "GET /malang/cacat/pintu as anonymous: answered 200" in message
        assert "GET /semarang/cacat/pintu as cacat.officer@malang.test" in message
        assert "/cacat/catatan/" not in message  # require_login refuses as it should

    def test_forms_refuse_bad_values_and_write_nothing(self, conformance):
        with pytest.raises(AssertionError) as failed:
            super().test_forms_refuse_bad_values_and_write_nothing(conformance)
        message = str(failed.value)
        assert (
            "POST /malang/cacat/catatan (empty, form of /malang/cacat) as warga@malang.test"
            in message
        )
        assert "answered 303 /malang/cacat/" in message
        assert "wrote rows: cacat_note: " in message
        assert "(oversized," in message
        assert "(hostile," not in message  # the core refuses the NUL before the handler

    def test_catalog_is_complete(self, conformance):
        with pytest.raises(AssertionError):  # a test module has no catalog
            super().test_catalog_is_complete(conformance)

    def test_the_officer_of_the_other_city_and_the_seeded_accounts_visit(self, conformance):
        labels = [v.label for v in conformance.visitors("malang")]
        assert labels[0] == "anonymous"
        assert "warga@malang.test (citizen)" in labels
        assert "admin@malang.test (city_admin)" in labels
        assert "cacat.officer@malang.test (cacat.officer)" in labels
        assert "cacat.officer@semarang.test (cacat.officer of semarang)" in labels
        assert not any("core.user_manager" in label for label in labels)


def test_path_values_take_the_row_of_the_last_parameter_and_its_parents():
    sources = {
        "business_id": ParamSource("t_business", "id"),
        "return_id": ParamSource("t_return", "id"),
    }
    rows = {
        "t_business": [{"id": 7}],
        "t_return": [{"id": 1, "business": 7}, {"id": 2, "business": 8}, {"id": 3, "business": 9}],
    }
    params = [("business_id", int), ("return_id", int)]

    assert path_values(params, sources, rows, 2) == [
        {"return_id": 1, "business_id": 7},
        {"return_id": 3, "business_id": 9},
    ]
    assert path_values(params, sources, {}, 2) == [{"return_id": 999_999, "business_id": 999_999}]


def test_markers_are_one_row_texts_the_other_city_lacks():
    own = {
        "cacat_note": [
            {"id": 1, "text": "Catatan rahasia malang"},
            {"id": 2, "text": "pending"},
            {"id": 3, "text": "Sama di dua kota"},
            {"id": 4, "text": "Dua kali"},
            {"id": 5, "text": "Dua kali"},
            {"id": 6, "text": "Jl. Ijen"},
        ]
    }
    other = {
        "cacat_note": [{"id": 9, "text": "Sama di dua kota"}, {"id": 10, "text": "Jl. Ijen No. 30"}]
    }

    assert markers([CacatNote], own, other) == {"Catatan rahasia malang": "cacat_note #1 text"}


def test_forms_are_read_as_a_browser_sends_them():
    page = read_page(
        "/malang/x/",
        '<a href="detail/3">d</a><form method="get"><input name="q"></form>'
        '<form method="post" action="/malang/x/simpan" enctype="multipart/form-data">'
        '<input type="hidden" name="_csrf_token" value="t"><input name="nama" value="Siti">'
        '<input type="number" name="jumlah"><input name="kode" inputmode="numeric">'
        '<select name="jenis"><option value="">-</option>'
        '<option value="a" selected>A</option></select>'
        '<input type="checkbox" name="setuju"><input type="radio" name="r" value="1">'
        '<input type="radio" name="r" value="2" checked><input type="file" name="foto">'
        "<textarea name=catatan>isi</textarea><button name=aksi value=kirim>Kirim</button></form>",
    )
    assert page.links == ["/malang/x/detail/3"]
    [form] = page.forms
    assert form.action == "/malang/x/simpan" and form.multipart
    assert [f.name for f in form.editable] == [
        "nama",
        "jumlah",
        "kode",
        "jenis",
        "setuju",
        "r",
        "foto",
        "catatan",
    ]
    assert [f.name for f in form.fields if f.numeric] == ["jumlah", "kode"]

    by_name = {v.name: v for v in VARIANTS}
    data, files = submission(form, by_name["negative"])
    assert data == {
        "_csrf_token": ["t"],
        "nama": ["Siti"],
        "jumlah": ["-1"],
        "kode": ["-1"],
        "jenis": ["a"],
        "r": ["2"],
        "catatan": ["isi"],
        "aksi": ["kirim"],
    }
    assert files == {}
    data, files = submission(form, by_name["empty"])
    assert data["nama"] == [""] and data["_csrf_token"] == ["t"] and data["aksi"] == ["kirim"]
    assert files == {"foto": ("", b"", "text/plain")}


def test_a_route_knows_its_concrete_paths():
    route = PluginRoute(
        "GET",
        "/pajak/usaha/{business_id:int}/spt/{nop:str}",
        (("business_id", int), ("nop", str)),
        False,
    )
    assert route.pattern.fullmatch("/pajak/usaha/12/spt/3573")
    assert not route.pattern.fullmatch("/pajak/usaha/tautkan/spt/3573")
    assert (
        route.url("malang", {"business_id": 12, "nop": "a/b"}) == "/malang/pajak/usaha/12/spt/a%2Fb"
    )
