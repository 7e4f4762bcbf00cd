"""Helpers of the e_jkn tests: the seeded families as form data, images to upload."""

from __future__ import annotations

import io

from balai_e_jkn.registries.people import Resident
from PIL import Image

RELATIONS = ["head", "spouse", "child", "child", "child", "other", "other", "other"]


def photo(colour: str = "red") -> tuple[str, bytes, str]:
    """A small real JPEG, as a phone would send a photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return ("ktp.jpg", buffer.getvalue(), "image/jpeg")


def family_data(people: list[Resident], **changes: str) -> dict[str, str]:
    """The application form's fields for ``people`` (the first applies), with ``changes``."""
    data = {
        "anggota": str(len(people)),
        "kk": people[0].kk,
        "kecamatan": "Lowokwaru",
        "kelurahan": "Tlogomas",
        "address": "Jl. Tlogomas 12, RT 02/RW 05",
        "phone": "081234567890",
        "consent": "1",
    }
    for n, person in enumerate(people, start=1):
        data.update(
            {
                f"m{n}_name": person.name,
                f"m{n}_nik": person.nik,
                f"m{n}_born": person.born.isoformat(),
                f"m{n}_sex": "f" if person.female else "m",
                f"m{n}_relation": RELATIONS[n - 1],
                f"m{n}_jkn": "none",
            }
        )
    data.update(changes)
    return data


def documents() -> dict[str, tuple[str, bytes, str]]:
    """The two photos the form asks for."""
    return {"ktp_photo": photo("red"), "kk_photo": photo("blue")}
