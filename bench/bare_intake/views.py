"""The first step without the protection: what ``bench/intake.py`` compares the real one with.

Same server, same middleware (the surge limits included: the URL is public), same decorator
(``public_page``: language, Content-Language), same form (``FirstStepForm``), same two rows in
the same tables (``Mailbox`` and ``HelpRequest``) in one transaction, and the same receipt page
(``intake/public/receipt.html``, with the same context and an empty story form). Left out is
exactly what the protection costs:

- no codename generation, lookup HMAC or HKDF key derivation: the receipt shows a fixed codename
  and contact phrase, the mailbox row gets 32 random bytes as its unique lookup and no public key;
- no sealing: the first step's JSON document (the same one ``payloads.seal_document`` would seal)
  is written as plain bytes into ``HelpRequest.sealed``, and the contact phrase as plain bytes;
- no audit entry (``transaction.atomic`` instead of ``audit.atomic`` + ``audit.record``);
- no mailbox session in the memory store (it holds the codename-derived private key) and so no
  mailbox cookie.

Rows it writes carry ``intake_key_id="bare"``; they are unsealed, so only ever in a bench database.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from passage.intake import payloads
from passage.intake.forms.public import FirstStepForm
from passage.intake.models import HelpRequest, Mailbox
from passage.intake.views.public import _context, blank_story_fields, public_page
from passage.intake.words import wordlist

BARE_KEY_ID = "bare"


def fixed_words(language: str, count: int) -> str:
    """Words spread over the list: as long as a generated codename, the same every time."""
    words = wordlist(language)
    return " ".join(words[i * (len(words) // count) + 7] for i in range(count))


@public_page
@csrf_exempt
@require_POST
def bare_request_submit(request: HttpRequest, lang: str) -> HttpResponse:
    form = FirstStepForm(request.POST)
    if not form.is_valid():
        context = _context(request, lang, form=form)
        return render(request, "intake/public/help.html", context, status=400)
    data = form.cleaned_data
    codename = fixed_words(data["language"], 6)
    contact_phrase = fixed_words(data["language"], 3)
    document = payloads.FirstStep(
        country=data["country"],
        urgency=data["urgency"],
        language=data["language"],
        contact_phrase=contact_phrase,
    )
    body = {"v": payloads.VERSION, "type": type(document).__name__, **asdict(document)}
    with transaction.atomic():
        mailbox = Mailbox.objects.create(
            lookup=os.urandom(32),
            public_key=b"",
            language=data["language"],
            contact_phrase=contact_phrase.encode("utf-8"),
        )
        HelpRequest.objects.create(
            mailbox=mailbox,
            urgency=data["urgency"],
            reply_language=data["language"],
            intake_key_id=BARE_KEY_ID,
            sealed=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )
    return render(
        request,
        "intake/public/receipt.html",
        _context(
            request,
            lang,
            codename=codename,
            codename_lang=data["language"],
            contact_phrase=contact_phrase,
            blank_story_fields=blank_story_fields(),
        ),
    )
