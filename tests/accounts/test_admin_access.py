"""Who reaches the admin pages: admins only (others 404, anonymous to sign-in), every change
behind step-up, and Django's own admin not installed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from passage.accounts.models import Desk, PartnerOrganisation, SecondFactorReset, User
from passage.accounts.roles import Role
from tests.accounts.admin_support import age_second_factor, post
from tests.core.support import is_same_origin, scan_html
from tests.personas import make_staff, sign_in_as

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]

LISTS = ["admin", "admin-users", "admin-resets", "admin-desks", "admin-partners"]


@pytest.fixture
def admin_paths(
    admin: User, caseworker: User, desk_north: Desk, partner_org: PartnerOrganisation
) -> dict[str, str]:
    """Every admin page, with a real object for the ones that take an id."""
    reset = SecondFactorReset.objects.create(user=caseworker, requested_by=admin)
    user = {"user_id": caseworker.pk}
    args: dict[str, dict[str, object]] = {
        "admin-user": user,
        "admin-user-edit": user,
        "admin-user-suspend": user,
        "admin-user-reactivate": user,
        "admin-user-unlock": user,
        "admin-user-invitation": user,
        "admin-user-reset": user,
        "admin-reset-approve": {"reset_id": reset.pk},
        "admin-reset-cancel": {"reset_id": reset.pk},
        "admin-desk-edit": {"desk_id": desk_north.pk},
        "admin-desk-deactivate": {"desk_id": desk_north.pk},
        "admin-desk-reactivate": {"desk_id": desk_north.pk},
        "admin-partner-edit": {"partner_id": partner_org.pk},
        "admin-partner-deactivate": {"partner_id": partner_org.pk},
        "admin-partner-reactivate": {"partner_id": partner_org.pk},
    }
    names = [
        *LISTS,
        "admin-user-invite",
        "admin-sessions-end-all",
        "admin-desk-create",
        "admin-partner-create",
        *args,
    ]
    return {name: reverse(f"staff:{name}", kwargs=args.get(name)) for name in names}


def test_outsider_is_sent_to_sign_in(outsider: Client, admin_paths: dict[str, str]) -> None:
    for name, path in admin_paths.items():
        for response in (outsider.get(path), outsider.post(path)):
            assert response.status_code in {302, 403}, name
            if response.status_code == 302:
                assert response["Location"].startswith("/staff/?next="), name


def test_non_admins_get_404_everywhere(
    signed_in: Signed,
    admin_paths: dict[str, str],
    caseworker: User,
    colleague: User,
    desk_lead: User,
    auditor: User,
    partner_user: User,
) -> None:
    for user in (caseworker, colleague, desk_lead, auditor, partner_user):
        client = signed_in(user)
        for name, path in admin_paths.items():
            assert client.get(path).status_code == 404, (user.username, name)
            assert post(client, path).status_code == 404, (user.username, name)


def test_admin_without_second_factor_is_sent_to_it(
    admin: User, admin_paths: dict[str, str]
) -> None:
    client = sign_in_as(admin, second_factor=False)
    for name, path in admin_paths.items():
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"] == "/staff/second-factor/", name


def test_every_change_needs_step_up_but_lists_do_not(
    signed_in: Signed, admin: User, admin_paths: dict[str, str]
) -> None:
    client = signed_in(admin)
    age_second_factor(client)
    for name, path in admin_paths.items():
        get = client.get(path)
        if name in LISTS or name == "admin-user":
            assert get.status_code == 200, name
            assert post(client, path).status_code == 405, name
            continue
        for response in (get, post(client, path)):
            assert response.status_code == 302, name
            assert response["Location"].startswith("/staff/step-up/?next="), name
    # Nothing happened behind the redirects.
    assert SecondFactorReset.objects.filter(approved_at=None, cancelled_at=None).count() == 1
    assert Desk.objects.filter(is_active=True).count() == 1


def test_admin_pages_render_without_inline_code_or_other_origins(
    signed_in: Signed, admin: User, admin_paths: dict[str, str]
) -> None:
    client = signed_in(admin)
    for name, path in admin_paths.items():
        response = client.get(path)
        assert response.status_code == 200, name
        urls, inline = scan_html(response.content.decode())
        assert not inline, name
        assert all(is_same_origin(ref.value) for ref in urls), name


def test_admin_navigation_appears_for_admins_only(
    signed_in: Signed, admin: User, caseworker: User
) -> None:
    assert 'href="/staff/admin/"' in signed_in(admin).get("/staff/home/").content.decode()
    assert 'href="/staff/admin/"' not in signed_in(caseworker).get("/staff/home/").content.decode()


def test_djangos_own_admin_is_not_installed(signed_in: Signed, admin: User) -> None:
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert Client().get("/admin/").status_code == 404
    assert signed_in(admin).get("/admin/").status_code == 404
    assert signed_in(admin).get("/admin/login/").status_code == 404


def test_a_second_admin_is_an_admin(signed_in: Signed, admin: User) -> None:
    other = make_staff("admin2", Role.ADMIN)
    assert signed_in(other).get("/staff/admin/users/").status_code == 200
