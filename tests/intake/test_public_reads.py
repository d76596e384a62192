"""The public services read only the columns the intake tier's database role may read
(docs/intake-database-role.sql): of a request its id, mailbox, state, status and whether a story
came; of a staff reply only the person's sealed copy and its date; of items only their order."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passage.accounts.models import Desk
from passage.intake import payloads
from passage.intake.services import public, screening
from tests.intake.support import make_screener, png_bytes, sign_in, story, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memstore")]

READABLE = {
    "intake_helprequest": {"id", "mailbox_id", "state", "status", "story_received"},
    "intake_staffreply": {"id", "request_id", "sent_at", "for_person"},
    "intake_requestitem": {"request_id", "kind", "position"},
}


def columns_read(run: Callable[[], object]) -> dict[str, set[str]]:
    """The columns of the guarded tables that the SELECTs run by ``run`` name."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found: dict[str, set[str]] = {table: set() for table in READABLE}
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        for table in READABLE:
            found[table] |= set(re.findall(rf'"{table}"\."(\w+)"', sql))
    return found


def assert_readable(found: dict[str, set[str]]) -> None:
    for table, columns in found.items():
        assert columns <= READABLE[table], (table, columns - READABLE[table])


@pytest.fixture
def answered(desk_north: Desk) -> public.Receipt:
    receipt = submit()
    screening.request_reply(
        request=receipt.request, actor=make_screener(desk_north), body="We read it."
    )
    return receipt


def test_the_story_and_messages_read_only_what_the_role_may(answered: public.Receipt) -> None:
    upload = payloads.SealedFile(
        name="image.png", kind="image", content_type="image/png", data=png_bytes()
    )
    session = answered.session
    assert_readable(
        columns_read(lambda: public.story_submit(session=session, story=story(), files=[upload]))
    )
    assert_readable(
        columns_read(lambda: public.message_send(session=session, text="hello", files=[]))
    )


def test_signing_in_and_reading_the_mailbox_read_only_what_the_role_may(
    answered: public.Receipt,
) -> None:
    found = columns_read(lambda: public.mailbox_read(session=sign_in(answered.codename)))
    assert_readable(found)
    assert "for_person" in found["intake_staffreply"]  # the reply was read, as it should be


def test_deleting_the_mailbox_reads_only_what_the_role_may(answered: public.Receipt) -> None:
    assert_readable(columns_read(lambda: public.mailbox_delete(session=answered.session)))
