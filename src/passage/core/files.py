"""Uploaded files made safe before they are sealed: real type checked, metadata stripped.

``clean_file(name=..., data=...)`` takes the bytes of one upload and gives back a ``CleanFile``
whose bytes may be sealed or encrypted, or raises ``UnsafeFile`` with a short message for the
person who sent it (never the file's name or anything from inside it).

- The type comes from the content (magic bytes), never from the name or the browser's content
  type. A name whose extension claims another kind of file is refused; a picture named as
  another picture format (a PNG called ``.jpg``) is accepted under its real format.
- Pictures (JPEG, PNG, WebP) are decoded and re-encoded from their pixels only, after the EXIF
  orientation is applied: no EXIF (GPS, camera, time), XMP, IPTC, ICC profile or text chunks
  survive. An ICC profile is first converted into sRGB, so colours stay right. Animated
  pictures keep their first frame. GIF is not accepted (phones do not take GIF photos, and an
  animated GIF cannot be re-encoded frame by frame without keeping its extension blocks).
- PDFs are rewritten page by page: no /Info, no XMP, no page-piece data, no JavaScript or other
  actions (links inside the document stay), no embedded files or media, no annotation authors
  or dates, no metadata segments in embedded JPEG images. Encrypted PDFs are refused.
- Sound recordings (Ogg Opus/Vorbis, MP3, MP4/M4A, WAV) lose every tag: Vorbis comments
  (with cover art) and their vendor string, ID3v1/ID3v2/APEv2 (anything that is not an MPEG
  frame), MP4 ``udta``/``meta``/``uuid`` boxes (``©nam``, ``©day``, ``©xyz``...) and the
  creation times, WAV chunks other than the sound itself.

Nothing in this module writes to disk: no ``tempfile``, no ``NamedTemporaryFile``, no path
anywhere. Every parser (Pillow, pypdf, mutagen) works on ``bytes`` or an ``io.BytesIO``.
"""

from __future__ import annotations

import contextlib
import io
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from mutagen.apev2 import delete as delete_apev2
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE
from PIL import Image, ImageCms, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

KINDS = frozenset({"image", "pdf", "audio"})
# 50 megapixels (the largest photos phones take by default); beyond it a small file can
# decode into gigabytes of pixels.
MAX_PIXELS = 50 * 1024 * 1024

NOT_ACCEPTED = _("This file is not a picture, a PDF or a sound recording we can accept.")
NOT_ALLOWED_HERE = _("This kind of file cannot be sent here.")
LOOKS_LIKE = {
    "image": _("This file looks like a picture but is not one."),
    "pdf": _("This file looks like a PDF but is not one."),
    "audio": _("This file looks like a sound recording but is not one."),
}
NAME_MISMATCH = _("The name of this file does not match what is inside it.")
DAMAGED = _("This file could not be read; it may be damaged.")
EMPTY = _("This file is empty.")
TOO_LARGE = _("This file is too large.")
TOO_MANY_PIXELS = _("This picture is too large.")
ENCRYPTED_PDF = _("This PDF is locked with a password. Please send it without the lock.")


class UnsafeFile(Exception):
    """A file we will not keep.

    ``message`` may be shown to the person who sent it (it names no file and quotes nothing
    from it); ``code`` says which rule was broken: ``empty``, ``too_large``, ``not_accepted``,
    ``not_allowed``, ``mismatch``, ``damaged``, ``too_many_pixels`` or ``encrypted``.
    """

    def __init__(self, message: Promise, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanFile:
    kind: str  # "image", "pdf" or "audio"
    content_type: str  # e.g. "image/jpeg"
    extension: str  # without the dot: "jpg", "png", "webp", "pdf", "ogg", "mp3", "m4a", "wav"
    data: bytes


@dataclass(frozen=True)
class _Format:
    kind: str
    content_type: str
    extension: str
    names: frozenset[str]  # extensions a file of this format may be named with


_FORMATS = {
    "jpeg": _Format("image", "image/jpeg", "jpg", frozenset({"jpg", "jpeg", "jpe", "jfif"})),
    "png": _Format("image", "image/png", "png", frozenset({"png"})),
    "webp": _Format("image", "image/webp", "webp", frozenset({"webp"})),
    "pdf": _Format("pdf", "application/pdf", "pdf", frozenset({"pdf"})),
    "ogg": _Format("audio", "audio/ogg", "ogg", frozenset({"ogg", "oga", "opus"})),
    "mp3": _Format("audio", "audio/mpeg", "mp3", frozenset({"mp3"})),
    "mp4": _Format("audio", "audio/mp4", "m4a", frozenset({"m4a", "mp4", "aac"})),
    "wav": _Format("audio", "audio/wav", "wav", frozenset({"wav", "wave"})),
}
# ISO base media files that are pictures (HEIC, AVIF), not sound: not accepted.
_PICTURE_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)


def _refuse(message: Promise, code: str) -> UnsafeFile:
    return UnsafeFile(message, code=code)


def clean_file(*, name: str, data: bytes, kinds: frozenset[str] = KINDS) -> CleanFile:
    """The file, checked and without metadata; ``UnsafeFile`` if it cannot be accepted.

    ``name`` is only used for its extension (which must agree with the content); ``kinds``
    says which of "image", "pdf" and "audio" this form takes.
    """
    if not kinds or not kinds <= KINDS:
        raise ValueError("kinds must be a non-empty subset of image, pdf and audio")
    if not data:
        raise _refuse(EMPTY, "empty")
    if len(data) > settings.PASSAGE_UPLOAD_FILE_BYTES:
        raise _refuse(TOO_LARGE, "too_large")
    extension = _extension(name)
    claimed = next((f.kind for f in _FORMATS.values() if extension in f.names), None)
    key = _sniff(data)
    if key is None:
        if claimed is not None and not _known_but_not_accepted(data):
            raise _refuse(LOOKS_LIKE[claimed], "mismatch")
        raise _refuse(NOT_ACCEPTED, "not_accepted")
    fmt = _FORMATS[key]
    if extension and extension not in fmt.names:
        if claimed is None:
            raise _refuse(NAME_MISMATCH, "mismatch")
        if claimed != fmt.kind:
            raise _refuse(LOOKS_LIKE[claimed], "mismatch")
    if fmt.kind not in kinds:
        raise _refuse(NOT_ALLOWED_HERE, "not_allowed")
    cleaned = _CLEANERS[key](data)
    return CleanFile(
        kind=fmt.kind, content_type=fmt.content_type, extension=fmt.extension, data=cleaned
    )


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem:
        return ""
    return extension.strip().lower()


def _sniff(data: bytes) -> str | None:
    """The format the content really is (one of ``_FORMATS``), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"OggS"):
        return "ogg"
    if data[4:8] == b"ftyp":
        return None if data[8:12] in _PICTURE_BRANDS else "mp4"
    if data.startswith(b"ID3") or _mpeg_frame_length(data, 0) is not None:
        return "mp3"
    return None


# Pictures and sound in formats we do not take: "not accepted", even when the name claims a
# picture or a recording (saying "this is not a picture" of a GIF would be untrue).
_NOT_ACCEPTED_MAGIC = (
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"#!AMR",
    b"fLaC",
    b"caff",
)


def _known_but_not_accepted(data: bytes) -> bool:
    if data.startswith(_NOT_ACCEPTED_MAGIC) or (
        data[4:8] == b"ftyp" and data[8:12] in _PICTURE_BRANDS
    ):
        return True
    return len(data) > 1 and data[0] == 0xFF and data[1] & 0xF6 == 0xF0  # AAC in ADTS frames


# --- Pictures ------------------------------------------------------------------------------------

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _clean_image(data: bytes, key: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[key]]) as image:
            width, height = image.size
            if width < 1 or height < 1:
                raise _refuse(DAMAGED, "damaged")
            if width * height > MAX_PIXELS:
                raise _refuse(TOO_MANY_PIXELS, "too_many_pixels")
            image.load()
            icc = image.info.get("icc_profile")
            _turn_upright(image)
            picture = _plain_mode(_in_srgb(image, icc), key)
            # A new image holds the pixels and nothing else (its info is empty). With the steps
            # above done in place where they can be, at most three copies of the pixels exist.
            clean = Image.new(picture.mode, picture.size)
            clean.paste(picture, (0, 0))
            del picture
            out = io.BytesIO()
            if key == "jpeg":
                clean.save(out, format="JPEG", quality=90)
            elif key == "png":
                clean.save(out, format="PNG")
            elif _webp_is_lossless(data):
                clean.save(out, format="WEBP", lossless=True)
            else:
                clean.save(out, format="WEBP", quality=90)
    except UnsafeFile:
        raise
    except Image.DecompressionBombError:
        raise _refuse(TOO_MANY_PIXELS, "too_many_pixels") from None
    except Exception:
        # Pillow reports broken files with OSError, SyntaxError, ValueError, struct.error...
        raise _refuse(DAMAGED, "damaged") from None
    return out.getvalue()


def _turn_upright(image: Image.Image) -> None:
    """Turn the picture as its EXIF orientation says, so it looks right without the EXIF."""
    # Unreadable EXIF: the pixels are fine and stay as they were stored.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)


def _in_srgb(picture: Image.Image, icc: object) -> Image.Image:
    """The picture converted from its ICC profile into sRGB, so the profile can go."""
    if not isinstance(icc, bytes) or not icc or picture.mode not in {"RGB", "RGBA", "CMYK"}:
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        if picture.mode == "CMYK":
            converted = ImageCms.profileToProfile(picture, source, target, outputMode="RGB")
            return converted if converted is not None else picture
        ImageCms.profileToProfile(picture, source, target, inPlace=True)
    except (ImageCms.PyCMSError, OSError, ValueError):
        pass  # a profile that cannot be read: the pixels stay as they are
    return picture


def _plain_mode(picture: Image.Image, key: str) -> Image.Image:
    """A pixel mode the format stores directly, with transparency as an alpha channel."""
    transparent = "transparency" in picture.info or picture.mode in {"LA", "PA", "RGBA", "La"}
    if key == "jpeg":
        return picture if picture.mode in {"L", "RGB"} else picture.convert("RGB")
    if key == "png":
        if picture.mode in {"1", "L", "RGB"} and not transparent:
            return picture
        if picture.mode in {"LA", "RGBA", "I;16"}:
            return picture
        return picture.convert("RGBA" if transparent else "RGB")
    if picture.mode in {"RGB", "RGBA"} and "transparency" not in picture.info:
        return picture
    return picture.convert("RGBA" if transparent else "RGB")


def _webp_is_lossless(data: bytes) -> bool:
    try:
        return any(chunk == b"VP8L" for chunk, _start, _end in _riff_chunks(data))
    except ValueError:
        return False


# --- PDF -----------------------------------------------------------------------------------------

# Taken off every page as it is copied.
_PAGE_KEYS_DROPPED = ("/Metadata", "/PieceInfo", "/AA", "/LastModified")
# Taken off every dictionary of the rewritten document.
_KEYS_DROPPED = (
    "/Metadata",
    "/PieceInfo",
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/EmbeddedFiles",
    "/EF",
    "/Next",
    "/LastModified",
)
# Annotations that carry files, sound, video or scripts.
_ANNOTATIONS_DROPPED = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
# What an annotation says about who made it, and when.
_ANNOTATION_KEYS_DROPPED = ("/T", "/M", "/CreationDate", "/NM")


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _refuse(ENCRYPTED_PDF, "encrypted")
        # Pages only: the catalog (with its /OpenAction, /Names with scripts and embedded
        # files, /AcroForm, /Outlines, /Metadata) and the trailer's /Info stay behind.
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page, excluded_keys=_PAGE_KEYS_DROPPED)
        writer.metadata = None  # no /Info (pypdf would write its /Producer)
        _scrub(writer)
        out = io.BytesIO()
        writer.write(out)
        cleaned = out.getvalue()
        if len(PdfReader(io.BytesIO(cleaned)).pages) != len(reader.pages):
            raise _refuse(DAMAGED, "damaged")
    except UnsafeFile:
        raise
    except Exception:
        # pypdf reports broken files with PdfReadError, ValueError, KeyError, TypeError...
        raise _refuse(DAMAGED, "damaged") from None
    return cleaned


def _scrub(writer: PdfWriter) -> None:
    """Remove metadata and active content from every object reachable from the catalog, then
    every object that is no longer reachable (a dropped attachment, a page's old XMP stream):
    pypdf writes all the objects it holds, referenced or not."""
    root = writer.root_object.indirect_reference
    stack: list[PdfObject | None] = [root]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            _scrub_dictionary(item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    if root is None or root.idnum not in seen:
        raise ValueError("catalog not reached")
    for index in range(len(writer._objects)):
        if index + 1 not in seen:
            writer._objects[index] = None  # written as a free entry


def _scrub_dictionary(item: DictionaryObject) -> None:
    for key in _KEYS_DROPPED:
        item.pop(key, None)
    action = item.get("/A")
    if action is not None:
        target = action.get_object()
        # Only a jump inside the document stays: no script, launch, web address, form
        # submission or other file.
        if not isinstance(target, DictionaryObject) or target.get("/S") != "/GoTo":
            del item["/A"]
    annotations = item.get("/Annots")
    if annotations is not None:
        kept = ArrayObject(
            ref
            for ref in annotations.get_object()
            if not (
                isinstance(ref.get_object(), DictionaryObject)
                and ref.get_object().get("/Subtype") in _ANNOTATIONS_DROPPED
            )
        )
        item[NameObject("/Annots")] = kept
    if "/Rect" in item and "/Subtype" in item:  # an annotation
        for key in _ANNOTATION_KEYS_DROPPED:
            item.pop(key, None)
    if isinstance(item, StreamObject) and item.get("/Subtype") == "/Image":
        _scrub_image_stream(item)


def _scrub_image_stream(stream: StreamObject) -> None:
    filters = stream.get("/Filter")
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) == 1 else None
    if filters == "/DCTDecode":
        raw = StreamObject.get_data(stream)  # the encoded bytes: a JPEG file
        StreamObject.set_data(stream, _jpeg_without_metadata(raw))
        stream.decoded_self = None
    elif filters == "/JPXDecode":
        raw = StreamObject.get_data(stream)
        StreamObject.set_data(stream, _jp2_without_metadata(raw))
        stream.decoded_self = None


# JPEG segments kept: JFIF (APP0) and Adobe (APP14, it says how colours are stored); all other
# application segments (EXIF, XMP, ICC, IPTC, maker notes) and comments go.
_JPEG_KEPT_APP = frozenset({0xE0, 0xEE})


def _jpeg_without_metadata(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while True:
        if pos >= len(data) or data[pos] != 0xFF:
            raise ValueError("broken JPEG segment")
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1  # fill bytes
        if pos >= len(data):
            raise ValueError("broken JPEG segment")
        marker = data[pos]
        pos += 1
        if marker == 0xD9 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += bytes((0xFF, marker))
            if marker == 0xD9:
                return bytes(out)
            continue
        if pos + 2 > len(data):
            raise ValueError("broken JPEG segment")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > len(data):
            raise ValueError("broken JPEG segment")
        segment = data[pos : pos + length]
        if marker == 0xDA:  # start of scan: entropy-coded data follows, up to the end
            out += bytes((0xFF, marker)) + data[pos:]
            return bytes(out)
        if not ((0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APP) or marker == 0xFE):
            out += bytes((0xFF, marker)) + segment
        pos += length


# JPEG 2000 boxes that hold only metadata (XML/XMP, UUID boxes, UUID info).
_JP2_DROPPED = frozenset({b"xml ", b"uuid", b"uinf"})


def _jp2_without_metadata(data: bytes) -> bytes:
    if data[4:8] != b"jP  ":
        return data  # a bare codestream: no boxes
    return b"".join(
        data[start:end]
        for box, start, _body, end in _boxes(data, 0, len(data))
        if box not in _JP2_DROPPED
    )


# --- Sound recordings ----------------------------------------------------------------------------


def _mutagen(kind: Callable[..., Any], source: bytes | io.BytesIO) -> Any:
    """A mutagen object (untyped) read from bytes or a buffer in memory."""
    return kind(io.BytesIO(source) if isinstance(source, bytes) else source)


def _clean_ogg(data: bytes) -> bytes:
    try:
        first = _mutagen(OggPage, data)
        head = first.packets[0] if first.packets else b""
        if head.startswith(b"OpusHead"):
            kind: Callable[..., Any] = OggOpus
        elif head.startswith(b"\x01vorbis"):
            kind = OggVorbis
        else:
            raise _refuse(NOT_ACCEPTED, "not_accepted")  # Ogg FLAC, Speex, Theora video...
        _one_ogg_stream(data)
        buffer = io.BytesIO(data)
        audio = _mutagen(kind, buffer)
        if audio.tags is not None:
            audio.tags.vendor = ""
            if hasattr(audio.tags, "_pad_data"):
                # Opus keeps "binary data" after the comments; it goes too.
                audio.tags._pad_data = b""
            audio.delete(buffer)
        cleaned = buffer.getvalue()
        check = _mutagen(kind, cleaned)
        if check.tags is not None and (list(check.tags.keys()) or check.tags.vendor):
            raise _refuse(DAMAGED, "damaged")
    except UnsafeFile:
        raise
    except Exception:
        raise _refuse(DAMAGED, "damaged") from None
    return cleaned


def _one_ogg_stream(data: bytes) -> None:
    """Refuse chained or multiplexed Ogg (a second stream could be anything)."""
    fileobj = io.BytesIO(data)
    serials = set()
    while fileobj.tell() < len(data):
        try:
            page = _mutagen(OggPage, fileobj)
        except EOFError:
            break
        serials.add(page.serial)
        if len(serials) > 1:
            raise _refuse(NOT_ACCEPTED, "not_accepted")


# MPEG audio frame headers: bitrates (kbit/s) by (MPEG-1?, layer) and sample rates by version.
_MPEG_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MPEG_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
# Trailing bytes after the last frame dropped silently (a torn last frame); more is refused.
_MPEG_TRAILING_SLACK = 4096


def _mpeg_frame_length(data: bytes, pos: int) -> int | None:
    """The length of the MPEG audio frame starting at ``pos``, or None if none starts there."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 3
    layer = 4 - ((data[pos + 1] >> 1) & 3)  # 1, 2, 3 (4 is reserved)
    bitrate_index = data[pos + 2] >> 4
    rate_index = (data[pos + 2] >> 2) & 3
    padding = (data[pos + 2] >> 1) & 1
    if version == 1 or layer == 4 or bitrate_index in {0, 15} or rate_index == 3:
        return None  # reserved, free-format or bad values
    mpeg1 = version == 3
    bitrate = _MPEG_BITRATES[(mpeg1, layer)][bitrate_index] * 1000
    rate = _MPEG_SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    if layer == 3 and not mpeg1:
        return 72 * bitrate // rate + padding
    return 144 * bitrate // rate + padding


def _mpeg_frames_only(data: bytes) -> bytes:
    """The run of MPEG frames at the start; anything else (a tag of any kind) is left out."""
    start = 0
    while start < min(len(data), _MPEG_TRAILING_SLACK) and data[start] == 0:
        start += 1
    pos = start
    while (length := _mpeg_frame_length(data, pos)) is not None and pos + length <= len(data):
        pos += length
    if pos == start or len(data) - pos > _MPEG_TRAILING_SLACK:
        raise ValueError("not only MPEG frames")
    return data[start:pos]


def _clean_mp3(data: bytes) -> bytes:
    try:
        buffer = io.BytesIO(data)
        audio = _mutagen(MP3, buffer)
        audio.delete(buffer)  # ID3v2 at the start, ID3v1 at the end
        buffer.seek(0)
        delete_apev2(buffer)
        cleaned = _mpeg_frames_only(buffer.getvalue())
        if _mutagen(MP3, cleaned).tags is not None:
            raise _refuse(DAMAGED, "damaged")
    except UnsafeFile:
        raise
    except Exception:
        raise _refuse(DAMAGED, "damaged") from None
    return cleaned


def _boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """ISO base media boxes between ``start`` and ``end``: (type, start, body start, end)."""
    pos = start
    while pos < end:
        if pos + 8 > end:
            raise ValueError("truncated box")
        size, box = struct.unpack(">I4s", data[pos : pos + 8])
        body = pos + 8
        if size == 1:
            if pos + 16 > end:
                raise ValueError("truncated box")
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            body = pos + 16
        elif size == 0:
            size = end - pos  # to the end
        if size < body - pos or pos + size > end:
            raise ValueError("bad box size")
        yield box, pos, body, pos + size
        pos += size


# What each MP4 container may keep; any other child is overwritten with a "free" box of the
# same size (so no sample offset moves). Sample tables (stbl) are kept whole.
_MP4_KEPT = {
    # free/skip/wide are padding; they are zeroed too (an editor may leave old tags in them).
    b"": frozenset({b"ftyp", b"moov", b"mdat", b"moof", b"mfra"}),
    b"moov": frozenset({b"mvhd", b"trak", b"mvex", b"iods"}),
    b"trak": frozenset({b"tkhd", b"mdia", b"edts"}),
    b"mdia": frozenset({b"mdhd", b"hdlr", b"minf"}),
    b"minf": frozenset({b"smhd", b"hdlr", b"dinf", b"stbl"}),
}
_MP4_TIMES = frozenset({b"mvhd", b"tkhd", b"mdhd"})  # creation and modification times


def _clean_mp4(data: bytes) -> bytes:
    try:
        buffer = bytearray(data)
        handlers: list[bytes] = []
        _scrub_mp4(buffer, b"", 0, len(buffer), handlers)
        if not handlers or any(handler != b"soun" for handler in handlers):
            raise _refuse(NOT_ACCEPTED, "not_accepted")  # a video, or no sound at all
        cleaned = bytes(buffer)
        audio = _mutagen(MP4, cleaned)
        if audio.tags is not None and len(audio.tags):
            raise _refuse(DAMAGED, "damaged")
    except UnsafeFile:
        raise
    except Exception:
        raise _refuse(DAMAGED, "damaged") from None
    return cleaned


def _scrub_mp4(
    buffer: bytearray, parent: bytes, start: int, end: int, handlers: list[bytes]
) -> None:
    for box, box_start, body, box_end in list(_boxes(buffer, start, end)):
        if box not in _MP4_KEPT[parent]:
            # Same size, new name, zeroed body: every sample offset stays right.
            buffer[box_start + 4 : box_start + 8] = b"free"
            buffer[body:box_end] = bytes(box_end - body)
        elif box in _MP4_KEPT:
            _scrub_mp4(buffer, box, body, box_end, handlers)
        elif box in _MP4_TIMES:
            width = 8 if buffer[body] == 1 else 4  # version 1: 64-bit times
            if body + 4 + 2 * width > box_end:
                raise ValueError("short header box")
            buffer[body + 4 : body + 4 + 2 * width] = bytes(2 * width)
        elif box == b"hdlr":
            # version/flags, pre_defined, handler type, reserved; then a free-text name.
            if body + 24 > box_end:
                raise ValueError("short hdlr box")
            if parent == b"mdia":
                handlers.append(bytes(buffer[body + 8 : body + 12]))
            buffer[body + 24 : box_end] = bytes(box_end - body - 24)


def _riff_chunks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """RIFF chunks: (id, body start, body end); the pad byte after an odd body is skipped."""
    if len(data) < 12 or not data.startswith(b"RIFF"):
        raise ValueError("not RIFF")
    (size,) = struct.unpack("<I", data[4:8])
    end = min(8 + size, len(data))
    pos = 12
    while pos + 8 <= end:
        chunk, length = struct.unpack("<4sI", data[pos : pos + 8])
        if pos + 8 + length > end:
            raise ValueError("truncated chunk")
        yield chunk, pos + 8, pos + 8 + length
        pos += 8 + length + (length & 1)


# The chunks a WAV file needs to play; LIST/INFO, id3, bext (originator, date), iXML, cue...
# all go.
_WAV_KEPT = (b"fmt ", b"fact", b"data")


def _clean_wav(data: bytes) -> bytes:
    try:
        chunks: dict[bytes, bytes] = {}
        for chunk, body, end in _riff_chunks(data):
            if chunk in _WAV_KEPT and chunk not in chunks:
                chunks[chunk] = data[body:end]
        if b"fmt " not in chunks or b"data" not in chunks:
            raise ValueError("no sound")
        parts = [
            name + struct.pack("<I", len(part)) + part + b"\x00" * (len(part) & 1)
            for name in _WAV_KEPT
            if (part := chunks.get(name)) is not None
        ]
        inner = b"WAVE" + b"".join(parts)
        cleaned = b"RIFF" + struct.pack("<I", len(inner)) + inner
        _mutagen(WAVE, cleaned)
    except Exception:
        raise _refuse(DAMAGED, "damaged") from None
    return cleaned


_CLEANERS = {
    "jpeg": lambda data: _clean_image(data, "jpeg"),
    "png": lambda data: _clean_image(data, "png"),
    "webp": lambda data: _clean_image(data, "webp"),
    "pdf": _clean_pdf,
    "ogg": _clean_ogg,
    "mp3": _clean_mp3,
    "mp4": _clean_mp4,
    "wav": _clean_wav,
}
