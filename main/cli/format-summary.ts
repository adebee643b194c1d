import type { MediaItem } from '../../common/session/media';
import { taskOutputWords, type CheckSummary, type SessionSummary } from '../../common/session/summary';
import { atYotiWords } from '../../common/session/times';
import { isDamaged, type MediaListEntry, type SessionMeta } from '../core/store/session-store';
import type { StoredDocumentFields } from '../core/review/stored-document-fields';
import { formatDocumentFields } from './format-document-fields';
import { formatBytes } from '../../common/format-bytes';

/** The `show` screen as lines of text: pure, so it is tested without a terminal. */
export function formatSummary(
  summary: SessionSummary,
  stored: {
    session: SessionMeta;
    media: ReadonlyMap<string, MediaListEntry>;
    /** The fields of summary.documents, in the same order (readStoredDocumentFields). */
    documents: readonly StoredDocumentFields[];
  },
  now: Date,
): string[] {
  const lines: string[] = [];
  const add = (s = '') => lines.push(s);

  add(`Session ${stored.session.sessionId}`);
  add(`  State: ${summary.state.text}${tokenWords(summary.tokenTtlSeconds, stored.session.fetchedAt, now)}`);
  if (summary.userTrackingId) add(`  User tracking id: ${summary.userTrackingId}`);
  add(`  Yoti's overall recommendation: ${summary.overall.text}`);
  if (summary.times.created !== undefined) add(`  Created ${summary.times.created} (derived: the earliest time Yoti gives inside the session)`);
  if (summary.times.completed !== undefined) add(`  Completed ${summary.times.completed} (derived: the last update Yoti gives for a check or task)`);
  add(`  Fetched ${stored.session.fetchedAt} from ${stored.session.apiUrl} (SDK ID ${stored.session.sdkId})`);

  if (summary.warnings.length > 0) {
    add();
    add('Warnings');
    for (const w of summary.warnings) {
      add(`  ! ${w.text}`);
      for (const d of w.details ?? []) add(`      ${d}`);
    }
  }

  add();
  add('Checks');
  if (summary.checks.length === 0) add('  (none yet)');
  for (const check of summary.checks) formatCheck(check, add);

  if (summary.faceMatches.length > 0) {
    add();
    add('Face match');
    for (const fm of summary.faceMatches) {
      const score = fm.score === null ? `no readable score${fm.scoreText ? ` ("${fm.scoreText}")` : ''}` : fm.score.toFixed(2);
      const verdict = fm.score === null ? '' : fm.aboveThreshold ? ' above' : ' NOT above';
      add(`  Attempt ${fm.attempt}: AI confidence ${score}${verdict} the threshold ${fm.threshold.toFixed(2)} ${scoreBar(fm.score, fm.threshold)}`);
      add(`    AI result: ${fm.aiResult ?? 'not given'}; manual result: ${fm.manualResult ?? 'not performed'}; recommendation: ${fm.recommendation ?? 'none yet'}`);
    }
  }

  if (summary.liveness.length > 0) {
    add();
    add('Liveness');
    for (const l of summary.liveness) add(`  ${l.label}: ${l.livenessType.text}, ${l.capturedFrames} of ${l.frames} frames captured`);
  }

  if (summary.tasks.length > 0) {
    add();
    add("Yoti's tasks");
    for (const t of summary.tasks) {
      add(`  ${t.resource}: ${t.type.text} (${t.state ?? 'no state'}), created ${t.created ?? 'not given'}; made ${taskOutputWords(t)}${t.id ? ` [${t.id}]` : ''}`);
    }
  }

  if (summary.documents.length > 0) {
    add();
    add('Documents');
    summary.documents.forEach((d, i) => {
      add(`  ${d.label}: ${d.documentType.text}${d.issuingCountry ? `, ${d.issuingCountry}` : ''}, ${d.pages} page${d.pages === 1 ? '' : 's'}`);
      for (const line of formatDocumentFields(d, stored.documents[i])) add(line);
    });
  }

  add();
  add('Media');
  for (const m of summary.media) add(`  ${formatMedia(m, stored.media)}`);

  if (summary.problems.length > 0) {
    add();
    add('Parts of the session that could not be read (left out)');
    for (const p of summary.problems) add(`  ${p.path}: ${p.message}`);
  }
  return lines;
}

function formatCheck(check: CheckSummary, add: (s?: string) => void): void {
  add(`  ${check.warning ? '!' : '-'} ${check.label}: ${check.recommendation.text} (${check.state.text})`);
  if (check.reason) add(`      Reason: ${check.reason.text}${check.reason.known ? ` [${check.reason.code}]` : ''}`);
  if (check.recoverySuggestion) add(`      What the user can do: ${check.recoverySuggestion.text}`);
  for (const sub of check.subChecks) {
    const details = sub.details.map((d) => `${d.name ?? '?'} ${d.value ?? ''}`.trim()).join(', ');
    add(`      ${sub.failed ? 'FAIL' : '    '} ${sub.name.text}: ${sub.result.text}${sub.process ? `, ${sub.process.text}` : ''}${details ? ` (${details})` : ''}`);
  }
  if (check.missingResources.length > 0) add(`      Uses resources missing from the session: ${check.missingResources.join(', ')}`);
  if (check.resources.length > 0) add(`      Uses: ${check.resources.map((r) => r.label).join(', ')}`);
  const at = check.created === undefined ? '' : atYotiWords(check.created, check.lastUpdated, (iso) => iso);
  if (check.id !== undefined || at !== '') add(`      ${[check.id === undefined ? '' : `Check id ${check.id}`, at === '' ? '' : `at Yoti ${at}`].filter(Boolean).join('; ')}`);
}

/** The session token's time left now, counted from the fetch (Yoti gave the TTL as of then). */
function tokenWords(ttlSeconds: number | undefined, fetchedAt: string, now: Date): string {
  if (ttlSeconds === undefined) return '';
  const left = ttlSeconds - Math.floor((now.getTime() - Date.parse(fetchedAt)) / 1000);
  return Number.isNaN(left) || left <= 0 ? ' (token expired)' : ` (token valid for ${left} s more)`;
}

function formatMedia(m: MediaItem, stored: ReadonlyMap<string, MediaListEntry>): string {
  if (!m.captured || !m.mediaId) return `${m.label}: not captured`;
  const meta = stored.get(m.mediaId);
  const status = !meta
    ? 'not stored'
    : isDamaged(meta)
      ? 'DAMAGED, not shown (fetch it again)'
      : meta.noContent
      ? 'no content available at Yoti'
      : `${meta.mimeType}, ${formatBytes(meta.size)}`;
  return `${m.label} [${m.role}] ${m.mediaId}: ${status}`;
}

/** A 20-cell bar with the threshold marked, so the margin is visible at a glance. */
export function scoreBar(score: number | null, threshold: number): string {
  const cells = 20;
  const mark = Math.min(cells - 1, Math.round(threshold * cells));
  const filled = score === null ? 0 : Math.round(Math.max(0, Math.min(1, score)) * cells);
  let bar = '';
  for (let i = 0; i < cells; i += 1) bar += i === mark ? '|' : i < filled ? '#' : '.';
  return `[${bar}]`;
}
