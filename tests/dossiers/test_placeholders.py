"""The placeholder whitelist: only ``{{ name }}`` of known names; no template tags, filters,
comments or settings; every piece of text and every value escaped; no value re-read as a
placeholder."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passage.cases.exceptions import InvalidInput
from passage.cases.models import Case
from passage.cases.queries import people_of
from passage.dossiers import placeholders
from tests.cases.conftest import person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        "{{ settings.SECRET_KEY }}",
        "{{ person.legal_name|safe }}",
        "{{ person.legal_name.upper }}",
        "{{ case.desk.name }}",
        "{{ request.user }}",
        "{{ }}",
        "{% load static %}{{ person.legal_name }}",
        "{% debug %}",
        "{% include 'core/staff_base.html' %}",
        "{# hidden #}",
        "{{ person.legal_name }} }}",
        "{{{ person.legal_name }}}",
        "{{ person.legal_name",
    ],
)
def test_anything_but_a_whitelisted_placeholder_is_refused(body: str) -> None:
    with pytest.raises(InvalidInput):
        placeholders.check(body)


def test_an_unknown_placeholder_is_named_in_the_message() -> None:
    with pytest.raises(InvalidInput) as refused:
        placeholders.check("Dear {{ settings.SECRET_KEY }},")
    assert "{{ settings.SECRET_KEY }}" in str(refused.value)
    assert "person.legal_name" in str(refused.value)  # what is allowed


def test_known_placeholders_pass_and_give_their_sections() -> None:
    body = "{{ person.legal_name }} {{case.reference}} {{ narrative }} {{ household.members }}"
    assert placeholders.check(body) == [
        "person.legal_name",
        "case.reference",
        "narrative",
        "household.members",
    ]
    assert placeholders.sections_of(body) == {"person", "narrative", "household"}
    assert placeholders.sections_of("Case {{ case.reference }}") == set()


def test_an_empty_body_is_refused() -> None:
    with pytest.raises(InvalidInput):
        placeholders.check("  \n ")


def test_text_and_values_are_escaped_and_values_are_not_read_again(
    open_case: Callable[..., Case],
) -> None:
    case = open_case(
        details=person("x", legal_name="<script>alert(1)</script> {{ narrative }}"),
        narrative="SECRET STORY",
    )
    people = people_of(case)
    facts = placeholders.Facts(case=case, principal=people[0], others=[])
    html = placeholders.fill("A & B <b>\n{{ person.legal_name }}\n\nEnd", facts)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A &amp; B &lt;b&gt;" in html
    assert "SECRET STORY" not in html  # the value's braces stayed text
    assert "{{ narrative }}" in html
    assert html.startswith("<p>") and "</p><p>End</p>" in html


def test_fill_refuses_a_body_that_does_not_check(open_case: Callable[..., Case]) -> None:
    case = open_case()
    facts = placeholders.Facts(case=case, principal=None, others=[])
    with pytest.raises(InvalidInput):
        placeholders.fill("{% load static %}", facts)
