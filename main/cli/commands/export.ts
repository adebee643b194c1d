import { lstat } from 'node:fs/promises';
import { version } from '../../../package.json';
import { UsageError } from '../../core/errors';
import { exportReport } from '../../core/report/export';
import { gatherReportInput } from '../../core/report/gather';
import { assertYotiId } from '../../core/yoti/ids';
import { parse, requireValue } from '../args';
import type { CliContext } from '../context';
import { formatBytes } from '../io';

const USAGE = 'idv-review export SESSION_ID --out FILE [--redact] [--force]';

/**
 * Writes the review record of a stored session as PDF (works offline: everything comes from the local
 * store). Without a confirmed decision the PDF is a DRAFT and says so on every page. The file is
 * written whole or not at all, mode 0600, and an existing file is replaced only with --force; its
 * SHA-256 goes into the audit log ("report.exported").
 */
export async function exportCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, redact: { type: 'boolean' }, force: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const outFile = requireValue(values.out, '--out', USAGE);
  const redact = values.redact === true;
  if (!values.force && (await lstat(outFile).then(() => true, () => false))) {
    throw new UsageError('OUT_EXISTS', `${outFile} already exists; pass --force to replace it.`);
  }

  const store = await ctx.offline();
  // Made from the local copy only: no connection to Yoti is opened.
  const input = await gatherReportInput(store, sessionId, { appVersion: version, online: false, faceMatchThreshold: (await ctx.settings()).faceMatchThreshold });
  const report = await exportReport(input, { outFile, redact, now: new Date() });
  await store.recordAudit('report.exported', sessionId, {
    reportId: input.report.reportId,
    sha256: report.sha256,
    bytes: report.bytes,
    pages: report.pages,
    draft: report.draft,
    redact,
  });
  ctx.out.line(`Wrote ${outFile}: ${report.pages} page${report.pages === 1 ? '' : 's'}, ${formatBytes(report.bytes)}, sha256 ${report.sha256}`);
  ctx.out.line(
    report.draft
      ? 'DRAFT: the session has no confirmed decision, so this is not a review record (idv-review decide confirms one).'
      : `Review record of the confirmed decision${redact ? ', redacted (document numbers masked, document page images withheld)' : ''}.`,
  );
  return 0;
}
