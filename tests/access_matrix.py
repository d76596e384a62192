"""The access matrix: for every named URL of the project, what each persona gets from a GET.

One line per URL. ``tests/test_access_matrix.py`` walks every URL pattern and fails on a URL
that has no line here, on a line for a URL that no longer exists, and on any answer that
differs from the line. Add the line in the same change that adds the URL (DESIGN invariant 4).

Outcomes (of a GET, by a persona whose second factor is fresh):

- ``A`` allow: status below 400 that is not a redirect to sign-in, second factor or step-up
  (a 3xx that stays in the page flow, e.g. sign-in sending a signed-in user home, is allowed)
- ``N`` 404: refused without confirming the page or object exists
- ``L`` login: redirect to the sign-in page
- ``F`` second factor: redirect to the second-factor step or enrolment
- ``M`` method: 405 to a GET, for POST-only endpoints. Where the method check sits inside
  ``staff_view``, only personas that passed the access check get it (the others 404 / sign-in);
  where it sits outside, everyone does, and ``test_access_matrix`` POSTs (with a CSRF token and
  an id that names nothing) to show the access check still runs before anything else.

Personas (``tests/personas.py``): an anonymous outsider; a caseworker of the North desk; a
colleague (caseworker of the South desk); the North desk's lead; an intake screener, also a
member of the North desk; an admin; an auditor; a partner organisation's user; and ``no2fa``, a
caseworker with an enrolled authenticator who signed in with their passphrase but has not
completed the second step.
"""

from __future__ import annotations

PERSONAS = (
    "outsider",
    "caseworker",
    "colleague",
    "desk_lead",
    "screener",
    "admin",
    "auditor",
    "partner_user",
    "no2fa",
)

A, N, L, F, M = "allow", "404", "login", "second_factor", "method"

# fmt: off
MATRIX: dict[str, tuple[str, ...]] = {
    # columns: outsider, caseworker, colleague, desk_lead, screener, admin, auditor, partner_user,
    # no2fa
    # Plumbing
    "healthz":                        (A, A, A, A, A, A, A, A, A),
    "static":                         (A, A, A, A, A, A, A, A, A),
    # The public help pages and mailbox: anyone, signed in to the console or not. The posted
    # steps answer a GET with 405; deleting without a mailbox session goes to the mailbox page.
    "public:help-root":               (A, A, A, A, A, A, A, A, A),
    "public:help":                    (A, A, A, A, A, A, A, A, A),
    "public:request":                 (M, M, M, M, M, M, M, M, M),
    "public:story":                   (M, M, M, M, M, M, M, M, M),
    "public:mailbox":                 (A, A, A, A, A, A, A, A, A),
    "public:message":                 (M, M, M, M, M, M, M, M, M),
    "public:checkin":                 (M, M, M, M, M, M, M, M, M),
    "public:words":                   (M, M, M, M, M, M, M, M, M),
    "public:sign-out":                (M, M, M, M, M, M, M, M, M),
    "public:delete":                  (A, A, A, A, A, A, A, A, A),
    "public:privacy":                 (A, A, A, A, A, A, A, A, A),
    # Signing in (pre-auth pages)
    "staff:sign-in":                  (A, A, A, A, A, A, A, A, F),
    "staff:second-factor":            (L, A, A, A, A, A, A, A, A),
    "staff:enrol":                    (L, A, A, A, A, A, A, A, F),
    "staff:invitation":               (A, A, A, A, A, A, A, A, A),
    "staff:sign-out":                 (M, M, M, M, M, M, M, M, M),
    # Everyone signed in
    "staff:home":                     (L, A, A, A, A, A, A, A, F),
    "staff:step-up":                  (L, A, A, A, A, A, A, A, F),
    "staff:sessions":                 (L, A, A, A, A, A, A, A, F),
    "staff:session-end":              (M, M, M, M, M, M, M, M, M),
    "staff:keep-alive":               (M, M, M, M, M, M, M, M, M),
    "staff:lock":                     (M, M, M, M, M, M, M, M, M),
    "staff:unlock":                   (M, M, M, M, M, M, M, M, M),
    # Drafts (autosave; a discard that names no form is a 404)
    "drafts:save":                    (M, M, M, M, M, M, M, M, M),
    "drafts:discard":                 (L, N, N, N, N, N, N, N, F),
    "staff:key-begin":                (M, M, M, M, M, M, M, M, M),
    "staff:key-finish":               (M, M, M, M, M, M, M, M, M),
    "staff:security-keys":            (L, A, A, A, A, A, A, A, F),
    "staff:security-key-begin":       (M, M, M, M, M, M, M, M, M),
    "staff:security-key-finish":      (M, M, M, M, M, M, M, M, M),
    "staff:security-key-remove":      (M, M, M, M, M, M, M, M, M),
    "staff:password":                 (L, A, A, A, A, A, A, A, F),
    # The console language, kept in the session (issue 9.9): everyone signed in
    "language:choose":                (L, A, A, A, A, A, A, A, F),
    # Alerts
    "alerts:list":                    (L, A, A, A, A, A, A, N, F),
    "alerts:acknowledge":             (L, M, M, M, M, M, M, N, F),
    "alerts:resolve":                 (L, M, M, M, M, M, M, N, F),
    # The on-call rota: everyone who sees alerts (their desks); shifts and drills: the desk's
    # lead and admins; where pushes go and the delivery log: admins (docs/alerts.md)
    "alerts:rota":                    (L, A, A, A, A, A, A, N, F),
    "alerts:shift-new":               (L, N, N, A, N, A, N, N, F),
    "alerts:shift-remove":            (L, N, N, M, N, M, N, N, F),
    "alerts:drills":                  (L, N, N, A, N, A, N, N, F),
    "alerts:drill-start":             (L, N, N, M, N, M, N, N, F),
    "alerts:destinations":            (L, N, N, N, N, A, N, N, F),
    "alerts:destination-edit":        (L, N, N, N, N, A, N, N, F),
    "alerts:deliveries":              (L, N, N, N, N, A, N, N, F),
    # Auditors
    "staff:audit-log":                (L, N, N, N, N, N, A, N, F),
    "staff:audit-verify":             (L, N, N, N, N, N, M, N, F),
    # Admins
    "staff:admin":                    (L, N, N, N, N, A, N, N, F),
    "staff:admin-users":              (L, N, N, N, N, A, N, N, F),
    "staff:admin-role-policies":      (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-invite":        (L, N, N, N, N, A, N, N, F),
    "staff:admin-user":               (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-edit":          (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-suspend":       (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-reactivate":    (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-unlock":        (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-invitation":    (L, N, N, N, N, A, N, N, F),
    "staff:admin-user-reset":         (L, N, N, N, N, A, N, N, F),
    "staff:admin-resets":             (L, N, N, N, N, A, N, N, F),
    "staff:admin-jobs":               (L, N, N, N, N, A, N, N, F),
    "staff:admin-reset-approve":      (L, N, N, N, N, A, N, N, F),
    "staff:admin-reset-cancel":       (L, N, N, N, N, A, N, N, F),
    "staff:admin-sessions-end-all":   (L, N, N, N, N, A, N, N, F),
    # Emergency lockdown and key destruction (admins, step-up). The steps are POSTs; a GET
    # (e.g. back from step-up) goes to the Lockdown page, after a 404 for a lockdown or
    # proposal that does not exist (the matrix names none).
    "lockdown:index":                 (L, N, N, N, N, A, N, N, F),
    "lockdown:propose":               (L, N, N, N, N, A, N, N, F),
    "lockdown:confirm":               (L, N, N, N, N, N, N, N, F),
    "lockdown:withdraw":              (L, N, N, N, N, N, N, N, F),
    "lockdown:lift":                  (L, N, N, N, N, N, N, N, F),
    "lockdown:lift-confirm":          (L, N, N, N, N, N, N, N, F),
    "lockdown:keys-propose":          (L, N, N, N, N, A, N, N, F),
    "lockdown:keys-confirm":          (L, N, N, N, N, N, N, N, F),
    "lockdown:keys-withdraw":         (L, N, N, N, N, N, N, N, F),
    # Retention: policies (admins, step-up); a case's legal hold (admins and the desk's lead)
    "retention:policies":             (L, N, N, N, N, A, N, N, F),
    "retention:case-hold":            (L, N, N, A, N, A, N, N, F),
    "staff:admin-desks":              (L, N, N, N, N, A, N, N, F),
    "staff:admin-desk-create":        (L, N, N, N, N, A, N, N, F),
    "staff:admin-desk-edit":          (L, N, N, N, N, A, N, N, F),
    "staff:admin-desk-deactivate":    (L, N, N, N, N, A, N, N, F),
    "staff:admin-desk-reactivate":    (L, N, N, N, N, A, N, N, F),
    "staff:admin-partners":           (L, N, N, N, N, A, N, N, F),
    "staff:admin-partner-create":     (L, N, N, N, N, A, N, N, F),
    "staff:admin-partner-edit":       (L, N, N, N, N, A, N, N, F),
    "staff:admin-partner-deactivate": (L, N, N, N, N, A, N, N, F),
    "staff:admin-partner-reactivate": (L, N, N, N, N, A, N, N, F),
    # Cases: lists (what the viewer works), then one case of the North desk: its desk and
    # lead see it; the South colleague, admins, auditors and partners get 404.
    "cases:queue":                    (L, A, A, A, A, N, N, N, F),
    "cases:queue-assign":             (L, M, M, M, M, N, N, N, F),
    "cases:inbox":                    (L, A, A, A, A, N, N, N, F),
    "cases:list":                     (L, A, A, A, A, N, N, N, F),
    "cases:new":                      (L, A, A, A, A, N, N, N, F),
    "cases:search":                   (L, A, A, A, A, N, N, N, F),
    "cases:break-glass":              (L, A, A, A, N, N, N, N, F),
    "cases:case":                     (L, A, N, A, A, N, N, N, F),
    "cases:screen":                   (L, M, M, M, M, N, N, N, F),
    "cases:case-person":              (L, A, N, A, A, N, N, N, F),
    "cases:person-add":               (L, A, N, A, A, N, N, N, F),
    "cases:person-edit":              (L, A, N, A, A, N, N, N, F),
    "cases:person-remove":            (L, A, N, A, A, N, N, N, F),
    "cases:narrative-edit":           (L, A, N, A, A, N, N, N, F),
    "cases:case-triage":              (L, A, N, A, A, N, N, N, F),
    "cases:triage-override":          (L, A, N, A, A, N, N, N, F),
    "cases:transition":               (L, A, N, A, A, N, N, N, F),
    "cases:assign":                   (L, A, N, A, A, N, N, N, F),
    "cases:case-timeline":            (L, A, N, A, A, N, N, N, F),
    "cases:case-verification":        (L, A, N, A, A, N, N, N, F),
    "cases:verification-add":         (L, N, N, N, N, N, N, N, F),
    "cases:verification-outcome":     (L, N, N, N, N, N, N, N, F),
    "cases:unfreeze":                 (L, N, N, A, N, N, N, N, F),
    "cases:case-approvals":           (L, A, N, A, A, N, N, N, F),
    "cases:relocation-request":       (L, A, N, A, A, N, N, N, F),
    "cases:emergency-request":        (L, A, N, A, A, N, N, N, F),
    "cases:approval-decide":          (L, A, N, A, A, N, N, N, F),
    "cases:approval-withdraw":        (L, A, N, A, A, N, N, N, F),
    "cases:emergency-review":         (L, A, N, A, A, N, N, N, F),
    "cases:case-consent":             (L, A, N, A, A, N, N, N, F),
    "cases:consent-add":              (L, A, N, A, A, N, N, N, F),
    "cases:consent-withdraw":         (L, A, N, A, A, N, N, N, F),
    "cases:share-add":                (L, A, N, A, N, N, N, N, F),
    "cases:share-revoke":             (L, A, N, A, N, N, N, N, F),
    "cases:duplicate-distinct":       (L, A, N, A, A, N, N, N, F),
    "cases:duplicate-merge":          (L, A, N, A, N, N, N, N, F),
    "cases:campaigns":                (L, N, N, A, N, A, N, N, F),
    "cases:campaign-new":             (L, N, N, A, N, A, N, N, F),
    "cases:campaign-edit":            (L, N, N, A, N, A, N, N, F),
    "cases:desk-priority":            (L, N, N, A, N, A, N, N, F),
    "cases:assign-me":                (L, M, M, M, M, N, N, N, F),
    # Workload (issue 5): My work for everyone who works cases; a desk's workload, handover and
    # decisions on hand-overs to it for its leads only; asking for a hand-over, for whoever
    # works the case.
    "workload:my-work":               (L, A, A, A, A, N, N, N, F),
    "workload:index":                 (L, N, N, A, N, N, N, N, F),
    "workload:desk":                  (L, N, N, A, N, N, N, N, F),
    "workload:handover":              (L, N, N, A, N, N, N, N, F),
    "workload:transfer-request":      (L, A, N, A, A, N, N, N, F),
    "workload:transfer-accept":       (L, N, N, M, N, N, N, N, F),
    "workload:transfer-decline":      (L, N, N, M, N, N, N, N, F),
    "workload:transfer-withdraw":     (L, M, M, M, M, N, N, N, F),
    # Casework (issue 5): contacts, notes and tasks of the North case read like its other
    # sections; a note is changed by its author only (the caseworker wrote it).
    "casework:contacts":              (L, A, N, A, A, N, N, N, F),
    "casework:notes":                 (L, A, N, A, A, N, N, N, F),
    "casework:note-edit":             (L, A, N, N, N, N, N, N, F),
    "casework:tasks":                 (L, A, N, A, A, N, N, N, F),
    "casework:task-complete":         (L, M, M, M, M, N, N, N, F),
    "casework:task-reopen":           (L, M, M, M, M, N, N, N, F),
    # Case files (issue 5): the North case's Files tab like its other sections; opening a
    # file is POST only (405 to a GET, before the case is looked up, as for assign-me);
    # removing needs a fresh second factor (fresh here).
    "casefiles:files":                (L, A, N, A, A, N, N, N, F),
    "casefiles:file-add":             (L, A, N, A, A, N, N, N, F),
    "casefiles:file-download":        (L, M, M, M, M, N, N, N, F),
    "casefiles:file-remove":          (L, A, N, A, A, N, N, N, F),
    # Safe houses (issue 7): the list, capacity, a North house and its calendar (code names and
    # case references, never addresses) for the staff of its desk; keeping houses, the audited
    # "Show address" (POST only, after step-up), marking compromised, placing and changing stays
    # are for logistics of the desk (LOGISTICS_REVEAL: none of these personas, see
    # tests/safehouses/test_access_matrix.py). The North case's Safe house tab reads like its
    # other sections.
    "safehouses:list":                (L, A, A, A, A, N, N, N, F),
    "safehouses:capacity":            (L, A, A, A, A, N, N, N, F),
    "safehouses:new":                 (L, N, N, N, N, N, N, N, F),
    "safehouses:house":               (L, A, N, A, A, N, N, N, F),
    "safehouses:calendar":            (L, A, N, A, A, N, N, N, F),
    "safehouses:address":             (L, N, N, N, N, N, N, N, F),
    "safehouses:status":              (L, N, N, N, N, N, N, N, F),
    "safehouses:compromised":         (L, N, N, N, N, N, N, N, F),
    "safehouses:case":                (L, A, N, A, A, N, N, N, F),
    "safehouses:place":               (L, N, N, N, N, N, N, N, F),
    "safehouses:stay-arrive":         (L, N, N, N, N, N, N, N, F),
    "safehouses:stay-end":            (L, N, N, N, N, N, N, N, F),
    "safehouses:stay-move":           (L, N, N, N, N, N, N, N, F),
    # Routes and travel (issue 7): routes and the journey board are for logistics of the route's
    # desk (LOGISTICS_REVEAL: none of these personas); the North case's Travel tab reads like
    # its other sections, its legs are planned and changed by whoever works it, a ticket is
    # attached by POST only (405 to a GET before the case is looked up).
    "routes:list":                    (L, N, N, N, N, N, N, N, F),
    "routes:route":                   (L, N, N, N, N, N, N, N, F),
    "routes:status":                  (L, N, N, N, N, N, N, N, F),
    "routes:compromise":              (L, N, N, N, N, N, N, N, F),
    "routes:board":                   (L, N, N, N, N, N, N, N, F),
    "routes:travel":                  (L, A, N, A, A, N, N, N, F),
    "routes:leg-add":                 (L, A, N, A, A, N, N, N, F),
    "routes:leg-edit":                (L, A, N, A, A, N, N, N, F),
    "routes:ticket":                  (L, M, M, M, M, N, N, N, F),
    # Funds (issue 7): the finance area needs the finance permission (no persona here holds
    # it); the Budget tab reads like the case's other sections, asking for a line like any
    # case work; deciding and paying are finance's.
    "funds:index":                    (L, N, N, N, N, N, N, N, F),
    "funds:fund-new":                 (L, N, N, N, N, N, N, N, F),
    "funds:accounts":                 (L, N, N, N, N, N, N, N, F),
    "funds:fund":                     (L, N, N, N, N, N, N, N, F),
    "funds:deposit":                  (L, N, N, N, N, N, N, N, F),
    "funds:budget":                   (L, A, N, A, A, N, N, N, F),
    "funds:line-add":                 (L, A, N, A, A, N, N, N, F),
    "funds:line-decide":              (L, N, N, N, N, N, N, N, F),
    "funds:disburse":                 (L, N, N, N, N, N, N, N, F),
    "funds:line-close":               (L, N, N, N, N, N, N, N, F),
    "funds:emergency-pay":            (L, N, N, N, N, N, N, N, F),
    "funds:stipend-add":              (L, N, N, N, N, N, N, N, F),
    "funds:stipend-pay":              (L, N, N, N, N, N, N, N, F),
    "funds:stipend-end":              (L, N, N, N, N, N, N, N, F),
    # Admin-defined fields (issue 5): defining them is for admins (moving is POST only); the
    # North case's "More details" tab reads like its other sections; exporting it needs the
    # export permission (caseworkers and desk leads, not screeners) and a fresh second factor.
    "casefields:fields":              (L, N, N, N, N, A, N, N, F),
    "casefields:field-new":           (L, N, N, N, N, A, N, N, F),
    "casefields:field-edit":          (L, N, N, N, N, A, N, N, F),
    "casefields:field-move":          (L, N, N, N, N, M, N, N, F),
    "casefields:field-retire":        (L, N, N, N, N, A, N, N, F),
    "casefields:field-reinstate":     (L, N, N, N, N, A, N, N, F),
    "casefields:case-details":        (L, A, N, A, A, N, N, N, F),
    "casefields:section-edit":        (L, A, N, A, A, N, N, N, F),
    "casefields:case-export":         (L, A, N, A, N, N, N, N, F),
    # Documents (issue 7): the North case's Documents tab reads like its other sections (the
    # form to record one for whoever works it); changing a document, for whoever works it.
    "documents:documents":            (L, A, N, A, A, N, N, N, F),
    "documents:document-edit":        (L, A, N, A, A, N, N, N, F),
    # The case's Safety tab (issue 8): check-ins, words, duress; decisions need the case's desk.
    "safety:overview":                (L, A, A, A, A, N, N, N, F),
    "safety:case":                    (L, A, N, A, A, N, N, N, F),
    "safety:schedule":                (L, A, N, A, A, N, N, N, F),
    "safety:checkin-log":             (L, A, N, A, A, N, N, N, F),
    "safety:duress-record":           (L, A, N, A, A, N, N, N, F),
    "safety:words":                   (L, A, N, A, A, N, N, N, F),
    "safety:duress-decide":           (L, N, N, N, N, N, N, N, F),
    "safety:review-close":            (L, N, N, N, N, N, N, N, F),
    # Settlement (issue 9): a second North case that has arrived, with its plan. Its
    # Settlement tab reads like the case's other sections; its forms (arrival, steps, needs,
    # follow-ups) for whoever works the case (settlement workers and the desk's caseworkers:
    # none of these personas is a settlement worker, the caseworker is the closest). The list
    # of follow-ups due needs settlement.work: no persona here (tests/settlement tries one).
    "settlement:due":                 (L, N, N, N, N, N, N, N, F),
    "settlement:case":                (L, A, N, A, A, N, N, N, F),
    "settlement:plan-edit":           (L, A, N, A, A, N, N, N, F),
    "settlement:step-add":            (L, A, N, A, A, N, N, N, F),
    "settlement:step-edit":           (L, A, N, A, A, N, N, N, F),
    "settlement:need-edit":           (L, A, N, A, A, N, N, N, F),
    "settlement:follow-up":           (L, A, N, A, A, N, N, N, F),
    # Letters and dossiers (issue 7): templates are for admins; a case's Letters tab and making
    # a PDF need the share permission (caseworkers and desk leads, not screeners), working the
    # case and a fresh second factor. Making is POST only: 405 to a GET before the case is
    # looked up.
    "dossiers:templates":             (L, N, N, N, N, A, N, N, F),
    "dossiers:template-new":          (L, N, N, N, N, A, N, N, F),
    "dossiers:template-edit":         (L, N, N, N, N, A, N, N, F),
    "dossiers:letters":               (L, A, N, A, N, N, N, N, F),
    "dossiers:letter-make":           (L, M, M, M, N, N, N, N, F),
    # Evidence (issue 9): the North case's Testimony tab for those who work it and hold
    # evidence.work (caseworkers and desk leads, not screeners); a testimony that names
    # nothing is 404 (tests/evidence/test_access_matrix.py tries real ones); marking and
    # unmarking spans are POST only (405 to a GET before the case is looked up). The Evidence
    # area (corroboration counts, places, perpetrators, bundles) for every holder of
    # evidence.work; a bundle is seen by its desk only (unknown: 404); approving needs
    # evidence.approve (desk leads) and a fresh second factor; the PDF is POST only.
    "evidence:case":                  (L, A, N, A, N, N, N, N, F),
    "evidence:testimony-add":         (L, A, N, A, N, N, N, N, F),
    "evidence:testimony":             (L, N, N, N, N, N, N, N, F),
    "evidence:redaction-add":         (L, M, M, M, N, N, N, N, F),
    "evidence:redaction-remove":      (L, M, M, M, N, N, N, N, F),
    "evidence:consent-withdraw":      (L, N, N, N, N, N, N, N, F),
    "evidence:incident-add":          (L, N, N, N, N, N, N, N, F),
    "evidence:links":                 (L, N, N, N, N, N, N, N, F),
    "evidence:file-add":              (L, N, N, N, N, N, N, N, F),
    "evidence:index":                 (L, A, A, A, N, N, N, N, F),
    "evidence:places":                (L, A, A, A, N, N, N, N, F),
    "evidence:place-new":             (L, A, A, A, N, N, N, N, F),
    "evidence:perpetrators":          (L, A, A, A, N, N, N, N, F),
    "evidence:perpetrator-new":       (L, A, A, A, N, N, N, N, F),
    "evidence:bundles":               (L, A, A, A, N, N, N, N, F),
    "evidence:bundle-new":            (L, A, A, A, N, N, N, N, F),
    "evidence:bundle":                (L, N, N, N, N, N, N, N, F),
    "evidence:bundle-items":          (L, N, N, N, N, N, N, N, F),
    "evidence:bundle-approve":        (L, N, N, N, N, N, N, N, F),
    "evidence:bundle-download":       (L, M, M, M, N, N, N, N, F),
    "evidence:custody-add":           (L, N, N, N, N, N, N, N, F),
    # Interpreting (issue 5): the interpreter pages are for interpreters only (none of these
    # personas; see INTERPRETER below); giving the North case an interpreter, or ending one,
    # for whoever works it.
    "interpret:list":                 (L, N, N, N, N, N, N, N, F),
    "interpret:case":                 (L, N, N, N, N, N, N, N, F),
    "interpret:messages":             (L, N, N, N, N, N, N, N, F),
    "interpret:contacts":             (L, N, N, N, N, N, N, N, F),
    "interpret:translation-add":      (L, N, N, N, N, N, N, N, F),
    "interpret:translation-edit":     (L, N, N, N, N, N, N, N, F),
    "interpret:assign":               (L, A, N, A, A, N, N, N, F),
    "interpret:end":                  (L, A, N, A, A, N, N, N, F),
    # The partner portal: only the partner's people; the case is one they referred.
    # Pathways (issue 7): the North case's Pathways tab reads like its other sections, an
    # application is changed by whoever works the case; programmes are kept by logistics and
    # desk leads (PATHWAYS_MANAGE: the North lead), the partner directory by logistics
    # (PARTNERS_CONTACTS, a partner's page with a recent second factor): none of these personas.
    "pathways:case":                  (L, A, N, A, A, N, N, N, F),
    "pathways:application-edit":      (L, A, N, A, A, N, N, N, F),
    "pathways:programmes":            (L, N, N, A, N, N, N, N, F),
    "pathways:programme-new":         (L, N, N, A, N, N, N, N, F),
    "pathways:programme-edit":        (L, N, N, A, N, N, N, N, F),
    "pathways:partners":              (L, N, N, N, N, N, N, N, F),
    "pathways:partner":               (L, N, N, N, N, N, N, N, F),
    "partner:home":                   (L, N, N, N, N, N, N, A, F),
    "partner:refer":                  (L, N, N, N, N, N, N, A, F),
    "partner:case":                   (L, N, N, N, N, N, N, A, F),
    # Screening help requests: screeners only (requests belong to no desk yet). The referral
    # directory: screeners and admins.
    "screening:inbox":                (L, N, N, N, A, N, N, N, F),
    "screening:bulk-spam":            (L, N, N, N, M, N, N, N, F),
    "screening:request":              (L, N, N, N, A, N, N, N, F),
    "screening:file":                 (L, N, N, N, A, N, N, N, F),
    "screening:reply":                (L, N, N, N, M, N, N, N, F),
    "screening:triage":               (L, N, N, N, M, N, N, N, F),
    "screening:open-case":            (L, N, N, N, M, N, N, N, F),
    "screening:attach":               (L, N, N, N, M, N, N, N, F),
    "screening:decline":              (L, N, N, N, M, N, N, N, F),
    "screening:spam":                 (L, N, N, N, M, N, N, N, F),
    "screening:directory":            (L, N, N, N, A, A, N, N, F),
    "screening:directory-new":        (L, N, N, N, A, A, N, N, F),
    "screening:directory-edit":       (L, N, N, N, A, A, N, N, F),
    "screening:directory-checked":    (L, N, N, N, M, M, N, N, F),
    # Exports of case data (issue 9.7): desk leads (cases.export_bulk). A full export's page and
    # steps name an export (a random id here: 404); refusing is POST only; approving and
    # downloading (step-up) answer a GET, back from the step-up page, with the export's page.
    # tests/exports walks them with real exports.
    "exports:index":                  (L, N, N, A, N, N, N, N, F),
    "exports:redacted":               (L, N, N, A, N, N, N, N, F),
    "exports:full-new":               (L, N, N, A, N, N, N, N, F),
    "exports:export":                 (L, N, N, N, N, N, N, N, F),
    "exports:approve":                (L, N, N, N, N, N, N, N, F),
    "exports:refuse":                 (L, N, N, M, N, N, N, N, F),
    "exports:download":               (L, N, N, N, N, N, N, N, F),
    # Imports (issue 9.8): desk leads (cases.import), into a desk they lead. A job's pages name
    # a job (a random id here: 404); abandoning is POST only; starting (step-up) answers a GET,
    # back from the step-up page, with the job's page. tests/imports walks them with a job.
    "imports:index":                  (L, N, N, A, N, N, N, N, F),
    "imports:new":                    (L, N, N, A, N, N, N, N, F),
    "imports:job":                    (L, N, N, N, N, N, N, N, F),
    "imports:mapping":                (L, N, N, N, N, N, N, N, F),
    "imports:start":                  (L, N, N, N, N, N, N, N, F),
    "imports:abandon":                (L, N, N, M, N, N, N, N, F),
    # Reports (issue 9.5-9.6): desk leads and admins (and finance officers, not a persona
    # here) see the dashboards (reports.view); goals are admins' (reports.goals); the public
    # statistics are desk leads' and admins' (reports.statistics). The download page without
    # a period sends back to the list (a redirect in the flow). tests/reports walks them.
    "reports:dashboard":              (L, N, N, A, N, A, N, N, F),
    "reports:requests":               (L, N, N, A, N, A, N, N, F),
    "reports:funds":                  (L, N, N, A, N, A, N, N, F),
    "reports:funder":                 (L, N, N, A, N, A, N, N, F),
    "reports:goals":                  (L, N, N, N, N, A, N, N, F),
    "reports:statistics":             (L, N, N, A, N, A, N, N, F),
    "reports:statistics-download":    (L, N, N, A, N, A, N, N, F),
}
# fmt: on

# What to put in a URL's arguments: a key of the test's world of real objects ("missing" is a
# random UUID that names nothing). URLs with arguments are also tried with random UUIDs, and
# every persona allowed above must then get a 404. ``lang`` (a language of the public pages) is
# no object: it keeps its value then, and a language that is not one of the six is tried on its
# own (the URL does not resolve: 404 for everyone).
ARGS: dict[str, dict[str, str]] = {
    "static": {"path": "static_file"},
    "staff:invitation": {"token": "invitation_token"},
    "staff:session-end": {"session_id": "own_session"},
    "staff:security-key-remove": {"key_id": "missing"},
    "alerts:acknowledge": {"alert_id": "missing"},
    "alerts:resolve": {"alert_id": "missing"},
    "alerts:shift-new": {"desk_id": "desk"},
    "alerts:shift-remove": {"shift_id": "missing"},
    "alerts:destination-edit": {"user_id": "user"},
    "safehouses:house": {"house_id": "safehouse"},
    "safehouses:calendar": {"house_id": "safehouse"},
    "safehouses:address": {"house_id": "safehouse"},
    "safehouses:status": {"house_id": "safehouse"},
    "safehouses:compromised": {"house_id": "safehouse"},
    "funds:fund": {"fund_id": "missing"},
    "routes:route": {"route_id": "route"},
    "routes:status": {"route_id": "route"},
    "routes:compromise": {"route_id": "route"},
    "funds:deposit": {"fund_id": "missing"},
    "staff:admin-user": {"user_id": "user"},
    "staff:admin-user-edit": {"user_id": "user"},
    "staff:admin-user-suspend": {"user_id": "user"},
    "staff:admin-user-reactivate": {"user_id": "user"},
    "staff:admin-user-unlock": {"user_id": "user"},
    "staff:admin-user-invitation": {"user_id": "user"},
    "staff:admin-user-reset": {"user_id": "user"},
    "staff:admin-reset-approve": {"reset_id": "reset"},
    "lockdown:confirm": {"lockdown_id": "missing"},
    "lockdown:withdraw": {"lockdown_id": "missing"},
    "lockdown:lift": {"lockdown_id": "missing"},
    "lockdown:lift-confirm": {"lockdown_id": "missing"},
    "lockdown:keys-confirm": {"proposal_id": "missing"},
    "lockdown:keys-withdraw": {"proposal_id": "missing"},
    "staff:admin-reset-cancel": {"reset_id": "reset"},
    "staff:admin-desk-edit": {"desk_id": "desk"},
    "staff:admin-desk-deactivate": {"desk_id": "desk"},
    "staff:admin-desk-reactivate": {"desk_id": "desk"},
    "staff:admin-partner-edit": {"partner_id": "partner"},
    "staff:admin-partner-deactivate": {"partner_id": "partner"},
    "staff:admin-partner-reactivate": {"partner_id": "partner"},
    "partner:case": {"case_id": "referred_case"},
    "cases:desk-priority": {"desk_id": "desk"},
    "pathways:programme-edit": {"programme_id": "programme"},
    "pathways:partner": {"partner_id": "partner"},
    "workload:desk": {"desk_id": "desk"},
    "workload:handover": {"desk_id": "desk"},
    "workload:transfer-request": {"case_id": "case"},
    "workload:transfer-accept": {"transfer_id": "missing"},
    "workload:transfer-decline": {"transfer_id": "missing"},
    "workload:transfer-withdraw": {"transfer_id": "missing"},
    "cases:campaign-edit": {"campaign_id": "campaign"},
    "screening:request": {"request_id": "help_request"},
    "screening:file": {"request_id": "help_request", "item_id": "request_file"},
    "screening:reply": {"request_id": "help_request"},
    "screening:triage": {"request_id": "help_request"},
    "screening:open-case": {"request_id": "help_request"},
    "screening:attach": {"request_id": "help_request"},
    "screening:decline": {"request_id": "help_request"},
    "screening:spam": {"request_id": "help_request"},
    "screening:directory-edit": {"organisation_id": "referral"},
    "screening:directory-checked": {"organisation_id": "referral"},
    "casefields:field-edit": {"definition_id": "field_definition"},
    "casefields:field-move": {"definition_id": "field_definition"},
    "casefields:field-retire": {"definition_id": "field_definition"},
    "casefields:field-reinstate": {"definition_id": "field_definition"},
    "dossiers:template-edit": {"template_id": "letter_template"},
    "exports:export": {"export_id": "missing"},
    "exports:approve": {"export_id": "missing"},
    "exports:refuse": {"export_id": "missing"},
    "exports:download": {"export_id": "missing"},
    "imports:job": {"job_id": "missing"},
    "imports:mapping": {"job_id": "missing"},
    "imports:start": {"job_id": "missing"},
    "imports:abandon": {"job_id": "missing"},
    "evidence:bundle": {"bundle_id": "missing"},
    "evidence:bundle-items": {"bundle_id": "missing"},
    "evidence:bundle-approve": {"bundle_id": "missing"},
    "evidence:bundle-download": {"bundle_id": "missing"},
    "evidence:custody-add": {"bundle_id": "missing"},
}
PUBLIC_PAGES_IN_A_LANGUAGE = (
    "public:help",
    "public:request",
    "public:story",
    "public:mailbox",
    "public:message",
    "public:checkin",
    "public:words",
    "public:sign-out",
    "public:delete",
    "public:privacy",
)
for _name in PUBLIC_PAGES_IN_A_LANGUAGE:
    ARGS[_name] = {"lang": "lang"}
CASE_ARGS: dict[str, dict[str, str]] = {
    "cases:case": {},
    "cases:screen": {},
    "cases:case-person": {},
    "cases:person-add": {},
    "cases:person-edit": {"person_id": "principal"},
    "cases:person-remove": {"person_id": "member"},
    "cases:narrative-edit": {},
    "cases:case-triage": {},
    "cases:triage-override": {},
    "cases:transition": {},
    "cases:assign": {},
    "cases:assign-me": {},
    "cases:case-timeline": {},
    "cases:case-verification": {},
    "cases:verification-add": {"kind": "verification_kind"},
    "cases:verification-outcome": {},
    "cases:unfreeze": {},
    "cases:case-approvals": {},
    "cases:relocation-request": {},
    "cases:emergency-request": {},
    "cases:approval-decide": {"approval_id": "approval"},
    "cases:approval-withdraw": {"approval_id": "approval"},
    "cases:emergency-review": {"approval_id": "approval"},
    "cases:case-consent": {},
    "cases:consent-add": {},
    "cases:consent-withdraw": {"consent_id": "consent"},
    "cases:share-add": {},
    "cases:share-revoke": {"share_id": "share"},
    "cases:duplicate-distinct": {"flag_id": "flag"},
    "cases:duplicate-merge": {"flag_id": "flag"},
    "casework:contacts": {},
    "casework:notes": {},
    "casework:note-edit": {"note_id": "note"},
    "casework:tasks": {},
    "casework:task-complete": {"task_id": "task"},
    "casework:task-reopen": {"task_id": "task"},
    "casefiles:files": {},
    "casefiles:file-add": {},
    "casefiles:file-download": {"file_id": "case_file"},
    "casefiles:file-remove": {"file_id": "case_file"},
    "safehouses:case": {},
    "safehouses:place": {},
    "safehouses:stay-arrive": {"stay_id": "stay"},
    "safehouses:stay-end": {"stay_id": "stay"},
    "safehouses:stay-move": {"stay_id": "stay"},
    "routes:travel": {},
    "routes:leg-add": {"plan_id": "travel_plan"},
    "routes:leg-edit": {"leg_id": "travel_leg"},
    "routes:ticket": {"leg_id": "travel_leg"},
    "funds:budget": {},
    "funds:line-add": {},
    "funds:line-decide": {"line_id": "missing"},
    "funds:disburse": {"line_id": "missing"},
    "funds:line-close": {"line_id": "missing"},
    "funds:emergency-pay": {"approval_id": "missing"},
    "funds:stipend-add": {"line_id": "missing"},
    "funds:stipend-pay": {"stipend_id": "missing"},
    "funds:stipend-end": {"stipend_id": "missing"},
    "casefields:case-details": {},
    "casefields:section-edit": {"section": "field_section"},
    "casefields:case-export": {},
    "documents:documents": {},
    "documents:document-edit": {"document_id": "document"},
    "safety:case": {},
    "safety:schedule": {},
    "safety:checkin-log": {},
    "safety:duress-record": {},
    "safety:words": {},
    "safety:duress-decide": {"duress_id": "missing"},
    "safety:review-close": {"review_id": "missing"},
    "dossiers:letters": {},
    "dossiers:letter-make": {"template_id": "letter_template"},
    "evidence:case": {},
    "evidence:testimony-add": {},
    "evidence:testimony": {"testimony_id": "missing"},
    "evidence:redaction-add": {"testimony_id": "missing"},
    "evidence:redaction-remove": {"testimony_id": "missing"},
    "evidence:consent-withdraw": {"testimony_id": "missing"},
    "evidence:incident-add": {"testimony_id": "missing"},
    "evidence:links": {"testimony_id": "missing"},
    "evidence:file-add": {"testimony_id": "missing"},
    "interpret:case": {},
    "interpret:messages": {},
    "interpret:contacts": {},
    "interpret:translation-add": {"kind": "translation_kind", "source_id": "case"},
    "interpret:translation-edit": {"translation_id": "translation"},
    "interpret:assign": {},
    "pathways:case": {},
    "pathways:application-edit": {"application_id": "pathway_application"},
    "interpret:end": {"assignment_id": "interpreter_assignment"},
    "retention:case-hold": {},
}
for _name, _extra in CASE_ARGS.items():
    ARGS[_name] = {"case_id": "case", **_extra}
# Settlement's pages are on the arrived North case of tests/settlement/world.py.
SETTLEMENT_ARGS: dict[str, dict[str, str]] = {
    "settlement:case": {},
    "settlement:plan-edit": {},
    "settlement:step-add": {},
    "settlement:step-edit": {"step_id": "settlement_step"},
    "settlement:need-edit": {"need_id": "settlement_need"},
    "settlement:follow-up": {"follow_up_id": "settlement_follow_up"},
}
for _name, _extra in SETTLEMENT_ARGS.items():
    ARGS[_name] = {"case_id": "settled_case", **_extra}


# --- The interpreter (issue 5) ---------------------------------------------------------------
# A tenth persona, in a column of its own: an interpreter (no desk) given the North case of the
# world above (``tests/interpreting/world.py``). ``tests/interpreting/test_access_matrix.py``
# asks every URL as them. An interpreter reads only the story, mailbox messages and contacts
# of that case, on their own pages; every case page (and every list) is a 404. A URL not named
# here: 404 where the view needs a permission interpreters lack, else the caseworker's answer
# (public, sign-in and console-wide pages). Every URL naming a case is also tried with the case
# the interpreter is not given, and after their assignment ended: 404 for all of them.
# Every list and every section of the case they interpret: 404.
# fmt: off
_INTERPRETER_REFUSED = (
    "cases:queue", "cases:queue-assign", "cases:inbox", "cases:list", "cases:new",
    "cases:search", "cases:break-glass", "cases:case", "cases:screen",
    "cases:case-person", "cases:person-add", "cases:person-edit", "cases:person-remove",
    "cases:narrative-edit", "cases:case-triage", "cases:triage-override",
    "cases:transition", "cases:assign", "cases:case-timeline", "cases:case-verification",
    "cases:verification-add", "cases:verification-outcome", "cases:unfreeze",
    "cases:case-approvals", "cases:relocation-request", "cases:emergency-request",
    "cases:approval-decide", "cases:approval-withdraw", "cases:emergency-review",
    "cases:case-consent", "cases:consent-add", "cases:consent-withdraw",
    "cases:share-add", "cases:share-revoke", "cases:duplicate-distinct",
    "cases:duplicate-merge", "casework:contacts", "casework:notes", "casework:tasks",
    "casefiles:files", "partner:case", "screening:request",
)
# fmt: on
INTERPRETER: dict[str, str] = {
    "staff:home": A,
    "staff:sessions": A,
    "alerts:list": A,
    # Their own pages, on the case given to them.
    "interpret:list": A,
    "interpret:case": A,
    "interpret:messages": A,
    "interpret:contacts": A,
    "interpret:translation-add": A,
    "interpret:translation-edit": A,
    "interpret:assign": N,
    "interpret:end": N,
    **dict.fromkeys(_INTERPRETER_REFUSED, N),
}


# --- Logistics on safe houses (issue 7) ------------------------------------------------------
# A logistics coordinator of the North desk (``tests/safehouses/world.py``), on the safe-house
# URLs only (``tests/safehouses/test_access_matrix.py``): everything, the address by POST only.
# The same URLs for a logistics coordinator of the South desk, and with ids that name nothing:
# 404 (the list and capacity: allowed, showing nothing of the North).
SAFEHOUSE_LOGISTICS: dict[str, str] = {
    "safehouses:list": A,
    "safehouses:capacity": A,
    "safehouses:new": A,
    "safehouses:house": A,
    "safehouses:calendar": A,
    "safehouses:address": M,
    "safehouses:status": A,
    "safehouses:compromised": A,
    "safehouses:case": A,
    "safehouses:place": A,
    "safehouses:stay-arrive": A,
    "safehouses:stay-end": A,
    "safehouses:stay-move": A,
}
