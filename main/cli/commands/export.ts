import { lstat } from 'node:fs/promises';
import { version } from '../../../package.json';
import { UsageError } from '../../../common/errors';
import { exportReport } from '../../core/report/export';
import { changeWords } from '../../core/report/evidence-check';
import { gatherReportInput } from '../../core/report/gather';
import { DEFAULT_REDACT_PROFILE, parseRedactProfile, PROFILE_WORDS, type RedactProfile } from '../../core/report/redaction';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse, requireValue } from '../args';
import type { CliContext } from '../context';
import { formatBytes } from '../../../common/format-bytes';

const USAGE = 'idv-review export SESSION_ID --out FILE [--redact [numbers|full]] [--force] [--allow-changed-evidence]';

/**
 * `--redact` alone means the numbers profile; `--redact numbers`, `--redact full` and `--redact=full`
 * name one. The argv with the profile folded into `--redact=…`, so parseArgs sees a plain string option.
 */
export function foldRedactFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a !== '--redact') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next === 'numbers' || next === 'full') {
      out.push(`--redact=${next}`);
      i++;
    } else {
      out.push(`--redact=${DEFAULT_REDACT_PROFILE}`);
    }
  }
  return out;
}

/**
 * Writes the review record of a stored session as PDF (works offline: everything comes from the local
 * store). Without a confirmed decision the PDF is a DRAFT and says so on every page. Evidence that is
 * damaged, changed outside the app or not what the decision was made on is refused unless
 * --allow-changed-evidence (page 1 then says so). The file is put in place, mode 0600, only once the
 * audit log records it ("report.exported" with its SHA-256); an existing file is replaced only with --force.
 */
export async function exportCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    foldRedactFlag(argv),
    { out: { type: 'string' }, redact: { type: 'string' }, force: { type: 'boolean' }, 'allow-changed-evidence': { type: 'boolean' } },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const outFile = requireValue(values.out, '--out', USAGE);
  const redact: RedactProfile = values.redact === undefined ? 'none' : parseRedactProfile(values.redact);
  if (!values.force && (await lstat(outFile).then(() => true, () => false))) {
    throw new UsageError('OUT_EXISTS', `${outFile} already exists; pass --force to replace it.`);
  }

  const store = await ctx.offline();
  // Made from the local copy only: no connection to Yoti is opened.
  const input = await gatherReportInput(store, sessionId, {
    appVersion: version,
    online: false,
    faceMatchThreshold: (await ctx.settings()).faceMatchThreshold,
    redact,
    allowChangedEvidence: values['allow-changed-evidence'] === true,
  });
  const report = await exportReport(input, { outFile, redact, now: new Date(), record: (data) => store.recordAudit('report.exported', sessionId, data) });
  ctx.out.line(`Wrote ${outFile}: ${report.pages} page${report.pages === 1 ? '' : 's'}, ${formatBytes(report.bytes)}, sha256 ${report.sha256}`);
  if (input.evidenceChanged) ctx.out.warn(`Exported despite changed evidence (page 1 says so): ${changeWords(input.evidenceChanged)}.`);
  ctx.out.line(
    report.draft
      ? 'DRAFT: the session has no confirmed decision, so this is not a review record (idv-review decide confirms one).'
      : `Review record of the confirmed decision${redact === 'none' ? '' : `; ${PROFILE_WORDS[redact].replace(/^Redacted/, 'redacted')}`}.`,
  );
  return 0;
}
