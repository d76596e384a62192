-- The intake tier's PostgreSQL role: it may add requests and use mailboxes, and nothing else.
--
-- DESIGN invariant 2: the intake tier (PASSAGE_ROLE=intake) faces the internet and holds no key
-- that opens requests or case data. This script makes its database role match: it can create a
-- mailbox and a sealed request, add sealed items, read what the mailbox page shows, delete its
-- mailbox and write audit entries; it cannot read a sealed request, a case, a data key, a staff
-- account or a session, and it cannot change the audit log. See docs/deploy.md ("The intake
-- tier's database role").
--
-- Run it as the owner of Passage's tables (the role that runs `passage migrate`) or a superuser,
-- connected to Passage's database, after `passage migrate`, and again after every upgrade
-- (it starts by taking back everything, so running it twice is harmless):
--
--   createuser passage_intake --pwprompt        # LOGIN and nothing else
--   psql "postgres://passage_console@db.internal/passage" \
--        -v intake_role=passage_intake -f docs/intake-database-role.sql
--
-- The database is the one psql is connected to (psql's own :DBNAME); the schema is `public`.
-- The table and column lists below follow what src/passage/intake/services/public.py, the audit
-- writer (src/passage/audit/services.py) and the health checks (src/passage/core/queries.py)
-- send; tests/intake/test_intake_database_role.py runs the real intake tier under this role and
-- shows that the rest is refused. A query that needs more than this is a bug in the intake tier,
-- not a reason to widen the grants.

\set ON_ERROR_STOP on

\if :{?intake_role}
\else
    \echo 'Name the intake role: psql -v intake_role=passage_intake -f docs/intake-database-role.sql'
    DO $$ BEGIN RAISE EXCEPTION 'psql variable intake_role is not set'; END $$;
\endif

-- Grants mean nothing to a superuser, to a role that bypasses row security, or to a role that
-- owns (or is a member of the owner of) the tables: refuse to pretend otherwise.
SELECT count(*) = 1 AS intake_role_exists
  FROM pg_roles WHERE rolname = :'intake_role' \gset
\if :intake_role_exists
\else
    \echo 'The role named by intake_role does not exist: create it first (createuser --pwprompt).'
    DO $$ BEGIN RAISE EXCEPTION 'intake role missing'; END $$;
\endif
SELECT NOT (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb)
       AND NOT EXISTS (
           SELECT 1 FROM pg_tables t
            WHERE t.schemaname = 'public' AND pg_has_role(r.oid, t.tableowner, 'MEMBER')
       ) AS intake_role_is_plain
  FROM pg_roles r WHERE r.rolname = :'intake_role' \gset
\if :intake_role_is_plain
\else
    \echo 'The intake role must be a plain LOGIN role that owns none of the tables (and is not a'
    \echo 'member of their owner): NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS.'
    DO $$ BEGIN RAISE EXCEPTION 'intake role too powerful'; END $$;
\endif

BEGIN;

-- Start from nothing. Revoking a table privilege also revokes the column privileges on it.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"intake_role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"intake_role";

GRANT CONNECT ON DATABASE :"DBNAME" TO :"intake_role";
GRANT USAGE ON SCHEMA public TO :"intake_role";

-- `passage serve` (before it starts) and /healthz check that no migration is pending.
GRANT SELECT ON django_migrations TO :"intake_role";

-- Mailboxes. Created by the first step; found by the codename's keyed hash (lookup); the page
-- shows the contact phrase (sealed to the mailbox's own key) and the language. The person may
-- delete their mailbox. Every column is read (the service loads the whole row); none of them
-- opens anything without the codename.
GRANT SELECT, INSERT, DELETE ON intake_mailbox TO :"intake_role";
-- Deleting locks the row first (SELECT ... FOR UPDATE), and PostgreSQL lets a role lock a row
-- only with UPDATE on at least one column. created_at is that column: nothing updates it, and
-- the role may delete the row anyway.
GRANT UPDATE (created_at) ON intake_mailbox TO :"intake_role";

-- Help requests. INSERT covers every column (Django inserts the whole row). Read back only what
-- the mailbox needs: which request is this mailbox's, its neutral status, whether the story came,
-- and its state (a message from the person puts a replied request back on the screener's list).
-- Never `sealed` (the sealed first step) nor any staff column (staff_note, level, case_id,
-- decided_by_id, decided_at): the intake services must load requests with `.only()` of these
-- five columns, since a whole-row read is refused.
GRANT INSERT ON intake_helprequest TO :"intake_role";
GRANT SELECT (id, mailbox_id, state, status, story_received)
    ON intake_helprequest TO :"intake_role";
-- story_received: the second step arrived. state: replied -> read on a new message.
-- mailbox_id: set to NULL when the person deletes their mailbox (Django does on_delete=SET_NULL
-- itself, with an UPDATE). The row lock taken before adding items (FOR UPDATE) needs these too.
GRANT UPDATE (story_received, state, mailbox_id) ON intake_helprequest TO :"intake_role";

-- What the person sends later (story, messages, files), sealed to the intake key. Read back only
-- the numbering (the next position) and the kinds (the count of messages sent); never `sealed`.
GRANT INSERT ON intake_requestitem TO :"intake_role";
GRANT SELECT (request_id, kind, position) ON intake_requestitem TO :"intake_role";

-- Staff replies: the person's copy (for_person, sealed to the mailbox key) and its date. Never
-- `body` (the staff copy, under the request's data key), author_id or template. Deleting the
-- mailbox empties the person's copies.
GRANT SELECT (id, request_id, sent_at, for_person) ON intake_staffreply TO :"intake_role";
GRANT UPDATE (for_person) ON intake_staffreply TO :"intake_role";

-- Check-ins (docs/safety.md): a typed word, padded and sealed to the intake key, one row per
-- check-in whatever the word; the two words the person chooses, sealed the same way. Added,
-- never read back: the console opens and deletes them. A new choice of words replaces one not
-- yet taken in (DELETE by mailbox), and deleting the mailbox deletes both kinds of row (Django
-- finds them by mailbox_id first). The mailbox page reads the next-due date from
-- intake_mailbox.checkin_due_at, covered by the SELECT above.
GRANT INSERT, DELETE ON intake_mailboxcheckin TO :"intake_role";
GRANT SELECT (id, mailbox_id) ON intake_mailboxcheckin TO :"intake_role";
GRANT INSERT, DELETE ON intake_mailboxwords TO :"intake_role";
GRANT SELECT (id, mailbox_id) ON intake_mailboxwords TO :"intake_role";

-- The audit log: every public action appends an entry. The writer locks the one-row chain head
-- (SELECT ... FOR UPDATE), appends, and moves the head on. Entries are never read, updated or
-- deleted from here (the table's trigger refuses UPDATE and DELETE from anyone as well).
GRANT INSERT ON audit_auditentry TO :"intake_role";
GRANT SELECT ON audit_audithead TO :"intake_role";
GRANT UPDATE (sequence, entry_hash) ON audit_audithead TO :"intake_role";

-- Nothing else: no cases_*, crypto_* (data keys, blind indexes, shred ledger), accounts_*,
-- alerts_*, auth_*, django_session, django_content_type, the task queue
-- (django_tasks_database_dbtaskresult), intake_referralorganisation. The intake tier uses no
-- sequence: its tables have random UUID keys and the audit log numbers its own entries.

COMMIT;

\echo 'Intake role granted: it can add requests and use mailboxes, and nothing else.'
