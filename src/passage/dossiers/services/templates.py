"""Admins write letter templates: add and change (each audited, ``dossier_template.<what>``,
object ``letter_template``). A body is checked against the placeholder whitelist before it is
saved; a template is never deleted, only taken out of use."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.accounts.models import PartnerOrganisation, User
from passage.accounts.roles import Perm
from passage.audit import services as audit
from passage.cases.exceptions import InvalidInput, NotAllowed
from passage.dossiers import placeholders
from passage.dossiers.models import LetterTemplate

CODE_MAX = 40
NAME_MAX = 120
BODY_MAX = 20000
PATHWAY_MAX = 40


def _require(actor: User) -> None:
    if not actor.may(Perm.TEMPLATES_MANAGE):
        raise NotAllowed(_("Your role does not allow changing letter templates."))


def _clean(
    *, name: str, recipient_kind: str, language: str, body: str, pathway_kind: str
) -> dict[str, str]:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(_("Give the template a name (at most 120 characters)."))
    if recipient_kind not in PartnerOrganisation.Kind.values:
        raise InvalidInput(_("Choose who the letter goes to."))
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose the language of the letter."))
    if len(body) > BODY_MAX:
        raise InvalidInput(_("The text is too long (at most 20,000 characters)."))
    placeholders.check(body)
    pathway = pathway_kind.strip()
    if len(pathway) > PATHWAY_MAX or (pathway and not pathway.replace("_", "").isalnum()):
        raise InvalidInput(_("The pathway is a short code (letters, digits and _)."))
    return {
        "name": name,
        "recipient_kind": recipient_kind,
        "language": language,
        "body": body,
        "pathway_kind": pathway,
    }


def _record(actor: User, action: str, letter: LetterTemplate, request_id: str | None) -> None:
    audit.record(
        actor=audit.actor_for("user", actor.pk),
        action=f"dossier_template.{action}",
        object_type="letter_template",
        object_id=str(letter.pk),
        request_id=request_id,
    )


def template_create(
    *,
    actor: User,
    code: str,
    name: str,
    recipient_kind: str,
    language: str,
    body: str,
    pathway_kind: str = "",
    request_id: str | None = None,
) -> LetterTemplate:
    _require(actor)
    fields = _clean(
        name=name,
        recipient_kind=recipient_kind,
        language=language,
        body=body,
        pathway_kind=pathway_kind,
    )
    code = code.strip().lower()
    if not code or len(code) > CODE_MAX or not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(_("The code is short: letters, digits, - and _ (it names the file)."))
    if not code.isascii():
        raise InvalidInput(_("The code is short: letters, digits, - and _ (it names the file)."))
    with audit.atomic():
        if LetterTemplate.objects.filter(code=code).exists():
            raise InvalidInput(_("Another template has this code."))
        try:
            letter = LetterTemplate.objects.create(code=code, **fields)
        except IntegrityError:
            raise InvalidInput(_("Another template has this code.")) from None
        _record(actor, "created", letter, request_id)
    return letter


def template_change(
    *,
    template: LetterTemplate,
    actor: User,
    name: str,
    recipient_kind: str,
    language: str,
    body: str,
    active: bool,
    pathway_kind: str = "",
    request_id: str | None = None,
) -> bool:
    """Save the changes; False (and no audit entry) when nothing changed."""
    _require(actor)
    fields: dict[str, object] = {
        **_clean(
            name=name,
            recipient_kind=recipient_kind,
            language=language,
            body=body,
            pathway_kind=pathway_kind,
        ),
        "active": active,
    }
    with audit.atomic():
        letter = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        changed = [key for key, value in fields.items() if getattr(letter, key) != value]
        if not changed:
            return False
        for key in changed:
            setattr(letter, key, fields[key])
        letter.changed_at = timezone.now()
        letter.save(update_fields=[*changed, "changed_at"])
        _record(actor, "changed", letter, request_id)
    return True
