"""Every string a public page can show is translated into the five public languages.

The person asking for help reads Russian, Arabic, Persian, French or Spanish, often on a watched
phone: a page that falls back to English half-way through is frightening and may be unusable.
The public strings are collected from the public source files themselves (templates and Python),
not from the catalogues, so a new string that nobody translated fails here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.utils import translation

LANGUAGES = ["ru", "ar", "fa", "fr", "es"]
SRC = Path(settings.BASE_DIR)

PUBLIC_TEMPLATE_GLOBS = [
    "intake/templates/intake/public/*.html",
    "core/templates/core/public_base.html",
    "core/templates/core/errors/*.html",
    "core/templates/core/includes/field.html",
    "core/templates/core/includes/checkboxes.html",
    "core/templates/core/includes/error_summary.html",
]
PUBLIC_PYTHON = [
    "intake/forms/public.py",
    "intake/services/public.py",
    "intake/views/public.py",
    "intake/exceptions.py",
    "core/files.py",
    "core/uploads.py",
    "core/surge.py",
    "intake/replies.py",  # reply templates: staff send them to the person's mailbox
]
# Only these classes of these modules are public (the rest of intake/models.py is staff-only).
PUBLIC_PYTHON_CLASSES = {"intake/models.py": {"Status"}}
# Only these functions of these modules are public: the decline reply goes to the person, the
# rest of screening.py is errors for staff.
PUBLIC_PYTHON_FUNCTIONS = {"intake/services/screening.py": {"decline_text"}}

# Names that stay as they are in every language.
SAME_IN_EVERY_LANGUAGE = {"Signal", "WhatsApp", "Telegram"}
# Words that are spelt the same in English and in that language.
SAME_IN_LANGUAGE = {"es": {"Error:", "No"}}

GETTEXT_FUNCTIONS = {
    # name: (index of the context argument or None, number of message arguments)
    "_": (None, 1),
    "gettext": (None, 1),
    "gettext_lazy": (None, 1),
    "gettext_noop": (None, 1),
    "ngettext": (None, 2),
    "ngettext_lazy": (None, 2),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 2),
    "npgettext_lazy": (0, 2),
}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None
    source: str = ""


# --- Collecting the public strings from the source --------------------------------------------

_QUOTED = r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)')"""
_TRANSLATE_TAG = re.compile(
    r"\{%\s*(?:translate|trans)\s+" + _QUOTED + r"(?P<rest>[^%]*)%\}", re.DOTALL
)
_UNDERSCORE = re.compile(r"\b_\(\s*" + _QUOTED + r"\s*\)")
_BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%\}(?P<body>.*?)"
    r"\{%\s*endblocktrans(?:late)?\s*%\}",
    re.DOTALL,
)
_PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
_BLOCK_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_CONTEXT_ARG = re.compile(r"\bcontext\s+" + _QUOTED)
_COMMENT = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.DOTALL)


def _quoted(match: re.Match[str]) -> str:
    text = match.group("dq") if match.group("dq") is not None else match.group("sq")
    return re.sub(r"\\(.)", r"\1", text)


def _block_text(part: str, *, trimmed: bool) -> str:
    """A blocktranslate body as makemessages writes it: ``{{ x }}`` -> ``%(x)s``, ``%`` -> ``%%``,
    and with ``trimmed`` the whitespace (newlines included) collapsed to single spaces."""
    if trimmed:
        part = " ".join(part.split())
    return _BLOCK_VARIABLE.sub(r"%(\1)s", part.replace("%", "%%"))


def template_messages(path: Path) -> list[Message]:
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    source = str(path.relative_to(SRC))
    found: list[Message] = []
    for match in _TRANSLATE_TAG.finditer(text):
        if re.search(r"\bnoop\b", match.group("rest")):
            continue
        context = _CONTEXT_ARG.search(match.group("rest"))
        found.append(
            Message(_quoted(match), context=_quoted(context) if context else None, source=source)
        )
    for match in _UNDERSCORE.finditer(text):
        found.append(Message(_quoted(match), source=source))
    for match in _BLOCK.finditer(text):
        args = match.group("args")
        trimmed = "trimmed" in args.split()
        context = _CONTEXT_ARG.search(args)
        parts = [_block_text(p, trimmed=trimmed) for p in _PLURAL_TAG.split(match.group("body"))]
        found.append(
            Message(
                parts[0],
                plural=parts[1] if len(parts) > 1 else None,
                context=_quoted(context) if context else None,
                source=source,
            )
        )
    return found


def _string_argument(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_messages(
    path: Path, classes: set[str] | None = None, functions: set[str] | None = None
) -> list[Message]:
    """The literal gettext calls of a module (implicitly concatenated literals are one
    constant to ``ast``); with ``classes`` or ``functions``, only those inside classes or
    functions of these names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    source = str(path.relative_to(SRC))
    roots: list[ast.AST] = [tree]
    if classes is not None or functions is not None:
        roots = [
            n
            for n in ast.walk(tree)
            if (isinstance(n, ast.ClassDef) and n.name in (classes or set()))
            or (
                isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                and n.name in (functions or set())
            )
        ]
        assert roots, f"{source}: none of {classes or functions} found: update this test"
    found: list[Message] = []
    for root in roots:
        for node in ast.walk(root):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            spec = GETTEXT_FUNCTIONS.get(node.func.id)
            if spec is None:
                continue
            context_index, count = spec
            start = 0 if context_index is None else 1
            found_args = [_string_argument(a) for a in node.args[: start + count]]
            args = [a for a in found_args if a is not None]
            if len(args) < start + count:
                continue  # not a literal: makemessages cannot extract it either
            found.append(
                Message(
                    args[start],
                    plural=args[start + 1] if count == 2 else None,
                    context=args[0] if context_index is not None else None,
                    source=source,
                )
            )
    return found


def public_template_files() -> list[Path]:
    files: list[Path] = []
    for pattern in PUBLIC_TEMPLATE_GLOBS:
        files.extend(sorted(SRC.glob(pattern)))
    return files


@cache
def public_messages() -> tuple[Message, ...]:
    found: list[Message] = []
    for path in public_template_files():
        found.extend(template_messages(path))
    for name in PUBLIC_PYTHON:
        found.extend(python_messages(SRC / name))
    for name, classes in PUBLIC_PYTHON_CLASSES.items():
        found.extend(python_messages(SRC / name, classes))
    for name, functions in PUBLIC_PYTHON_FUNCTIONS.items():
        found.extend(python_messages(SRC / name, functions=functions))
    unique: dict[tuple[str | None, str], Message] = {}
    for message in found:
        unique.setdefault((message.context, message.msgid), message)
    return tuple(unique.values())


def test_the_collector_finds_the_public_strings() -> None:
    """A guard for the guard: if the collector broke, every other test here would pass."""
    for name in PUBLIC_PYTHON + list(PUBLIC_PYTHON_CLASSES) + list(PUBLIC_PYTHON_FUNCTIONS):
        assert (SRC / name).is_file(), f"public source file {name} is gone: update this test"
    assert len(public_template_files()) >= 20
    msgids = {m.msgid for m in public_messages()}
    for expected in (
        "Leave quickly",  # public_base.html
        "optional",  # field.html, {{ _("...") }}
        "You have sent us %(counter)s message.",  # blocktranslate count
        "Which country are you in now?",  # forms/public.py, gettext_lazy
        "We never share it.",
        "These words do not open a mailbox. Check each word and the order, and try again.",
        "This file is empty.",  # core/files.py
        "We are working on it",  # HelpRequest.Status
        "Many people are asking for help right now.",  # errors/busy.html
        "Staying safe meanwhile",  # intake/replies.py
        "Stay safe. You can still write to us here if something changes.",  # decline_text
    ):
        assert expected in msgids
    assert "Hostile" not in msgids  # HelpRequest.State: staff only
    assert "Give a reason for declining." not in msgids  # screening.py: staff only
    assert len(msgids) > 150


# --- The catalogues ---------------------------------------------------------------------------


def po_path(lang: str) -> Path:
    return SRC / "locale" / lang / "LC_MESSAGES" / "django.po"


@cache
def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(po_path(lang)))


def nplurals(po: polib._BaseFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert match, "the catalogue has no Plural-Forms header"
    return int(match.group(1))


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{\{\s*\w+\s*\}\}|\{\w*\}")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_string_is_translated(lang: str) -> None:
    po = catalogue(lang)
    assert po.metadata.get("Language") == lang
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    forms = nplurals(po)
    same = SAME_IN_EVERY_LANGUAGE | SAME_IN_LANGUAGE.get(lang, set())
    problems: list[str] = []
    for message in public_messages():
        entry = entries.get((message.context, message.msgid))
        where = f"{message.source}: {message.msgid!r}"
        if entry is None:
            problems.append(f"not in the catalogue (run makemessages): {where}")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        if message.plural is not None:
            if entry.msgid_plural != message.plural:
                problems.append(f"plural form differs from the source: {where}")
            texts = [entry.msgstr_plural.get(i, "") for i in range(forms)]
        else:
            texts = [entry.msgstr]
        for text in texts:
            if not text.strip():
                problems.append(f"untranslated (or a plural form missing): {where}")
            elif text == message.msgid and message.msgid not in same:
                problems.append(f"left in English: {where}")
            elif not placeholders(text) <= placeholders(message.msgid + (message.plural or "")):
                problems.append(f"unknown placeholder in {text!r}: {where}")
        if message.plural is None and placeholders(entry.msgstr) != placeholders(message.msgid):
            problems.append(f"placeholders differ in {entry.msgstr!r}: {where}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def _translations(catalog: polib._BaseFile) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(context, msgid) -> its translation(s), for the entries msgfmt compiles."""
    result: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in catalog:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            value = tuple(forms[k] for k in sorted(forms, key=int))
        else:
            value = (entry.msgstr,)
        if any(value):
            result[(entry.msgctxt, entry.msgid)] = value
    return result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    """msgfmt skips fuzzy and empty entries, as ``_translations`` does."""
    mo_path = po_path(lang).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run compilemessages"
    po = catalogue(lang)
    mo = polib.mofile(str(mo_path))
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")
    expected, compiled = _translations(po), _translations(mo)
    stale = sorted(
        str(key[1])[:60]
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, f"{lang}: django.mo is out of date (run compilemessages): {stale[:10]}"


# --- The rendered pages -----------------------------------------------------------------------

_SKIPPED_TAGS = {"script", "style", "template"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _VisibleText(HTMLParser):
    """The text a person can see or hear: element text, the <title>, and the attributes a
    browser or a screen reader shows (alt, title, placeholder, aria-label, button values).
    The language switcher's native names are left out."""

    ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        skipped = tag in _SKIPPED_TAGS or "language-switcher" in classes
        if not self._skipping() and not skipped:
            self.parts.extend(values[a] or "" for a in self.ATTRIBUTES if values.get(a))
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.parts.append(values.get("value") or "")
        if tag not in _VOID_TAGS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = " ".join(" ".join(parser.parts).split())
    for configured in (settings.PASSAGE_PUBLIC_TITLE, settings.PASSAGE_PUBLIC_WELCOME):
        if configured:
            text = text.replace(" ".join(str(configured).split()), " ")
    return text


def _english_phrases() -> list[str]:
    """Public English strings long enough that finding one means a missing translation."""
    phrases: set[str] = set()
    for message in public_messages():
        for text in filter(None, (message.msgid, message.plural)):
            words = _PLACEHOLDER.sub(" ", text).replace("%%", "%").split()
            if len(words) > 3:
                phrases.add(" ".join(text.split()))
    return sorted(phrases)


def english_in(text: str) -> list[str]:
    found = []
    for phrase in _english_phrases():
        # A placeholder matches anything short: "You have sent us 2 messages."
        pattern = r"\s*".join(
            ".{0,40}?" if _PLACEHOLDER.fullmatch(part) else re.escape(part)
            for part in re.split(r"(%\(\w+\)[sdif])", phrase)
            if part
        )
        if re.search(pattern, text):
            found.append(phrase)
    return found


def assert_no_english(lang: str, page: str, html: str) -> None:
    text = visible_text(html)
    assert len(text) > 40, f"{page}: no text found"
    found = english_in(text)
    assert not found, f"{lang} {page} shows English: {found}"


@pytest.mark.django_db
@pytest.mark.usefixtures("memstore")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_show_no_english(lang: str) -> None:
    client = Client()
    for page in (f"/{lang}/", f"/{lang}/mailbox/", f"/{lang}/privacy/"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response["Content-Language"] == lang
        assert_no_english(lang, page, response.content.decode())

    # A form with errors: the error summary, the field errors, our own refusals.
    response = client.post(f"/{lang}/mailbox/", {"codename": "not a real codename"})
    assert response.status_code == 400
    assert_no_english(lang, "sign-in refused", response.content.decode())
    response = client.post(f"/{lang}/request/", {"country": "RU"})
    assert response.status_code == 400
    assert_no_english(lang, "first step with errors", response.content.decode())

    # The first step, the receipt, then the mailbox itself.
    response = client.post(
        f"/{lang}/request/", {"country": "RU", "urgency": "immediate", "language": lang}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="codename"' in html
    assert_no_english(lang, "receipt", html)
    response = client.get(f"/{lang}/mailbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "contact-phrase" in html
    assert_no_english(lang, "mailbox", html)
    response = client.post(f"/{lang}/mailbox/message/", {"text": ""})
    assert response.status_code == 400
    assert_no_english(lang, "empty message refused", response.content.decode())


def _error_templates() -> Iterator[str]:
    for path in sorted((SRC / "core/templates/core/errors").glob("*.html")):
        if path.name != "error_base.html":
            yield f"core/errors/{path.name}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_pages_show_no_english(lang: str) -> None:
    """Error pages (and the busy page) are rendered as core/views.py and core/surge.py do:
    without a request, in the language already active."""
    context = {
        "public_title": settings.PASSAGE_PUBLIC_TITLE,
        "quick_exit_url": settings.PASSAGE_QUICK_EXIT_URL,
        "request_id": "0123456789abcdef",
    }
    with translation.override(lang):
        for name in _error_templates():
            assert_no_english(lang, name, loader.render_to_string(name, context))
