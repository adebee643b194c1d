/**
 * Last line of defence for anything we print, log or keep from a server's answer: key material,
 * signatures and signed query parameters are cut out even if a message carried them by mistake, or
 * a proxy echoed the request back (threat model T6, T7). Control characters are flattened so text
 * from a server cannot rewrite the terminal.
 */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const SIGNED_QUERY = /\b(sdkId|nonce|timestamp)=[^&\s"'<>]*/gi;
const DIGEST_HEADER = /(x-yoti-auth-digest["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=_-]+/gi;
// RSA signatures are 344+ base64 characters and key bodies come in 64-character lines; no id we
// print (64 characters at most) is that long.
const LONG_BASE64 = /[A-Za-z0-9+/_-]{80,}={0,2}/g;
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function redact(text: string): string {
  return text
    .replace(PEM_BLOCK, '[redacted key]')
    .replace(DIGEST_HEADER, '$1[redacted]')
    .replace(SIGNED_QUERY, '[redacted]')
    .replace(LONG_BASE64, '[redacted]')
    .replace(CONTROL, ' ');
}
