import { describe, expect, test } from 'vitest';
import { summarizeSession } from '../../../common/session/summary';
import { formatSummary } from '../../../main/cli/format-summary';
import { parseSession } from '../../../common/session/parse';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { demoSession } from '../report/fixture';
import { load } from '../session/load';

/** `idv-review show` as text: what Yoti sends, including ids, times and tasks, with the token counted to now. */
const { session } = load('full-coverage.json');
const summary = summarizeSession(session);
const FETCHED = '2026-12-04T10:00:00.000Z';
const meta = { sessionId: session.session_id!, sdkId: 'sdk', apiUrl: 'https://api.yoti.com/idverify/v1', fetchedAt: FETCHED, size: 1, sha256: '0'.repeat(64) };
const text = (now: string, of = summary): string => formatSummary(of, { session: meta, media: new Map(), documents: [] }, new Date(now)).join('\n');
// A demo session: Yoti's times, ids, resources and tasks as the demo server gives them.
const demo = summarizeSession(parseSession(JSON.stringify(demoSession(DEMO_SESSION_IDS.approvedPassport).session)).session);

describe('idv-review show, as text', () => {
  test("the token's time left is counted from the fetch to now, not frozen at the fetch", () => {
    expect(session.client_session_token_ttl).toBe(599);
    expect(text('2026-12-04T10:01:40.000Z')).toContain('(token valid for 499 s more)');
    expect(text('2026-12-04T10:10:00.000Z')).toContain('(token expired)');
  });

  test('derived created and completed times, check ids, times at Yoti and resources used, and the tasks', () => {
    const out = text('2026-12-04T10:00:00.000Z', demo);
    expect(demo.times.created).toBeDefined();
    expect(out).toContain(`Created ${demo.times.created} (derived: the earliest time Yoti gives inside the session)`);
    expect(out).toContain(`Completed ${demo.times.completed} (derived: the last update Yoti gives for a check or task)`);
    const check = demo.checks.find((c) => c.id !== undefined && c.created !== undefined && c.resources.length > 0)!;
    expect(out).toContain(`Check id ${check.id}; at Yoti created ${check.created}`);
    expect(out).toContain(`Uses: ${check.resources.map((r) => r.label).join(', ')}`);
    expect(demo.tasks.length).toBeGreaterThan(0);
    expect(out).toContain("Yoti's tasks");
    expect(out).toContain(`${demo.tasks[0]!.resource}: ${demo.tasks[0]!.type.text}`);
  });
});
