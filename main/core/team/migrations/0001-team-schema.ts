/**
 * The team database's first schema: the shared queue, claims, review versions, countersignatures and
 * the hash-chained audit table, with the two group roles and their rights. Identity is the login
 * role: every default and policy uses `session_user`, which `SET ROLE` cannot change (a reviewer
 * who switches to the shared `idv_reviewer` role is still themself).
 */
export const sql = String.raw`
-- Group roles are cluster-wide: another database of the same server may have made them already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'idv_reviewer') THEN CREATE ROLE idv_reviewer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'idv_supervisor') THEN CREATE ROLE idv_supervisor NOLOGIN; END IF;
END $$;
GRANT idv_reviewer TO idv_supervisor;
GRANT USAGE ON SCHEMA idv_team TO idv_reviewer;

CREATE TABLE idv_team.queue (
  session_id text PRIMARY KEY CHECK (session_id ~ '^[A-Za-z0-9-]{1,64}$'),
  priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -1000 AND 1000),
  added_by name NOT NULL DEFAULT session_user,
  added_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_order ON idv_team.queue (priority DESC, added_at, session_id);

-- One reviewer per session at a time (the primary key), until the lease runs out.
CREATE TABLE idv_team.claims (
  session_id text PRIMARY KEY REFERENCES idv_team.queue ON DELETE CASCADE,
  reviewer name NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz NOT NULL,
  CHECK (lease_until > claimed_at)
);

-- Versions are never changed or deleted: a new decision is a new version. No images and no
-- document data: the decision, the reviewer's reasons and notes, and the hash of the evidence
-- manifest it was made on (the evidence stays in each workstation's encrypted store).
CREATE TABLE idv_team.review_versions (
  version_id uuid PRIMARY KEY,
  session_id text NOT NULL REFERENCES idv_team.queue,
  reviewer name NOT NULL DEFAULT session_user,
  decision text NOT NULL CHECK (decision IN ('APPROVE', 'REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE')),
  reasons jsonb NOT NULL CHECK (jsonb_typeof(reasons) = 'array'),
  notes text NOT NULL CHECK (length(notes) <= 200000),
  verdicts jsonb NOT NULL CHECK (jsonb_typeof(verdicts) = 'array'),
  overrides jsonb NOT NULL CHECK (jsonb_typeof(overrides) = 'object'),
  manifest_sha256 text NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  yoti_result text NOT NULL CHECK (length(yoti_result) <= 40),
  -- The newest team version the reviewer had seen for this session (null: none).
  base_version_id uuid REFERENCES idv_team.review_versions,
  decided_at timestamptz NOT NULL,
  time_on_task_ms bigint CHECK (time_on_task_ms >= 0),
  active_ms bigint CHECK (active_ms >= 0),
  -- Set by the database, never by the client (review_versions_fill).
  submitted_at timestamptz NOT NULL,
  requires_countersign boolean NOT NULL,
  conflicts_with uuid REFERENCES idv_team.review_versions,
  UNIQUE (version_id, reviewer)
);
CREATE INDEX review_versions_session ON idv_team.review_versions (session_id, submitted_at DESC, version_id);
CREATE INDEX review_versions_reviewer ON idv_team.review_versions (reviewer, submitted_at);

-- Four eyes: the signer must be another role than the author. The author is copied from the
-- version (countersignatures_fill) and bound to it by the foreign key, so the check holds for
-- any client, direct SQL included.
CREATE TABLE idv_team.countersignatures (
  version_id uuid PRIMARY KEY,
  author name NOT NULL,
  signer name NOT NULL DEFAULT session_user,
  signed_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (version_id, author) REFERENCES idv_team.review_versions (version_id, reviewer),
  CONSTRAINT four_eyes CHECK (signer <> author)
);

-- Append-only, hash-chained like the workstation's log: hash = sha256(prev_hash || entry), entry
-- being the exact UTF-8 text hashed. Only the owner may change rows; everyone else reads.
CREATE TABLE idv_team.audit (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor name NOT NULL,
  action text NOT NULL,
  session_id text,
  detail jsonb NOT NULL,
  entry text NOT NULL,
  prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),
  hash bytea NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_session ON idv_team.audit (session_id, seq);

CREATE FUNCTION idv_team.audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last record;
BEGIN
  -- One writer at a time extends the chain (held to the end of the transaction).
  PERFORM pg_advisory_xact_lock(hashtext('idv_team.audit'));
  SELECT a.seq, a.hash INTO last FROM idv_team.audit a ORDER BY a.seq DESC LIMIT 1;
  NEW.seq := coalesce(last.seq, 0) + 1;
  NEW.at := clock_timestamp();
  NEW.actor := session_user;
  NEW.prev_hash := coalesce(last.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  NEW.entry := jsonb_build_object(
    'seq', NEW.seq,
    'at', to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'actor', NEW.actor,
    'action', NEW.action,
    'sessionId', NEW.session_id,
    'detail', NEW.detail)::text;
  NEW.hash := sha256(NEW.prev_hash || convert_to(NEW.entry, 'UTF8'));
  RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON idv_team.audit FOR EACH ROW EXECUTE FUNCTION idv_team.audit_chain();

-- Every change to the shared state writes its audit entry, whatever the client.
-- Every change to the shared state writes its audit entry, whatever the client. The entry names the
-- row, not what a reviewer wrote in it (notes and reasons stay in their table).
CREATE FUNCTION idv_team.audit_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  row_data jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
  INSERT INTO idv_team.audit (action, session_id, detail) VALUES (
    TG_TABLE_NAME || '.' || lower(TG_OP),
    CASE WHEN TG_TABLE_NAME = 'countersignatures'
      THEN (SELECT v.session_id FROM idv_team.review_versions v WHERE v.version_id = (row_data->>'version_id')::uuid)
      ELSE row_data->>'session_id' END,
    row_data - ARRAY['session_id', 'notes', 'reasons', 'verdicts', 'overrides']);
  RETURN NULL;
END $$;
CREATE TRIGGER queue_audit AFTER INSERT OR DELETE ON idv_team.queue FOR EACH ROW EXECUTE FUNCTION idv_team.audit_change();
CREATE TRIGGER claims_audit AFTER INSERT OR UPDATE OR DELETE ON idv_team.claims FOR EACH ROW EXECUTE FUNCTION idv_team.audit_change();
CREATE TRIGGER review_versions_audit AFTER INSERT ON idv_team.review_versions FOR EACH ROW EXECUTE FUNCTION idv_team.audit_change();
CREATE TRIGGER countersignatures_audit AFTER INSERT ON idv_team.countersignatures FOR EACH ROW EXECUTE FUNCTION idv_team.audit_change();

-- Which decisions need a second reviewer: REJECT and ESCALATE (a later migration may add more), and
-- any decision that replaces another reviewer's (review_versions_fill).
CREATE FUNCTION idv_team.requires_countersign(decision text) RETURNS boolean LANGUAGE sql VOLATILE AS $$
  SELECT decision IN ('REJECT', 'ESCALATE')
$$;

-- What the database, not the client, decides about a new version: when it arrived, whether it needs
-- a countersignature, and whether another version had arrived since the one the reviewer saw.
CREATE FUNCTION idv_team.review_versions_fill() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  newest uuid;
  base_author name;
BEGIN
  -- Versions of one session arrive one at a time, so two made on the same base both see the other.
  PERFORM pg_advisory_xact_lock(hashtext('idv_team.session'), hashtext(NEW.session_id));
  SELECT v.version_id INTO newest FROM idv_team.review_versions v
    WHERE v.session_id = NEW.session_id ORDER BY v.submitted_at DESC, v.version_id DESC LIMIT 1;
  SELECT v.reviewer INTO base_author FROM idv_team.review_versions v WHERE v.version_id = NEW.base_version_id;
  NEW.submitted_at := clock_timestamp();
  -- Replacing another reviewer's decision needs a second pair of eyes too, whatever the decision:
  -- otherwise one reviewer could turn a countersigned REJECT into an APPROVE alone.
  NEW.requires_countersign := idv_team.requires_countersign(NEW.decision) OR (base_author IS NOT NULL AND base_author <> NEW.reviewer);
  NEW.conflicts_with := CASE WHEN newest IS DISTINCT FROM NEW.base_version_id THEN newest END;
  RETURN NEW;
END $$;
CREATE TRIGGER review_versions_fill BEFORE INSERT ON idv_team.review_versions FOR EACH ROW EXECUTE FUNCTION idv_team.review_versions_fill();

CREATE FUNCTION idv_team.countersignatures_fill() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  NEW.author := (SELECT v.reviewer FROM idv_team.review_versions v WHERE v.version_id = NEW.version_id);
  NEW.signed_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER countersignatures_fill BEFORE INSERT ON idv_team.countersignatures FOR EACH ROW EXECUTE FUNCTION idv_team.countersignatures_fill();

-- Each session's standing: its newest version, whether that one is final (countersigned where it
-- must be, and not in conflict) and who holds the claim.
CREATE VIEW idv_team.session_state AS
SELECT q.session_id, q.priority, q.added_by, q.added_at,
       c.reviewer AS claimed_by, c.lease_until,
       v.version_id, v.reviewer, v.decision, v.submitted_at, v.requires_countersign,
       s.signer AS countersigned_by, s.signed_at AS countersigned_at,
       v.conflicts_with,
       (v.version_id IS NOT NULL AND v.conflicts_with IS NULL AND (NOT v.requires_countersign OR s.signer IS NOT NULL)) AS final
FROM idv_team.queue q
LEFT JOIN idv_team.claims c ON c.session_id = q.session_id AND c.lease_until > now()
LEFT JOIN LATERAL (
  SELECT * FROM idv_team.review_versions rv WHERE rv.session_id = q.session_id
  ORDER BY rv.submitted_at DESC, rv.version_id DESC LIMIT 1) v ON true
LEFT JOIN idv_team.countersignatures s ON s.version_id = v.version_id;

-- Claims the next undecided, unclaimed session for the login role: the queue row is locked with
-- SKIP LOCKED, so concurrent reviewers take different sessions without waiting on each other; a
-- claim that lost a race (another reviewer's committed after our snapshot) is retried.
CREATE FUNCTION idv_team.claim_next(lease interval) RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  candidate text;
  claimed text;
BEGIN
  IF lease <= interval '0' OR lease > interval '1 day' THEN
    RAISE EXCEPTION 'a claim lasts more than nothing and at most a day' USING ERRCODE = '22023';
  END IF;
  LOOP
    SELECT q.session_id INTO candidate FROM idv_team.queue q
      WHERE NOT EXISTS (SELECT FROM idv_team.claims c WHERE c.session_id = q.session_id AND c.lease_until > now())
        AND NOT EXISTS (SELECT FROM idv_team.review_versions v WHERE v.session_id = q.session_id)
      ORDER BY q.priority DESC, q.added_at, q.session_id
      FOR UPDATE OF q SKIP LOCKED LIMIT 1;
    IF candidate IS NULL THEN RETURN NULL; END IF;
    INSERT INTO idv_team.claims AS c (session_id, reviewer, claimed_at, lease_until)
      VALUES (candidate, session_user, now(), now() + lease)
      ON CONFLICT (session_id) DO UPDATE SET reviewer = EXCLUDED.reviewer, claimed_at = EXCLUDED.claimed_at, lease_until = EXCLUDED.lease_until
      WHERE c.lease_until <= now()
      RETURNING c.session_id INTO claimed;
    IF claimed IS NOT NULL THEN RETURN claimed; END IF;
  END LOOP;
END $$;

ALTER TABLE idv_team.queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE idv_team.claims ENABLE ROW LEVEL SECURITY;
ALTER TABLE idv_team.review_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE idv_team.countersignatures ENABLE ROW LEVEL SECURITY;
ALTER TABLE idv_team.audit ENABLE ROW LEVEL SECURITY;

-- The whole team sees the shared state (claimed-by, decisions, the log).
CREATE POLICY team_reads ON idv_team.queue FOR SELECT TO idv_reviewer USING (true);
CREATE POLICY team_reads ON idv_team.claims FOR SELECT TO idv_reviewer USING (true);
CREATE POLICY team_reads ON idv_team.review_versions FOR SELECT TO idv_reviewer USING (true);
CREATE POLICY team_reads ON idv_team.countersignatures FOR SELECT TO idv_reviewer USING (true);
CREATE POLICY team_reads ON idv_team.audit FOR SELECT TO idv_reviewer USING (true);
-- Anyone adds to the queue, in their own name; only a supervisor takes a session out.
CREATE POLICY add_own ON idv_team.queue FOR INSERT TO idv_reviewer WITH CHECK (added_by = session_user);
CREATE POLICY supervisor_removes ON idv_team.queue FOR DELETE TO idv_supervisor USING (true);
-- A reviewer renews or releases only their own claim; a supervisor reassigns or releases any.
CREATE POLICY own_claim ON idv_team.claims FOR UPDATE TO idv_reviewer USING (reviewer = session_user) WITH CHECK (reviewer = session_user);
CREATE POLICY release_own ON idv_team.claims FOR DELETE TO idv_reviewer USING (reviewer = session_user);
CREATE POLICY supervisor_reassigns ON idv_team.claims FOR UPDATE TO idv_supervisor USING (true) WITH CHECK (true);
CREATE POLICY supervisor_releases ON idv_team.claims FOR DELETE TO idv_supervisor USING (true);
-- A version is written in its author's own name only, and never changed after.
CREATE POLICY author_writes ON idv_team.review_versions FOR INSERT TO idv_reviewer WITH CHECK (reviewer = session_user);
CREATE POLICY signer_writes ON idv_team.countersignatures FOR INSERT TO idv_reviewer WITH CHECK (signer = session_user);

GRANT SELECT, INSERT ON idv_team.queue TO idv_reviewer;
GRANT DELETE ON idv_team.queue TO idv_supervisor;
GRANT SELECT, DELETE ON idv_team.claims TO idv_reviewer;
GRANT UPDATE (lease_until) ON idv_team.claims TO idv_reviewer;
GRANT UPDATE (reviewer, lease_until) ON idv_team.claims TO idv_supervisor;
GRANT SELECT, INSERT ON idv_team.review_versions TO idv_reviewer;
GRANT SELECT, INSERT ON idv_team.countersignatures TO idv_reviewer;
GRANT SELECT ON idv_team.audit TO idv_reviewer;
GRANT SELECT ON idv_team.session_state TO idv_reviewer;
GRANT SELECT ON idv_team.schema_migrations TO idv_reviewer;
REVOKE ALL ON FUNCTION idv_team.claim_next(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION idv_team.claim_next(interval) TO idv_reviewer;
`;
