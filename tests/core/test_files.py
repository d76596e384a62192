"""clean_file: real types only, and nothing of the sender's metadata left in what is kept.

Every file here is built in the test, in memory (Pillow, pypdf, and for sound the container
structures written by hand and tagged with mutagen): no fixture files, no external tools.
Each one carries MARKER (in EXIF, GPS, XMP, text chunks, /Info, scripts, tags...); each test
first checks the marker really is in the input, then that it is gone from the output and that
the output still opens.
"""

from __future__ import annotations

import base64
import builtins
import inspect
import io
import os
import struct
import tempfile
import wave
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from mutagen.id3 import APIC, ID3, TIT2
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import ExifTags, Image, ImageCms, ImageOps
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from passage.core import files
from passage.core.files import CleanFile, UnsafeFile, clean_file

MARKER = "MARKER-7f3a"
MARK = MARKER.encode()

# --- Pictures ------------------------------------------------------------------------------------


def quadrants(size: tuple[int, int] = (64, 32)) -> Image.Image:
    """Four solid colours, so a turned or mirrored picture is told apart from the original."""
    width, height = size
    image = Image.new("RGB", size, (255, 0, 0))  # top left red
    image.paste((0, 0, 255), (width // 2, 0, width, height // 2))  # top right blue
    image.paste((0, 255, 0), (0, height // 2, width // 2, height))  # bottom left green
    image.paste((255, 255, 0), (width // 2, height // 2, width, height))  # bottom right yellow
    return image


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.ImageDescription] = MARKER
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 19.0, 4.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (45.0, 41.0, 39.0)
    return exif


def xmp() -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description dc:creator="{MARKER}" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_bytes(image: Image.Image | None = None, **params: Any) -> bytes:
    out = io.BytesIO()
    (image or quadrants()).save(out, format="JPEG", quality=95, **params)
    return out.getvalue()


def phone_jpeg(orientation: int = 6) -> bytes:
    return jpeg_bytes(
        exif=exif_with_gps(orientation), xmp=xmp(), comment=MARKER, icc_profile=srgb_icc()
    )


def png_bytes(image: Image.Image | None = None, **params: Any) -> bytes:
    out = io.BytesIO()
    (image or quadrants()).save(out, format="PNG", **params)
    return out.getvalue()


def marked_png(image: Image.Image | None = None) -> bytes:
    info = PngInfo()
    info.add_text("Comment", MARKER)
    info.add_text("Author", MARKER, zip=True)
    info.add_itxt("Description", MARKER, lang="en")
    return png_bytes(image, pnginfo=info, exif=exif_with_gps(), icc_profile=srgb_icc())


def webp_bytes(**params: Any) -> bytes:
    out = io.BytesIO()
    quadrants().save(out, format="WEBP", quality=95, **params)
    return out.getvalue()


def colour_at(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], slack: int = 40) -> bool:
    return all(abs(a - e) <= slack for a, e in zip(actual, expected, strict=True))


def assert_no_picture_metadata(data: bytes) -> Image.Image:
    assert MARK not in data
    assert b"PhoneMaker" not in data
    image = Image.open(io.BytesIO(data))
    image.load()
    exif = image.getexif()
    assert not dict(exif)
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment"):
        assert key not in image.info
    return image


def test_jpeg_loses_exif_gps_xmp_comment_and_icc_but_stays_upright() -> None:
    data = phone_jpeg(orientation=6)  # stored sideways: shown turned 90 degrees clockwise
    original = Image.open(io.BytesIO(data))
    assert data.count(MARK) == 3
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    shown = ImageOps.exif_transpose(original)

    cleaned = clean_file(name="IMG_0042.JPG", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == ("image", "image/jpeg", "jpg")
    image = assert_no_picture_metadata(cleaned.data)
    assert image.format == "JPEG"
    assert image.size == shown.size == (32, 64)
    for xy in [(4, 4), (27, 4), (4, 59), (27, 59)]:
        assert close_to(colour_at(image, xy), colour_at(shown, xy)), xy
    # Upright: the stored top-left (red) is now at the top right, as a viewer would show it.
    assert close_to(colour_at(image, (27, 4)), (255, 0, 0))


@pytest.mark.parametrize("orientation", [1, 3, 8])
def test_other_orientations_come_out_as_shown(orientation: int) -> None:
    data = jpeg_bytes(exif=exif_with_gps(orientation))
    shown = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image = assert_no_picture_metadata(clean_file(name="a.jpeg", data=data).data)
    assert image.size == shown.size
    width, height = image.size
    for xy in [(4, 4), (width - 5, 4), (4, height - 5), (width - 5, height - 5)]:
        assert close_to(colour_at(image, xy), colour_at(shown, xy)), xy


def test_png_loses_text_chunks_exif_and_icc_and_keeps_every_pixel() -> None:
    source = quadrants((40, 30))
    data = marked_png(source)
    assert data.count(MARK) >= 2 and b"tEXt" in data and b"iTXt" in data
    assert b"eXIf" in data and b"iCCP" in data

    cleaned = clean_file(name="screenshot.png", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == ("image", "image/png", "png")
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"):
        assert chunk not in cleaned.data
    image = assert_no_picture_metadata(cleaned.data)
    assert image.format == "PNG"
    assert image.size == (40, 30)
    assert image.convert("RGB").tobytes() == source.tobytes()


def test_png_keeps_transparency() -> None:
    source = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    source.paste((0, 0, 255, 255), (0, 0, 5, 10))
    image = assert_no_picture_metadata(clean_file(name="x.png", data=marked_png(source)).data)
    assert image.mode == "RGBA"
    assert image.tobytes() == source.tobytes()


def test_palette_png_with_transparency_stays_transparent() -> None:
    source = Image.new("P", (8, 8), 0)
    source.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    source.paste(1, (0, 0, 4, 8))
    data = png_bytes(source, transparency=0)
    image = Image.open(io.BytesIO(clean_file(name="p.png", data=data).data))
    assert image.convert("RGBA").getpixel((6, 2)) == (255, 0, 0, 0)
    assert image.convert("RGBA").getpixel((1, 2)) == (0, 255, 0, 255)


def test_webp_loses_exif_and_xmp() -> None:
    data = webp_bytes(exif=exif_with_gps(), xmp=xmp())
    assert data.count(MARK) == 2 and b"EXIF" in data and b"XMP " in data

    cleaned = clean_file(name="sticker.webp", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == (
        "image",
        "image/webp",
        "webp",
    )
    assert b"EXIF" not in cleaned.data and b"XMP " not in cleaned.data
    image = assert_no_picture_metadata(cleaned.data)
    assert image.format == "WEBP"
    assert image.size == (64, 32)
    assert close_to(colour_at(image, (50, 4)), (0, 0, 255))


def test_lossless_webp_stays_lossless() -> None:
    source = quadrants((16, 16))
    out = io.BytesIO()
    source.save(out, format="WEBP", lossless=True, exif=exif_with_gps())
    image = assert_no_picture_metadata(clean_file(name="a.webp", data=out.getvalue()).data)
    assert image.convert("RGB").tobytes() == source.tobytes()


def test_colour_profile_is_applied_into_srgb_before_it_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only sRGB can be made without a profile file; the conversion is watched instead.
    conversions: list[tuple[str, str]] = []
    real = ImageCms.profileToProfile

    def watched(image: Image.Image, source: Any, target: Any, **kwargs: Any) -> Any:
        conversions.append((image.mode, kwargs.get("outputMode", image.mode)))
        return real(image, source, target, **kwargs)

    monkeypatch.setattr(ImageCms, "profileToProfile", watched)
    data = jpeg_bytes(icc_profile=srgb_icc())
    image = Image.open(io.BytesIO(clean_file(name="a.jpg", data=data).data))
    assert conversions == [("RGB", "RGB")]
    assert "icc_profile" not in image.info
    assert close_to(colour_at(image, (50, 4)), (0, 0, 255))


def test_picture_named_as_another_picture_format_is_accepted_as_what_it_is() -> None:
    cleaned = clean_file(name="photo.jpg", data=marked_png())
    assert (cleaned.content_type, cleaned.extension) == ("image/png", "png")
    assert MARK not in cleaned.data


def test_animated_png_keeps_its_first_frame() -> None:
    frames = [Image.new("RGB", (6, 6), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:])
    assert b"acTL" in out.getvalue()
    cleaned = clean_file(name="a.png", data=out.getvalue())
    assert b"acTL" not in cleaned.data
    assert Image.open(io.BytesIO(cleaned.data)).convert("RGB").getpixel((1, 1)) == (255, 0, 0)


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="bomb.png", data=png_claiming(100_000, 100_000))
    assert refused.value.code == "too_many_pixels"


def test_pixel_cap_is_ours_not_only_pillows(monkeypatch: pytest.MonkeyPatch) -> None:
    # 60 megapixels is under Pillow's own bomb error (2 x 89 M) but over our cap.
    assert 2 * Image.MAX_IMAGE_PIXELS > 60_000_000 > files.MAX_PIXELS
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="big.png", data=png_claiming(10_000, 6_000))
    assert refused.value.code == "too_many_pixels"
    monkeypatch.setattr(files, "MAX_PIXELS", 100)
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="small.jpg", data=jpeg_bytes(Image.new("RGB", (11, 10))))
    assert refused.value.code == "too_many_pixels"


# --- PDF -----------------------------------------------------------------------------------------


def add_stream(writer: PdfWriter, data: bytes, **entries: Any) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject("/" + key)] = value
    return writer._add_object(stream)


def marked_pdf(*, encrypt: str | None = None, pages: int = 2) -> bytes:
    """A PDF with the marker in /Info, XMP (document and page), scripts, an attachment, an
    annotation's author, a web link, and the EXIF of an embedded JPEG; and real text."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    photo = jpeg_bytes(quadrants((8, 8)), exif=exif_with_gps(), comment=MARKER)
    picture = EncodedStreamObject()
    StreamObject.set_data(picture, photo)  # stored as it is: a JPEG file
    for key, value in {
        "/Type": NameObject("/XObject"),
        "/Subtype": NameObject("/Image"),
        "/Width": NumberObject(8),
        "/Height": NumberObject(8),
        "/ColorSpace": NameObject("/DeviceRGB"),
        "/BitsPerComponent": NumberObject(8),
        "/Filter": NameObject("/DCTDecode"),
    }.items():
        picture[NameObject(key)] = value
    picture[NameObject("/Metadata")] = add_stream(writer, xmp(), Type=NameObject("/Metadata"))
    picture_ref = writer._add_object(picture)
    for number in range(pages):
        page = writer.add_blank_page(width=300, height=300)
        content = (
            f"BT /F1 18 Tf 20 200 Td (Visible words {number}) Tj ET q 40 0 0 40 20 20 cm /Im0 Do Q"
        )
        page[NameObject("/Contents")] = add_stream(writer, content.encode())
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
                NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): picture_ref}),
            }
        )
        page[NameObject("/Metadata")] = add_stream(writer, xmp(), Type=NameObject("/Metadata"))
        page[NameObject("/AA")] = DictionaryObject(
            {
                NameObject("/O"): DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/JavaScript"),
                        NameObject("/JS"): TextStringObject(f"app.alert('{MARKER}')"),
                    }
                )
            }
        )
        rect = ArrayObject([FloatObject(v) for v in (10, 10, 100, 40)])
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): rect,
                NameObject("/A"): DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/URI"),
                        NameObject("/URI"): TextStringObject(f"https://example.org/{MARKER}"),
                    }
                ),
            }
        )
        note = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): rect,
                NameObject("/Contents"): TextStringObject("A note that stays"),
                NameObject("/T"): TextStringObject(MARKER),
                NameObject("/M"): TextStringObject("D:20240501120000Z"),
            }
        )
        attachment = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): rect,
                NameObject("/FS"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Filespec"),
                        NameObject("/F"): TextStringObject("hidden.txt"),
                        NameObject("/EF"): DictionaryObject(
                            {NameObject("/F"): add_stream(writer, MARK + b" attached")}
                        ),
                    }
                ),
            }
        )
        page[NameObject("/Annots")] = ArrayObject(
            [writer._add_object(annot) for annot in (link, note, attachment)]
        )
    writer.add_metadata({"/Author": MARKER, "/Title": MARKER, "/Producer": "PhoneMaker Scan"})
    writer.root_object[NameObject("/Metadata")] = add_stream(
        writer, xmp(), Type=NameObject("/Metadata"), Subtype=NameObject("/XML")
    )
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.launchURL('https://example.org/{MARKER}')"),
        }
    )
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.alert('{MARKER} named script');"),
        }
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("startup"), writer._add_object(script)]
                    )
                }
            )
        }
    )
    writer.add_attachment("embedded.txt", MARK + b" embedded file")  # into /Names too
    if encrypt is not None:
        writer.encrypt(user_password=encrypt, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def everything_in(data: bytes) -> bytes:
    """Every object of the PDF, streams decoded, as one byte string (compressed streams too)."""
    reader = PdfReader(io.BytesIO(data))
    parts = [data]
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            parts.append(obj.get_data())
        parts.append(repr(obj).encode())
    return b"\n".join(parts)


def test_pdf_loses_info_xmp_scripts_attachments_and_keeps_its_pages() -> None:
    data = marked_pdf()
    assert everything_in(data).count(MARK) >= 8
    original = PdfReader(io.BytesIO(data))
    assert original.metadata is not None and original.metadata.author == MARKER
    assert "/OpenAction" in original.trailer["/Root"] and original.attachments

    cleaned = clean_file(name="letter.pdf", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == (
        "pdf",
        "application/pdf",
        "pdf",
    )
    assert MARK not in everything_in(cleaned.data)
    assert b"PhoneMaker" not in cleaned.data and b"pypdf" not in cleaned.data
    reader = PdfReader(io.BytesIO(cleaned.data))
    assert "/Info" not in reader.trailer
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    catalog = reader.trailer["/Root"]
    for key in ("/OpenAction", "/Names", "/Metadata", "/AA", "/AcroForm"):
        assert key not in catalog
    assert not reader.attachments
    assert len(reader.pages) == 2
    for number, page in enumerate(reader.pages):
        assert f"Visible words {number}" in page.extract_text()
        for key in ("/Metadata", "/AA", "/PieceInfo"):
            assert key not in page
        annotations = [ref.get_object() for ref in page["/Annots"]]
        assert [a["/Subtype"] for a in annotations] == ["/Link", "/Text"]
        assert "/A" not in annotations[0]  # the web address is gone, the rectangle stays
        assert annotations[1]["/Contents"] == "A note that stays"
        assert "/T" not in annotations[1] and "/M" not in annotations[1]
        (image,) = page.images
        assert image.image is not None and image.image.size == (8, 8)
        assert MARK not in image.data and b"Exif" not in image.data


def test_pdf_internal_links_stay() -> None:
    writer = PdfWriter()
    first = writer.add_blank_page(width=100, height=100)
    second = writer.add_blank_page(width=100, height=100)
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (0, 0, 50, 50)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([second.indirect_reference, NameObject("/Fit")]),
                    NameObject("/Next"): DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/JavaScript"),
                            NameObject("/JS"): TextStringObject(MARKER),
                        }
                    ),
                }
            ),
        }
    )
    first[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    cleaned = clean_file(name="a.pdf", data=out.getvalue())
    assert MARK not in everything_in(cleaned.data)
    reader = PdfReader(io.BytesIO(cleaned.data))
    action = reader.pages[0]["/Annots"][0].get_object()["/A"]
    assert action["/S"] == "/GoTo" and "/Next" not in action
    assert action["/D"][0].get_object() == reader.pages[1]


@pytest.mark.parametrize("password", ["secret", ""], ids=["password", "empty-user-password"])
def test_encrypted_pdf_is_refused(password: str) -> None:
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="locked.pdf", data=marked_pdf(encrypt=password))
    assert refused.value.code == "encrypted"
    assert "password" in str(refused.value.message)


# --- Sound recordings ----------------------------------------------------------------------------


def vorbis_comment(vendor: bytes, comments: list[bytes]) -> bytes:
    out = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(comments))
    for comment in comments:
        out += struct.pack("<I", len(comment)) + comment
    return out


def ogg_stream(pages: list[tuple[list[bytes], int]], serial: int = 0x5EA1) -> bytes:
    out = b""
    for sequence, (packets, position) in enumerate(pages):
        page = OggPage()
        page.serial, page.sequence, page.position = serial, sequence, position
        page.packets = packets
        page.first = sequence == 0
        page.last = sequence == len(pages) - 1
        out += page.write()
    return out


def cover_art() -> bytes:
    picture = jpeg_bytes(quadrants((4, 4)), exif=exif_with_gps())
    block = struct.pack(">II", 3, 10) + b"image/jpeg" + struct.pack(">I", len(MARK)) + MARK
    block += struct.pack(">IIIII", 4, 4, 24, 0, len(picture)) + picture
    return b"METADATA_BLOCK_PICTURE=" + base64.b64encode(block)


def ogg_opus() -> bytes:
    """A WhatsApp-like voice note: OpusHead, OpusTags (title, vendor, padding data), audio."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 312, 48000, 0, 0)
    comments = [b"TITLE=" + MARK, b"LOCATION=43.3,45.7", cover_art()]
    tags = b"OpusTags" + vorbis_comment(b"libopus " + MARK, comments) + b"\x01" + MARK
    audio = [b"\xf8\xff\xfe"] * 50  # 50 packets of 20 ms silence
    return ogg_stream([([head], 0), ([tags], 0), (audio, 48000)])


def ogg_vorbis() -> bytes:
    ident = b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 1, 44100, 0, 128000, 0, 0xB8, 1)
    comment = b"\x03vorbis" + vorbis_comment(b"Xiph " + MARK, [b"ARTIST=" + MARK]) + b"\x01"
    setup = b"\x05vorbis" + b"\x00" * 20
    return ogg_stream([([ident], 0), ([comment, setup], 0), ([b"\x00" * 30] * 20, 44100)])


def test_ogg_opus_voice_note_loses_comments_vendor_padding_and_cover_art() -> None:
    data = ogg_opus()
    before = OggOpus(io.BytesIO(data))
    assert before.tags["title"] == [MARKER] and data.count(MARK) >= 3

    cleaned = clean_file(name="PTT-20240501-WA0003.opus", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == ("audio", "audio/ogg", "ogg")
    assert MARK not in cleaned.data and b"METADATA_BLOCK_PICTURE" not in cleaned.data
    after = OggOpus(io.BytesIO(cleaned.data))
    assert not list(after.tags.keys()) and after.tags.vendor == ""
    assert after.info.length == pytest.approx(before.info.length)
    assert after.info.channels == 1


def test_ogg_vorbis_loses_comments_and_vendor() -> None:
    data = ogg_vorbis()
    before = OggVorbis(io.BytesIO(data))
    assert before.tags["artist"] == [MARKER]
    cleaned = clean_file(name="memo.oga", data=data)
    assert cleaned.content_type == "audio/ogg" and MARK not in cleaned.data
    after = OggVorbis(io.BytesIO(cleaned.data))
    assert not list(after.tags.keys())
    assert after.info.length == pytest.approx(before.info.length)


def test_ogg_with_a_second_stream_is_refused() -> None:
    data = ogg_opus() + ogg_stream(
        [([b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 0, 48000, 0, 0)], 0)], serial=7
    )
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="chained.ogg", data=data)
    assert refused.value.code == "not_accepted"


MPEG_FRAME = b"\xff\xfb\x90\x00" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz


def tagged_mp3() -> bytes:
    buffer = io.BytesIO(MPEG_FRAME * 40)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=MARKER))
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc=MARKER, data=jpeg_bytes()))
    tags.save(buffer)
    id3v1 = b"TAG" + MARK.ljust(125, b"\x00")
    ape_item = struct.pack("<II", len(MARK), 0) + b"Title\x00" + MARK
    ape_footer = b"APETAGEX" + struct.pack("<IIII", 2000, len(ape_item) + 32, 1, 0) + b"\x00" * 8
    return buffer.getvalue() + ape_item + ape_footer + id3v1


def test_mp3_loses_id3v2_id3v1_and_ape_tags() -> None:
    data = tagged_mp3()
    before = MP3(io.BytesIO(data))
    assert str(before.tags["TIT2"]) == MARKER and data.count(MARK) >= 4

    cleaned = clean_file(name="song.mp3", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == ("audio", "audio/mpeg", "mp3")
    assert MARK not in cleaned.data and b"TAG" not in cleaned.data
    assert b"APETAGEX" not in cleaned.data and b"ID3" not in cleaned.data
    assert cleaned.data == MPEG_FRAME * 40
    after = MP3(io.BytesIO(cleaned.data))
    assert after.tags is None
    assert after.info.sample_rate == 44100
    assert after.info.length == pytest.approx(40 * 1152 / 44100, rel=0.01)


def box(name: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I4s", 8 + len(body), name) + body


def full_box(name: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return box(name, struct.pack(">I", (version << 24) | flags), *payload)


SAMPLE = b"\x21\x00\x49\x90\x02\x19\x00\x23\x80"  # nine bytes of AAC


def m4a(handler: bytes = b"soun", samples: int = 10) -> bytes:
    """An iPhone-voice-memo-like M4A: ftyp, moov (one AAC track), mdat; then tagged by mutagen
    (title, date, location) on top of a QuickTime location box and a track name with MARKER."""
    ftyp = box(b"ftyp", b"M4A ", struct.pack(">I", 0), b"M4A ", b"isom", b"mp42")
    esds = full_box(
        b"esds",
        0,
        0,
        bytes([0x03, 25, 0, 1, 0, 0x04, 17, 0x40, 0x15, 0, 0, 0]),
        struct.pack(">II", 0, 0),
        bytes([0x05, 2, 0x12, 0x08, 0x06, 1, 2]),
    )
    mp4a = box(
        b"mp4a",
        b"\x00" * 6,
        struct.pack(">H", 1),
        b"\x00" * 8,
        struct.pack(">HHHH", 1, 16, 0, 0),
        struct.pack(">I", 44100 << 16),
        esds,
    )
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    created = struct.pack(">II", 3_797_000_000, 3_797_000_001)  # 2024, seconds since 1904

    def moov(mdat_offset: int) -> bytes:
        stbl = box(
            b"stbl",
            full_box(b"stsd", 0, 0, struct.pack(">I", 1), mp4a),
            full_box(b"stts", 0, 0, struct.pack(">III", 1, samples, 1024)),
            full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, samples, 1)),
            full_box(b"stsz", 0, 0, struct.pack(">II", len(SAMPLE), samples)),
            full_box(b"stco", 0, 0, struct.pack(">II", 1, mdat_offset)),
        )
        dinf = box(b"dinf", full_box(b"dref", 0, 0, struct.pack(">I", 1), full_box(b"url ", 0, 1)))
        minf = box(b"minf", full_box(b"smhd", 0, 0, b"\x00" * 4), dinf, stbl)
        hdlr = full_box(
            b"hdlr", 0, 0, b"\x00" * 4, handler, b"\x00" * 12, b"Core " + MARK + b"\x00"
        )
        mdhd = full_box(b"mdhd", 0, 0, created, struct.pack(">IIHH", 44100, samples * 1024, 0, 0))
        tkhd = full_box(
            b"tkhd",
            0,
            3,
            created,
            struct.pack(">III", 1, 0, 232),
            b"\x00" * 8,
            struct.pack(">hhhh", 0, 0, 0x0100, 0),
            matrix,
            struct.pack(">II", 0, 0),
        )
        trak = box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf), box(b"udta", box(b"name", MARK)))
        mvhd = full_box(
            b"mvhd",
            0,
            0,
            created,
            struct.pack(">II", 1000, 232),
            struct.pack(">IH", 0x10000, 0x0100),
            b"\x00" * 10,
            matrix,
            b"\x00" * 24,
            struct.pack(">I", 2),
        )
        location = box(b"\xa9xyz", struct.pack(">HH", 18, 0x15C7), b"+43.3170+045.6942/")
        return box(b"moov", mvhd, trak, box(b"udta", location))

    offset = len(ftyp) + len(moov(0)) + 8
    data = ftyp + moov(offset) + box(b"mdat", SAMPLE * samples) + box(b"uuid", b"\x00" * 16, MARK)
    data += box(b"free", b"left over: " + MARK)
    buffer = io.BytesIO(data)
    audio = MP4(buffer)
    audio.add_tags()
    audio.tags["\xa9nam"] = [MARKER]
    audio.tags["\xa9day"] = ["2024-05-01T12:00:00Z"]
    audio.tags["\xa9xyz"] = ["+43.3170+045.6942/"]
    audio.tags["covr"] = [jpeg_bytes()]
    audio.save(buffer)
    return buffer.getvalue()


def first_chunk_offset(data: bytes) -> int:
    pos = data.index(b"stco") + 4 + 4 + 4  # type, version/flags, entry count
    return int(struct.unpack(">I", data[pos : pos + 4])[0])


def test_m4a_voice_memo_loses_title_date_location_names_and_times() -> None:
    data = m4a()
    before = MP4(io.BytesIO(data))
    assert before.tags["\xa9nam"] == [MARKER] and data.count(MARK) >= 4
    assert data.count(b"+43.3170") == 2 and struct.pack(">I", 3_797_000_000) in data
    assert data[first_chunk_offset(data) :].startswith(SAMPLE * 10)

    cleaned = clean_file(name="New Recording 12.m4a", data=data)

    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == ("audio", "audio/mp4", "m4a")
    assert MARK not in cleaned.data and b"+43.3170" not in cleaned.data
    assert struct.pack(">I", 3_797_000_000) not in cleaned.data  # creation times zeroed
    assert len(cleaned.data) == len(data)  # same sizes: every offset still right...
    assert cleaned.data[first_chunk_offset(cleaned.data) :].startswith(SAMPLE * 10)  # ...here
    after = MP4(io.BytesIO(cleaned.data))
    assert not after.tags
    assert after.info.length == pytest.approx(before.info.length)
    assert after.info.codec == "mp4a.40.2"


def test_mp4_with_a_video_track_is_refused() -> None:
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="clip.mp4", data=m4a(handler=b"vide"))
    assert refused.value.code == "not_accepted"


def marked_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack("<800h", *range(-400, 400)))
    riff = buffer.getvalue()
    info = b"INFO" + b"INAM" + struct.pack("<I", len(MARK) + 1) + MARK + b"\x00"
    extra = b"LIST" + struct.pack("<I", len(info)) + info
    extra += b"bext" + struct.pack("<I", 12) + MARK + b"\x00"
    body = riff[12:36] + extra + riff[36:]  # after the fmt chunk, before data
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def test_wav_keeps_only_format_and_sound() -> None:
    data = marked_wav()
    assert data.count(MARK) == 2
    cleaned = clean_file(name="rec.wav", data=data)
    assert (cleaned.kind, cleaned.content_type, cleaned.extension) == ("audio", "audio/wav", "wav")
    assert MARK not in cleaned.data and b"LIST" not in cleaned.data
    with wave.open(io.BytesIO(cleaned.data)) as result:
        assert result.getnframes() == 800
        assert result.readframes(800) == struct.pack("<800h", *range(-400, 400))
    assert WAVE(io.BytesIO(cleaned.data)).info.length == pytest.approx(0.1)


# --- Refusals ------------------------------------------------------------------------------------


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        ("scan.pdf", png_bytes(), "mismatch", files.LOOKS_LIKE["pdf"]),
        ("photo.jpg", b"just some words\n", "mismatch", files.LOOKS_LIKE["image"]),
        ("voice.ogg", jpeg_bytes(), "mismatch", files.LOOKS_LIKE["audio"]),
        ("photo.jpg", zip_bytes(), "mismatch", files.LOOKS_LIKE["image"]),
        ("photo.txt", jpeg_bytes(), "mismatch", files.NAME_MISMATCH),
        ("photo.jpg.exe", jpeg_bytes(), "mismatch", files.NAME_MISMATCH),
        ("page.html", html(), "not_accepted", files.NOT_ACCEPTED),
        ("archive.zip", zip_bytes(), "not_accepted", files.NOT_ACCEPTED),
        ("no-extension", b"MZ\x90\x00", "not_accepted", files.NOT_ACCEPTED),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not_accepted", files.NOT_ACCEPTED),
        (
            "IMG_1.heic",
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
            "not_accepted",
            files.NOT_ACCEPTED,
        ),
        ("photo.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not_accepted", files.NOT_ACCEPTED),
        (
            "voice.aac",
            b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(50),
            "not_accepted",
            files.NOT_ACCEPTED,
        ),
        ("photo.jpg", jpeg_bytes()[:400], "damaged", files.DAMAGED),
        ("doc.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "damaged", files.DAMAGED),
        ("song.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 100, "damaged", files.DAMAGED),
        ("memo.m4a", m4a()[:300], "damaged", files.DAMAGED),
        ("note.ogg", ogg_opus()[:60], "damaged", files.DAMAGED),
        ("empty.jpg", b"", "empty", files.EMPTY),
    ],
    ids=[
        "png-named-pdf",
        "text-named-jpg",
        "jpeg-named-ogg",
        "zip-named-jpg",
        "jpeg-named-txt",
        "jpeg-named-exe",
        "html",
        "zip",
        "exe-no-extension",
        "gif",
        "heic",
        "gif-named-jpg",
        "adts-aac",
        "truncated-jpeg",
        "truncated-pdf",
        "mp3-without-frames",
        "truncated-m4a",
        "truncated-ogg",
        "empty",
    ],
)
def test_refused(name: str, data: bytes, code: str, message: Any) -> None:
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name=name, data=data)
    assert refused.value.code == code
    assert refused.value.message == message
    text = str(refused.value.message)
    assert text and str(refused.value) == text
    assert name not in text


def test_kind_not_taken_by_this_form_is_refused() -> None:
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="a.pdf", data=marked_pdf(), kinds=frozenset({"image"}))
    assert refused.value.code == "not_allowed"
    assert clean_file(name="a.png", data=png_bytes(), kinds=frozenset({"image"})).kind == "image"


def test_too_large_file_is_refused(settings: Any) -> None:
    settings.PASSAGE_UPLOAD_FILE_BYTES = 1024
    with pytest.raises(UnsafeFile) as refused:
        clean_file(name="a.png", data=png_bytes(Image.effect_noise((64, 64), 50)))
    assert refused.value.code == "too_large"


def test_unknown_kinds_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        clean_file(name="a.png", data=png_bytes(), kinds=frozenset({"video"}))


def test_result_is_frozen() -> None:
    cleaned = clean_file(name="a.png", data=png_bytes())
    assert isinstance(cleaned, CleanFile)
    with pytest.raises(AttributeError):
        cleaned.data = b""  # type: ignore[misc]


# --- Nothing on disk -----------------------------------------------------------------------------


SAMPLES: list[tuple[str, Callable[[], bytes]]] = [
    ("a.jpg", phone_jpeg),
    ("a.png", marked_png),
    ("a.webp", lambda: webp_bytes(exif=exif_with_gps(), xmp=xmp())),
    ("a.pdf", marked_pdf),
    ("a.opus", ogg_opus),
    ("a.ogg", ogg_vorbis),
    ("a.mp3", tagged_mp3),
    ("a.m4a", m4a),
    ("a.wav", marked_wav),
]


def test_nothing_is_written_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = [(name, build()) for name, build in SAMPLES]
    for name, data in inputs:  # every parser and plugin imported and warmed up once
        clean_file(name=name, data=data)

    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("clean_file touched the file system")

    for target, attribute in [
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (tempfile, "NamedTemporaryFile"),
        (tempfile, "TemporaryFile"),
        (tempfile, "SpooledTemporaryFile"),
        (tempfile, "mkstemp"),
        (tempfile, "mkdtemp"),
    ]:
        monkeypatch.setattr(target, attribute, no_disk)
    for name, data in inputs:
        assert MARK not in clean_file(name=name, data=data).data


def test_module_uses_no_temporary_files() -> None:
    source = inspect.getsource(files)
    code = source.split('"""', 2)[2]  # the docstring may say what is not used
    for word in ("tempfile", "NamedTemporaryFile", "open(", ".write_bytes", "Path("):
        assert word not in code.replace("Image.open(", "")
