/**
 * Four eyes on a sample of approvals: a supervisor sets the share of APPROVE decisions that also need
 * a countersignature; the database draws it when the version arrives (a client cannot pick a version
 * id that escapes the sample) and records the draw on the version.
 */
export const sql = String.raw`
CREATE TABLE idv_team.settings (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  approve_sample_percent integer NOT NULL DEFAULT 0 CHECK (approve_sample_percent BETWEEN 0 AND 100)
);
INSERT INTO idv_team.settings DEFAULT VALUES;
CREATE TRIGGER settings_audit AFTER UPDATE ON idv_team.settings FOR EACH ROW EXECUTE FUNCTION idv_team.audit_change();
GRANT SELECT ON idv_team.settings TO idv_reviewer;
GRANT UPDATE (approve_sample_percent) ON idv_team.settings TO idv_supervisor;

CREATE OR REPLACE FUNCTION idv_team.requires_countersign(decision text) RETURNS boolean LANGUAGE sql VOLATILE AS $$
  SELECT decision IN ('REJECT', 'ESCALATE')
      OR (decision = 'APPROVE' AND random() * 100 < (SELECT s.approve_sample_percent FROM idv_team.settings s))
$$;
`;
