import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildReportContent } from '../../../main/core/report/content';
import { commitment, MANIFEST_COMMITMENT_LABEL, type RedactProfile } from '../../../main/core/report/redaction';
import { renderReport } from '../../../main/core/report/render';
import { NOW, reportInputFor } from './fixture';
import { normalise, pdfText } from './poppler';

/*
 * Page 1's QR code, read back from the printed page as a phone would (pdftoppm, then zbarimg): the
 * report id, the session id, the decision and the manifest digest as printed, nothing personal.
 */
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'report');
const KEY = Buffer.alloc(32, 3);

async function qrOfPage1(name: string, redact: RedactProfile): Promise<{ decoded: string; text: string; payload: string }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const input = reportInputFor();
  const content = buildReportContent(input, { redact, commitmentKey: redact === 'none' ? undefined : KEY, now: NOW, timeZone: 'Europe/London' });
  const { pdf } = await renderReport(content);
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(ARTIFACTS, `${name}-page1`)]);
  const decoded = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', join(ARTIFACTS, `${name}-page1.png`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  return { decoded, text: normalise(pdfText(file)), payload: content.verification.payload };
}

describe('the verification QR code on page 1', () => {
  test('reads back from the rendered page as report id, session id, decision and manifest hash', async () => {
    const input = reportInputFor();
    const { decoded, text, payload } = await qrOfPage1('qr-full', 'none');
    expect(decoded).toBe(payload);
    expect(decoded).toBe(`IDV-REVIEW-REPORT/1 ${input.report.reportId} ${input.session.sessionId} ${input.review.decision} ${input.evidence.manifestHash}`);
    expect(text).toContain(`Check this record idv-review verify-report --id ${input.report.reportId} (or scan the code)`);
  });

  test('in a redacted export it carries the manifest commitment, never the plain hash', async () => {
    const input = reportInputFor();
    const { decoded } = await qrOfPage1('qr-redacted', 'numbers');
    const manifest = input.evidence.manifestHash!;
    expect(decoded.split(' ').at(-1)).toBe(commitment(KEY, MANIFEST_COMMITMENT_LABEL, manifest));
    expect(decoded).not.toContain(manifest);
  });
});
