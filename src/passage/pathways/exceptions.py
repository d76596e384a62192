"""Refusals of the pathways services. They are ``CaseError``s, so the case views' helpers show
them at the top of the form (a 4xx), and their messages never carry personal data."""

from passage.cases.exceptions import CaseError


class QuotaFull(CaseError):
    """Every place of the programme's quota is taken."""
