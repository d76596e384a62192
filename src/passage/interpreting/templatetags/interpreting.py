"""What case pages show of interpreting, included from the cases templates (cases cannot import
this app): the case's interpreters on its summary, and translations beside the story.

Each tag reads through ``interpreting.queries`` for the case the page already shows; the page
has checked that its viewer may see the case (and recorded the read where it decrypts).
"""

from __future__ import annotations

from typing import Any

from django import template

from passage.cases.models import Case
from passage.interpreting import queries
from passage.interpreting.models import Translation

register = template.Library()


@register.inclusion_tag("interpreting/summary_block.html", takes_context=True)
def case_interpreters(context: template.Context, case: Case) -> dict[str, Any]:
    """The summary's block: who interprets the case, with links to give or end (for workers)."""
    return {
        "case": case,
        "assignments": queries.assignments_of(case),
        "may_work": bool(context.get("may_work")),
    }


@register.inclusion_tag("interpreting/translations.html")
def narrative_translations(case: Case) -> dict[str, Any]:
    """The translations of the case's story, beside it on the person page (read-only there)."""
    kind = Translation.Source.NARRATIVE
    found = queries.translations_of(case, kind).get((kind, case.pk), [])
    return {"translations": found, "editable": False}
