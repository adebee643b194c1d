import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import type { TeamVersion } from '../../main/core/team/team-db';
import { answerGuardrails, openConsole, openConsoleWithQueue, openFromQueue, queueRow, screenshot, useConsoleHarness, type Harness } from '../e2e/console-harness';
import { tcpProxy } from './support/tcp-proxy';
import { teamFixture, type TeamFixture } from './support/team-fixture';

/*
 * Team mode in the app (issue 16), end to end: the built renderer in Chromium over the real bridge
 * and keychain, against the run's PostgreSQL. A reviewer joins in Settings (main confirms natively),
 * claims the next session and decides it; other reviewers act straight in the database; their
 * decisions are countersigned from the Team panel; a supervisor's workstation sees today's figures;
 * with the database away for this workstation, a decision waits in main's outbox until it answers.
 * Each test continues where the one before ended.
 */
const { approvedPassport: APPROVED, rejectedIdCard: REJECTED, ongoing: ONGOING, nonLatin: NON_LATIN } = DEMO_SESSION_IDS;
const PASSWORD = 'correct horse battery staple';

type Person = Awaited<ReturnType<TeamFixture['person']>>;
let team: TeamFixture;
let alice = '';
let bob: Person;
let dave: Person;
/** This workstation reaches the database through a relay that can be cut: the team database away for it alone. */
let relay: Awaited<ReturnType<typeof tcpProxy>>;

const clusterPort = (): string => new URL(inject('pgAdminUrl')).port;
const dbUrl = (role: string, port = clusterPort()): string => `postgres://${role}@127.0.0.1:${port}/${team.database}`;

/** A decision another reviewer submits straight to the team database (no evidence: the hash stands for it). */
const version = (sessionId: string, decision: TeamVersion['decision'], more: Partial<TeamVersion> = {}): TeamVersion => ({
  versionId: randomUUID(),
  sessionId,
  decision,
  reasons: [],
  notes: 'decided at another workstation',
  verdicts: [],
  overrides: {},
  manifestSha256: 'b'.repeat(64),
  yotiResult: 'APPROVE',
  baseVersionId: null,
  decidedAt: new Date().toISOString(),
  timeOnTaskMs: null,
  activeMs: null,
  ...more,
});

/** Types the URL and the password in Settings → Team database and presses Join; `confirm` answers main's own dialog. */
async function joinInSettings(c: Harness, url: string, password: string, confirm: boolean): Promise<void> {
  const settings = c.page.getByTestId('settings');
  if ((await settings.count()) === 0) await c.page.getByRole('button', { name: 'Settings', exact: true }).click();
  const section = settings.getByTestId('team-settings');
  await section.getByRole('textbox', { name: 'Database URL' }).fill(url);
  await section.getByLabel('Password').fill(password);
  c.bridge.dialogs.nextConfirm = confirm;
  await section.getByRole('button', { name: 'Join' }).click();
  await expect.poll(() => section.getByTestId('team-settings-message').count()).toBe(1);
}

const awaitingIds = (c: Harness) => c.page.getByTestId('team-awaiting').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-session-id')));

const h = useConsoleHarness(async () => {
  team = await teamFixture();
  alice = (await team.person('alice_e2e')).role;
  bob = await team.person('bob_e2e');
  dave = await team.person('dave_e2e');
  relay = await tcpProxy(Number(clusterPort()));
  return openConsoleWithQueue([APPROVED]);
}, 60_000);

afterAll(async () => {
  await relay?.close();
  await team?.close();
});

describe('team mode in the app', () => {
  test('not joined, nothing of the team shows; joining goes through Settings and main\'s confirmation, refusals in words', async () => {
    const { page, bridge } = h;
    await queueRow(page, APPROVED).waitFor();
    expect(await page.getByTestId('team-button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Claim next' }).count()).toBe(0);

    // Cancelled in main's dialog: nothing joined.
    await joinInSettings(h, dbUrl(alice, String(relay.port)), PASSWORD, false);
    const section = page.getByTestId('team-settings');
    expect(await section.getByTestId('team-settings-message').textContent()).toBe('Not joined: the confirmation was cancelled.');
    expect(bridge.dialogs.history.at(-1)).toMatchObject({ kind: 'confirm', answer: false, question: { message: `Join the team database ${alice}@127.0.0.1:${relay.port}/${team.database}?` } });
    expect(await section.getByLabel('Password').inputValue()).toBe('');
    expect(await page.getByTestId('team-button').count()).toBe(0);
    expect(await bridge.handlers.getTeamView({}, { senderId: 0 })).toEqual({ ok: true, value: { joined: false } });

    // A wrong password: refused by the database, said in words.
    await joinInSettings(h, dbUrl(alice, String(relay.port)), 'not the password', true);
    expect(await section.getByRole('alert').textContent()).toMatch(new RegExp(`^Not joined: The team database refused the login of ${alice}: a wrong password`));
    expect(await page.getByTestId('team-button').count()).toBe(0);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-00-settings-join-refused');

    await joinInSettings(h, dbUrl(alice, String(relay.port)), PASSWORD, true);
    expect(await section.getByRole('status').textContent()).toBe(`Joined the team database ${alice}@127.0.0.1:${relay.port}/${team.database}.`);
    expect(await section.textContent()).toContain(`, as ${alice} (reviewer).`);
    // The password went to main (and the keychain) only: the page keeps it nowhere.
    expect(await page.content()).not.toContain('horse');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-01-settings-joined');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('team-button').textContent()).toBe('Team');
    expect(await page.getByRole('button', { name: 'Claim next' }).isEnabled()).toBe(true);
  });

  test('Claim next opens the next session of the team queue; the queue shows who holds which', async () => {
    const { page } = h;
    expect(await bob.db.addToQueue([REJECTED, APPROVED])).toEqual({ added: [REJECTED, APPROVED], alreadyQueued: [] });
    expect(await bob.db.claimNext()).toBe(APPROVED);

    await page.getByRole('button', { name: 'Claim next' }).click();
    // Not in the local list before: added by main, downloaded and opened.
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(REJECTED);
    await expect.poll(() => queueRow(page, REJECTED).getByTestId('q-claimed-by').textContent()).toMatch(/^Claimed by you, until \d\d:\d\d$/);
    await expect.poll(() => queueRow(page, APPROVED).getByTestId('q-claimed-by').textContent()).toMatch(new RegExp(`^Claimed by ${bob.role}, until \\d\\d:\\d\\d$`));
    expect(await page.getByTestId('team-open').textContent()).toBe('0 open in the team queue');
    await screenshot(page, 'team-02-queue-claims');

    await page.getByRole('button', { name: 'Claim next' }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Nothing left to claim: every session in the team queue is claimed or decided.');
  });

  test('a REJECT decided in the app waits for another reviewer: in the team counts, not in its author\'s list', async () => {
    const { page } = h;
    await page.getByRole('radio', { name: /^Reject/ }).check();
    await page.getByRole('checkbox', { name: /Document expired DOCUMENT_EXPIRED/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const confirm = page.getByTestId('confirm-decision');
    await answerGuardrails(confirm);
    await confirm.getByRole('button', { name: 'Confirm: Reject' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent(), { timeout: 15_000 }).toContain('Final decision: Reject');
    expect(await page.getByTestId('status').textContent()).toContain(`Decision recorded for ${REJECTED}: Reject (sent; final once another reviewer countersigns).`);
    expect((await bob.db.awaitingCountersign()).map((s) => [s.session_id, s.reviewer, s.decision])).toEqual([[REJECTED, alice, 'REJECT']]);
    // Submitting ended the claim.
    await expect.poll(() => queueRow(page, REJECTED).getByTestId('q-claimed-by').count()).toBe(0);

    await page.getByTestId('team-button').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('team');
    await expect.poll(() => panel.getByTestId('team-count-awaitingCountersign').textContent()).toBe('1');
    expect(await panel.getByTestId('team-count-claimed').textContent()).toBe('1'); // bob's
    expect(await panel.getByTestId('team-reachable').textContent()).toMatch(/^Reachable \(read at \d\d:\d\d\)$/);
    expect(await panel.getByTestId('team-outbox').textContent()).toBe('Nothing: every decision confirmed here is in the team database.');
    expect(await awaitingIds(h)).toEqual([]);
    expect(await panel.getByTestId('team-awaiting').textContent()).toContain('Nothing waits for you.');
    expect(await panel.getByTestId('team-today').count()).toBe(0); // a reviewer, not a supervisor
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
  });

  test('other reviewers\' decisions wait in "Waiting for your countersignature"; a countersignature makes one final, a refusal is said in words', async () => {
    const { page } = h;
    await bob.db.submitVersion(version(APPROVED, 'REJECT', { reasons: ['DOCUMENT_EXPIRED'], timeOnTaskMs: 95_000, activeMs: 80_000 }));
    await dave.db.submitVersion(version(ONGOING, 'ESCALATE', { yotiResult: 'PENDING' }));

    await page.getByTestId('team-button').click();
    const panel = page.getByTestId('team');
    await expect.poll(() => awaitingIds(h)).toEqual([APPROVED, ONGOING]);
    await expect.poll(() => page.getByRole('button', { name: 'Team: 2 awaiting your countersignature' }).count()).toBe(1);
    expect(await panel.getByTestId('team-awaiting').locator(`li[data-session-id="${APPROVED}"]`).textContent()).toContain(`${APPROVED} ✗Reject by ${bob.role}`);
    await screenshot(page, 'team-03-panel-awaiting');

    // Bob countersigns Dave's escalation first: this reviewer's countersignature comes too late.
    await bob.db.countersign(ONGOING);
    await panel.getByRole('button', { name: `Countersign ${dave.role}'s decision on session ${ONGOING}` }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe(`Not countersigned: The decision on session ${ONGOING} was already countersigned by ${bob.role}.`);
    await expect.poll(() => awaitingIds(h)).toEqual([APPROVED]);

    const finalBefore = Number(await panel.getByTestId('team-count-final').textContent());
    await panel.getByRole('button', { name: `Countersign ${bob.role}'s decision on session ${APPROVED}` }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe(`You countersigned ${bob.role}'s decision (Reject) on session ${APPROVED}: it is final.`);
    await expect.poll(() => awaitingIds(h)).toEqual([]);
    expect(Number(await panel.getByTestId('team-count-final').textContent())).toBe(finalBefore + 1);
    expect((await bob.db.sessionState(APPROVED))?.countersigned_by).toBe(alice);
    expect(await page.getByTestId('team-button').textContent()).toBe('Team');
    await panel.getByRole('button', { name: 'Close' }).first().click();
  });

  test('deciding over another reviewer\'s decision is refused in words until the reviewer says why; then it goes through', async () => {
    const { page, bridge } = h;
    await openFromQueue(page, APPROVED);
    await page.getByRole('radio', { name: /^Approve/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const confirm = page.getByTestId('confirm-decision');
    await answerGuardrails(confirm, { overrideNote: 'The same person as in an earlier session, with the same passport: expected.' });
    await confirm.getByRole('button', { name: 'Confirm: Approve' }).click();
    await expect.poll(() => confirm.getByRole('alert').textContent()).toMatch(new RegExp(`^Not recorded: ${bob.role} already decided REJECT on session ${APPROVED} in the team database\\.`));
    const rows = await bridge.handlers.listSessions({}, { senderId: 0 });
    expect(rows.ok && rows.value.find((r) => r.sessionId === APPROVED)?.decision).toBeUndefined(); // nothing recorded here

    const reason = confirm.locator('[data-rule="CHANGE_REASON"]');
    expect(await reason.textContent()).toContain('Another reviewer already decided this session in the team database. To decide otherwise, say why');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-rule]')?.getAttribute('data-rule'))).toBe('CHANGE_REASON');
    expect(await confirm.getByRole('button', { name: 'Confirm: Approve' }).isDisabled()).toBe(true);
    await screenshot(page, 'team-04-decided-by-another');

    const why = 'The document is in date: the expiry read as 2012 is the date of issue (checked on the passport page).';
    await reason.getByRole('textbox').fill(why);
    await confirm.getByRole('button', { name: 'Confirm: Approve' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent(), { timeout: 15_000 }).toContain('Final decision: Approve');
    expect(await page.getByTestId('final-context').textContent()).toContain(`Decided over ${bob.role}'s REJECT in the team database. Why: ${why}`);
    const state = await bob.db.sessionState(APPROVED);
    expect(state).toMatchObject({ reviewer: alice, decision: 'APPROVE', requires_countersign: true, conflicts_with: null });
    const stored = await team.admin.query('SELECT overrides FROM idv_team.review_versions WHERE version_id = $1', [state?.version_id]);
    expect(stored.rows[0]).toMatchObject({ overrides: { decidedOverAnother: why } });
    // The local record (and so the PDF) keeps whose decision it replaced, and why.
    const record = await (await bridge.services.offline()).reviews.get(APPROVED);
    expect(record.decided?.context?.decidedOver).toEqual({ reviewer: bob.role, decision: 'REJECT', reason: why });
  });

  test('a supervisor\'s workstation sees today per reviewer: decided, agreement with Yoti, median active time', async () => {
    const carol = await team.person('carol_e2e', 'supervisor');
    const s = await openConsole();
    try {
      await joinInSettings(s, dbUrl(carol.role), PASSWORD, true);
      expect(await s.page.getByTestId('team-settings').textContent()).toContain(`, as ${carol.role} (supervisor).`);
      await s.page.keyboard.press('Escape');
      await s.page.getByRole('button', { name: 'Team: 2 awaiting your countersignature' }).click();
      const today = s.page.getByTestId('team').getByTestId('team-today');
      await today.waitFor();
      const cells = await today.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
      expect(cells).toEqual([
        [alice, '2', '100% (2 of 2)', expect.stringMatching(/^\d+ s$|^\d+ min \d\d s$/)],
        [bob.role, '1', '0% (0 of 1)', '1 min 20 s'],
        [dave.role, '1', '—', '—'],
      ]);
      expect(await today.getByRole('table', { name: 'Today per reviewer' }).count()).toBe(1);
      expect(await awaitingIds(s)).toEqual([REJECTED, APPROVED]);
      await screenshot(s.page, 'team-05-supervisor');
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  test('the team database away: Claim next says why it cannot run; a decision waits in the outbox, is sent once the database answers, and is in conflict with one made meanwhile', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Add…' }).click();
    await page.getByTestId('add-sessions').getByRole('textbox', { name: 'Session ids' }).fill(NON_LATIN);
    await page.getByTestId('add-sessions').getByRole('button', { name: 'Add to the queue' }).click();
    await page.keyboard.press('Escape');
    await openFromQueue(page, NON_LATIN);

    await relay.cut();
    await page.getByTestId('team-button').click();
    const panel = page.getByTestId('team');
    const away = `The team database ${alice}@127.0.0.1:${relay.port}/${team.database} cannot be reached.`;
    await expect.poll(() => panel.getByTestId('team-reachable').textContent()).toBe(away);
    expect(await page.getByRole('button', { name: 'Team: unavailable' }).count()).toBe(1);
    await panel.getByRole('button', { name: 'Close' }).first().click();
    const claim = page.getByRole('button', { name: 'Claim next' });
    expect(await claim.isDisabled()).toBe(true);
    expect(await claim.getAttribute('title')).toBe(`The team database cannot be used now: ${away}`);

    // Decided while away: recorded here, queued for the team.
    await page.getByRole('radio', { name: /^Escalate/ }).check();
    await page.getByRole('group', { name: 'Reason list' }).getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const confirm = page.getByTestId('confirm-decision');
    await answerGuardrails(confirm);
    await confirm.getByRole('button', { name: 'Confirm: Escalate' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent(), { timeout: 15_000 }).toContain('Final decision: Escalate');
    await page.getByTestId('team-button').click();
    await expect.poll(() => panel.getByTestId('team-outbox').textContent()).toBe('1 decision confirmed here, sent once the team database answers.');
    await screenshot(page, 'team-06-unreachable');
    // Meanwhile Bob decides the same session: the two were made without seeing each other.
    const bobs = version(NON_LATIN, 'APPROVE');
    await bob.db.submitVersion(bobs);

    await relay.restore();
    await panel.getByRole('button', { name: 'Read again' }).click();
    await expect.poll(() => panel.getByTestId('team-outbox').textContent()).toBe('Nothing: every decision confirmed here is in the team database.');
    expect(await page.getByTestId('status').textContent()).toBe('Sent 1 decision confirmed while the team database could not be reached.');
    expect(await bob.db.sessionState(NON_LATIN)).toMatchObject({ reviewer: alice, decision: 'ESCALATE', conflicts_with: bobs.versionId });
    const conflict = panel.getByTestId('team-conflicts').locator(`li[data-session-id="${NON_LATIN}"]`);
    expect(await conflict.locator('p').textContent()).toBe(
      `${NON_LATIN} ℹEscalate by ${alice}, made without seeing the decision before it: Approve by ${bob.role} (version ${bobs.versionId.slice(0, 8)}…${bobs.versionId.slice(-4)}). Both are kept; a new decision settles it.`,
    );
    expect(await panel.getByTestId('team-count-inConflict').textContent()).toBe('1');
    await screenshot(page, 'team-07-conflict');
    await page.keyboard.press('Escape');
    expect(await claim.isEnabled()).toBe(true);
  });

  test('a password the administrator changed: the refusal is said, and Settings takes the new password from the same form', async () => {
    const { page, bridge } = h;
    const renewed = 'a new password for alice';
    await team.admin.query(`ALTER ROLE ${alice} PASSWORD '${renewed}'`);
    await page.getByTestId('team-button').click();
    const panel = page.getByTestId('team');
    await panel.getByRole('button', { name: 'Read again' }).click();
    await expect.poll(() => panel.getByTestId('team-reachable').textContent()).toMatch(new RegExp(`^The team database refused the login of ${alice}: a wrong password`));
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByTestId('team-settings');
    expect(await section.getByRole('paragraph').filter({ hasText: 'refused the login' }).count()).toBe(1);
    // Open while the login is refused, the joined database's URL filled in (without a password).
    const again = section.getByTestId('team-join-again');
    expect(await again.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await again.getByRole('textbox', { name: 'Database URL' }).inputValue()).toBe(dbUrl(alice, String(relay.port)));
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'team-08-settings-login-refused');
    await again.getByLabel('Password').fill(renewed);
    bridge.dialogs.nextConfirm = true;
    await again.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => section.getByTestId('team-settings-message').textContent()).toBe(`Joined the team database ${alice}@127.0.0.1:${relay.port}/${team.database}.`);
    expect(bridge.dialogs.history.at(-1)).toMatchObject({ kind: 'confirm', answer: true, question: { message: `Join the team database ${alice}@127.0.0.1:${relay.port}/${team.database}?` } });
    expect(await section.textContent()).toContain(`, as ${alice} (reviewer).`);
    expect(await again.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.content()).not.toContain(renewed);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('team-button').textContent()).toBe('Team');
  });
});
