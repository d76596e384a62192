"""Fixtures for the reports tests: the cases and funds fixtures, and cases with categories."""

from __future__ import annotations

from tests.cases.conftest import (  # noqa: F401 -- fixtures
    open_case,
    partner_org,
    screener,
    second_verifier,
    verifier,
)
from tests.funds.conftest import approved_line, finance, finance2, fund  # noqa: F401 -- fixtures
