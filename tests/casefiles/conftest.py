"""Fixtures for the case-files tests: the cases fixtures (personas on desks, a North case with
personal data, a South case), files as phones and office software make them (a JPEG with EXIF
GPS, a PNG with text chunks, a PDF with an Info dictionary and XMP), and files added through
the real service."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from passage.accounts.models import User
from passage.alerts.services import break_glass_open
from passage.casefiles import services
from passage.casefiles.models import CaseFile
from passage.cases.models import Case
from tests.cases.conftest import open_case, partner_org  # noqa: F401 -- fixtures
from tests.cases.views.conftest import north_case, south_case  # noqa: F401 -- fixtures

MARKER = "MrkVainakhArgun5531"


def jpeg_with_gps(marker: str = MARKER) -> bytes:
    """A JPEG whose EXIF carries a GPS position, a camera and a description."""
    image = Image.new("RGB", (64, 48), (120, 30, 200))
    exif = Image.Exif()
    exif[0x010E] = f"{marker}description"  # ImageDescription
    exif[0x010F] = f"{marker}camera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 18.0, 0.0), "E", (45.0, 41.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=f"{marker}comment".encode())
    data = out.getvalue()
    assert marker.encode() in data
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825)  # the control: GPS is really in there
    return data


def png_with_text(marker: str = MARKER) -> bytes:
    """A PNG with tEXt and iTXt chunks (what editors put there: author, comment)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", f"{marker}author")
    info.add_itxt("Comment", f"{marker}comment")
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 30)).save(out, format="PNG", pnginfo=info)
    data = out.getvalue()
    assert marker.encode() in data
    return data


def pdf_with_author(marker: str = MARKER, *, text: str = "") -> bytes:
    """A one-page PDF whose Info dictionary names an author and a title; with ``text``, the
    page shows it (content that must survive the stripping)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    if text:
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 10 100 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata({"/Author": f"{marker}author", "/Title": f"{marker}title"})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert f"{marker}author".encode() in data
    return data


AddFile = Callable[..., CaseFile]


@pytest.fixture
def add_file(caseworker: User) -> AddFile:
    """Add a file to a case through the service (a PNG unless ``data`` says otherwise)."""

    def add(
        case: Case,
        data: bytes | None = None,
        *,
        name: str = "photo.png",
        description: str = "",
        actor: User | None = None,
        **kwargs: object,
    ) -> CaseFile:
        return services.case_file_add(
            case=case,
            actor=actor or caseworker,
            upload=services.Upload(name=name, data=data if data is not None else png_with_text()),
            description=description,
            **kwargs,  # type: ignore[arg-type]
        )

    return add


@pytest.fixture
def break_glass(colleague: User) -> Callable[[Case], None]:
    """Open a North case for the South colleague by break-glass."""

    def grant(case: Case) -> None:
        break_glass_open(
            user=colleague,
            case_id=case.pk,
            desk_id=case.desk_id,
            reason="the North desk is offline tonight",
            case_reference=case.reference,
        )

    return grant
