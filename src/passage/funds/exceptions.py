"""Refusals of the funds app. Like every case refusal (``CaseError``), their messages are safe
to show: which rule refused, with amounts, never anything a person told us."""

from passage.cases.exceptions import CaseError


class FundsRefused(CaseError):
    """A money action was refused (an overspend, a missing approval, a wrong currency...)."""
