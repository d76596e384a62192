"""Roles and what each may do: the one declarative place.

A user may hold several roles. Desk lead is held per desk (``Membership.is_lead``); every other
role is held across the user's desks. What a user may *see* is further limited by desks
(compartments) and, for partners, by what was referred or shared: see ``accounts.access``.
Later issues add permissions here, never checks of role names elsewhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SCREENER = "screener", _("Intake screener")
    CASEWORKER = "caseworker", _("Caseworker")
    VERIFIER = "verifier", _("Verifier")
    LOGISTICS = "logistics", _("Logistics coordinator")
    FINANCE = "finance", _("Finance officer")
    SETTLEMENT = "settlement", _("Settlement worker")
    INTERPRETER = "interpreter", _("Interpreter")
    PARTNER = "partner", _("Partner organisation")
    AUDITOR = "auditor", _("Auditor")
    DESK_LEAD = "desk_lead", _("Desk lead")


class Perm(models.TextChoices):
    """Capabilities. Names say what is allowed, not who has it."""

    CONSOLE = "console.use", _("Use the staff console")
    JOBS_VIEW = "jobs.view", _("See background jobs and their failures")
    ALERTS_VIEW = "alerts.view", _("See and acknowledge alerts")
    USERS_MANAGE = "users.manage", _("Invite, suspend and change users and roles")
    DESKS_MANAGE = "desks.manage", _("Create and change desks")
    PARTNERS_MANAGE = "partners.manage", _("Create and change partner organisations")
    SESSIONS_END_ALL = "sessions.end_all", _("End every session of every user")
    SECOND_FACTOR_RESET = "second_factor.reset", _("Approve a second-factor reset")
    AUDIT_READ = "audit.read", _("Read the audit log and verify its chain")
    CASES_VIEW_DESK = "cases.view_desk", _("See the cases of one's desks")
    CASES_BREAK_GLASS = "cases.break_glass", _("Open a case of another desk, with a reason")
    REQUESTS_SCREEN = "requests.screen", _("Screen help requests")
    VERIFICATION_RUN = "verification.run", _("Run verification")
    LOGISTICS_REVEAL = "logistics.reveal", _("See safe-house addresses and routes")
    FUNDS_APPROVE = "funds.approve", _("Hold funds and approve spending")
    SETTLEMENT_WORK = "settlement.work", _("Support people after arrival")
    INTERPRET = "interpret", _("Read narratives and messages of assigned cases")
    PARTNER_PORTAL = "partner.portal", _("See referred and shared cases")
    DESK_OVERSEE = "desk.oversee", _("Watch a desk's workload, handovers and approvals")
    CASES_WORK = "cases.work", _("Open and work cases of one's desks")
    CASES_MERGE = "cases.merge", _("Merge duplicate cases")
    CASES_SHARE = "cases.share", _("Share case sections with partner organisations")
    RELOCATION_APPROVE = "relocation.approve", _("Approve relocation (second pair of eyes)")
    EMERGENCY_APPROVE = "emergency.approve", _("Approve emergency help before verification")
    CAMPAIGNS_MANAGE = "campaigns.manage", _("Create and change crisis campaigns")
    REFERRALS_MANAGE = "referrals.manage", _("Keep the referral directory")
    FIELDS_MANAGE = "fields.manage", _("Define the extra fields and checklists of cases")
    CASES_EXPORT = "cases.export", _("Export a case worked on as one document")
    TEMPLATES_MANAGE = "templates.manage", _("Write the letter and dossier templates")
    PATHWAYS_MANAGE = "pathways.manage", _("Keep pathway programmes and their quotas")
    PARTNERS_CONTACTS = "partners.contacts", _("See and keep partners' contact details and trust")
    REPORTS_VIEW = "reports.view", _("See dashboards and funder reports (counts only)")
    STATISTICS_EXPORT = "reports.statistics", _("Download the public statistics releases")
    REPORTS_GOALS = "reports.goals", _("Set the yearly goals the dashboards show")
    ONCALL_MANAGE = "oncall.manage", _("Keep a desk's on-call rota and run alert drills")
    PUSH_MANAGE = "push.manage", _("Set where staff get critical-alert pushes; see deliveries")
    LOCKDOWN_MANAGE = "lockdown.manage", _("Start and lift the emergency lockdown (two admins)")
    KEYS_DESTROY = "keys.destroy", _("Destroy this server's keys in an emergency (two admins)")
    EVIDENCE_WORK = "evidence.work", _("Record testimony and put evidence bundles together")
    EVIDENCE_APPROVE = "evidence.approve", _("Approve an evidence bundle (second pair of eyes)")
    CASES_EXPORT_BULK = (
        "cases.export_bulk",
        _("Export the cases of one's desks (redacted; full with a second approver)"),
    )
    CASES_IMPORT = "cases.import", _("Import cases from spreadsheets into a desk one leads")
    RETENTION_MANAGE = "retention.manage", _("Set how long requests and cases are kept")
    LEGAL_HOLD = "retention.legal_hold", _("Put a case under legal hold, or lift it")


_CASEWORK = {Perm.CONSOLE, Perm.ALERTS_VIEW, Perm.CASES_VIEW_DESK}
_CASE_HANDS = _CASEWORK | {Perm.CASES_WORK}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {
            Perm.CONSOLE,
            Perm.ALERTS_VIEW,
            Perm.USERS_MANAGE,
            Perm.DESKS_MANAGE,
            Perm.PARTNERS_MANAGE,
            Perm.SESSIONS_END_ALL,
            Perm.JOBS_VIEW,
            Perm.SECOND_FACTOR_RESET,
            Perm.RELOCATION_APPROVE,
            Perm.CAMPAIGNS_MANAGE,
            Perm.REFERRALS_MANAGE,
            Perm.FIELDS_MANAGE,
            Perm.TEMPLATES_MANAGE,
            Perm.ONCALL_MANAGE,
            Perm.PUSH_MANAGE,
            Perm.LOCKDOWN_MANAGE,
            Perm.KEYS_DESTROY,
            Perm.RETENTION_MANAGE,
            Perm.LEGAL_HOLD,
            Perm.REPORTS_VIEW,
            Perm.STATISTICS_EXPORT,
            Perm.REPORTS_GOALS,
        }
    ),
    Role.SCREENER: frozenset(_CASE_HANDS | {Perm.REQUESTS_SCREEN, Perm.REFERRALS_MANAGE}),
    Role.CASEWORKER: frozenset(
        _CASE_HANDS
        | {
            Perm.CASES_BREAK_GLASS,
            Perm.CASES_MERGE,
            Perm.CASES_SHARE,
            Perm.CASES_EXPORT,
            Perm.EVIDENCE_WORK,
        }
    ),
    Role.VERIFIER: frozenset(_CASE_HANDS | {Perm.VERIFICATION_RUN, Perm.RELOCATION_APPROVE}),
    Role.LOGISTICS: frozenset(
        _CASE_HANDS | {Perm.LOGISTICS_REVEAL, Perm.PATHWAYS_MANAGE, Perm.PARTNERS_CONTACTS}
    ),
    Role.FINANCE: frozenset(_CASEWORK | {Perm.FUNDS_APPROVE, Perm.REPORTS_VIEW}),
    Role.SETTLEMENT: frozenset(_CASE_HANDS | {Perm.SETTLEMENT_WORK, Perm.EVIDENCE_WORK}),
    Role.INTERPRETER: frozenset({Perm.CONSOLE, Perm.ALERTS_VIEW, Perm.INTERPRET}),
    Role.PARTNER: frozenset({Perm.CONSOLE, Perm.PARTNER_PORTAL}),
    Role.AUDITOR: frozenset({Perm.CONSOLE, Perm.ALERTS_VIEW, Perm.AUDIT_READ}),
    Role.DESK_LEAD: frozenset(
        _CASE_HANDS
        | {
            Perm.DESK_OVERSEE,
            Perm.CASES_BREAK_GLASS,
            Perm.CASES_MERGE,
            Perm.CASES_SHARE,
            Perm.EMERGENCY_APPROVE,
            Perm.CAMPAIGNS_MANAGE,
            Perm.CASES_EXPORT,
            Perm.PATHWAYS_MANAGE,
            Perm.ONCALL_MANAGE,
            Perm.EVIDENCE_WORK,
            Perm.EVIDENCE_APPROVE,
            Perm.CASES_EXPORT_BULK,
            Perm.CASES_IMPORT,
            Perm.LEGAL_HOLD,
            Perm.REPORTS_VIEW,
            Perm.STATISTICS_EXPORT,
        }
    ),
}

# Roles whose holders must use a security key rather than TOTP can be configured by admins
# (``RolePolicy``); these are the defaults for a new installation.
STEP_UP_SECONDS = 5 * 60  # export, shred, approvals, break-glass, key, user and role changes
ROUTINE_REVEAL_SECONDS = 30 * 60  # e.g. a safe-house address for logistics staff at work


def permissions_for(roles: set[Role] | set[str]) -> frozenset[Perm]:
    granted: set[Perm] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)
