import { X509Certificate, createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { LocalError, UsageError } from '../../../common/errors';

/**
 * A corporate CA bundle (settings.extraCaFile): certificate authorities trusted for requests signed
 * with the customer key on top of Node's bundled roots, for networks whose proxy inspects TLS. It is
 * a person's explicit choice (main's dialog in the app, settings.json for the CLI), never the
 * environment (NODE_EXTRA_CA_CERTS is ignored: yoti/http.ts).
 */
export interface ExtraCa {
  /** The certificates, PEM, as the HTTPS agent takes them. */
  pem: string;
  certificates: number;
  /** Of the file, for the audit log. */
  sha256: string;
}

export const MAX_CA_FILE_BYTES = 1_000_000;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The certificates of a PEM bundle; refused in words when it holds none, one that does not parse, or a private key. */
export function parseCaBundle(bytes: Buffer): ExtraCa {
  const text = bytes.toString('utf8');
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.some((b) => (b[1] ?? '').includes('PRIVATE KEY'))) {
    throw new UsageError('CA_FILE_INVALID', 'The CA bundle holds a private key: choose a file with only the certificates of your organisation\'s certificate authority.');
  }
  const certs = blocks.filter((b) => b[1] === 'CERTIFICATE').map((b) => b[0]);
  if (certs.length === 0) throw new UsageError('CA_FILE_INVALID', 'The CA bundle holds no PEM certificate ("-----BEGIN CERTIFICATE-----").');
  certs.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw new UsageError('CA_FILE_INVALID', `Certificate ${i + 1} of ${certs.length} in the CA bundle does not parse.`);
    }
  });
  return { pem: `${certs.join('\n')}\n`, certificates: certs.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Reads and parses the CA bundle at `path` (a regular file of at most 1 MB). */
export async function readExtraCa(path: string): Promise<ExtraCa> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > MAX_CA_FILE_BYTES) {
        throw new UsageError('CA_FILE_INVALID', `The CA bundle ${basename(path)} must be a regular file of at most ${MAX_CA_FILE_BYTES.toLocaleString('en-GB')} bytes.`);
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Named by file only (the path may hold a person's name); said for the app (Settings) and the CLI (settings.json) alike.
    throw new LocalError(
      'CA_FILE_UNREADABLE',
      `The CA bundle ${basename(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}), so nothing is sent with your key: choose it again in Settings, or fix extraCaFile in settings.json.`,
    );
  }
  return parseCaBundle(bytes);
}
