import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { LocalError, UsageError } from '../../../common/errors';
import { checkReport, type ReportKey } from '../../core/report/verify-report';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review verify-report (FILE.pdf | --id REPORT_ID) [--json]';
const REPORT_ID = /^[0-9A-Za-z-]{1,100}$/;
const MAX_PDF_BYTES = 500 * 1024 * 1024;

/**
 * Ties an exported PDF (by its SHA-256) or a printed one (by the report ID on page 1) to its export in
 * the audit log, and says whether the record version and the evidence it printed still stand. Reads
 * the store only. Exit 0 when they do, 3 otherwise (a file changed by one byte is no export at all).
 */
export async function verifyReportCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { id: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  if ((positionals.length === 1) === (values.id !== undefined) || positionals.length > 1) {
    throw new UsageError('USAGE', `give either one PDF file or --id REPORT_ID\nusage: ${USAGE}`);
  }
  let key: ReportKey;
  if (values.id !== undefined) {
    if (!REPORT_ID.test(values.id)) throw new UsageError('USAGE', 'a report ID is letters, digits and hyphens, as printed on page 1 ("Report ID").');
    key = { reportId: values.id };
  } else key = { sha256: await fileSha256(positionals[0]!) };
  const check = await checkReport(await ctx.checkOnly(), key);
  const ok = check.export !== null && check.problems.length === 0;
  if (values.json) {
    ctx.out.json({ ok, ...check });
    return ok ? 0 : 3;
  }
  ctx.out.line(
    check.export === null
      ? 'NOT AN EXPORT OF THIS STORE'
      : ok
        ? `Report ${check.export.reportId} of session ${check.export.sessionId}: it still stands.`
        : `Report ${check.export.reportId} of session ${check.export.sessionId}: NO LONGER MATCHES the store.`,
  );
  for (const f of check.facts) ctx.out.line(`  ${f}`);
  for (const p of check.problems) ctx.out.line(`  ! ${p}`);
  return ok ? 0 : 3;
}

/** The SHA-256 of a regular file, read in pieces. */
async function fileSha256(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new LocalError('REPORT_UNREADABLE', `Cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_PDF_BYTES) throw new UsageError('USAGE', `${path} is not a PDF file this console could have exported.`);
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await handle.close().catch(() => undefined);
  }
}
