import { ResponseError } from './api-errors';
import { HttpTransport, parseBaseUrl, type RequestOutcome, type Timeouts } from './http';
import { answerOf, type ApiAnswer } from './reachability';

/** A check gives up sooner than a request: it only asks whether anyone answers. */
export const CHECK_TIMEOUTS: Readonly<Timeouts> = Object.freeze({ connectMs: 5_000, headersMs: 5_000, bodyMs: 5_000 });
const CHECK_BODY_LIMIT = 64 * 1024;

/**
 * Asks the API's base URL whether anyone answers: one GET that carries no key, no signature, no
 * query and no session id, over the same certificate checks as signed requests (Node's bundled
 * roots, plus the CA chosen in Settings). Any HTTP status is an answer: Yoti's base URL answers 404.
 * The caller decides whether the host may be asked at all (the trusted-host rules).
 */
export async function checkApi(apiUrl: string, opts: { ca?: string | Buffer; timeouts?: Timeouts } = {}): Promise<ApiAnswer> {
  let outcome: RequestOutcome | undefined;
  const transport = new HttpTransport({
    baseUrl: parseBaseUrl(apiUrl),
    timeouts: opts.timeouts ?? CHECK_TIMEOUTS,
    maxSockets: 1,
    ...(opts.ca === undefined ? {} : { ca: opts.ca }),
    onOutcome: (o) => {
      outcome = o;
    },
  });
  try {
    const res = await transport.request({
      method: 'GET',
      pathWithQuery: '',
      headers: {},
      maxBodyBytes: CHECK_BODY_LIMIT,
      tooLarge: (limit) => new ResponseError('RESPONSE_TOO_LARGE', `The API's base URL answered with more than ${limit} bytes.`),
      what: 'checking whether the API answers',
    });
    res.release();
  } catch {
    // What happened is in `outcome`: a page too large to read is still an answer.
  } finally {
    transport.close();
  }
  return outcome === undefined ? { answered: false, reason: 'the check could not be sent' } : answerOf(outcome);
}
