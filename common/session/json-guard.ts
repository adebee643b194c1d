/**
 * A single pass over JSON text, before `JSON.parse` sees it: it finds the first syntax error with its
 * position (V8's own messages sometimes have no position and sometimes quote the text, which may hold
 * data we must not log) and refuses nesting deeper than a limit without recursing. Iterative, O(n).
 */

export type JsonScanResult =
  | { ok: true }
  | { ok: false; kind: 'syntax'; position: number; line: number; column: number; expected: string }
  | { ok: false; kind: 'depth'; position: number; line: number; column: number; depth: number };

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]); // " \ / b f n r t

/** Where the parser is inside a container. */
type Frame = { type: 'object' | 'array'; state: 'start' | 'afterKey' | 'afterValue' | 'afterComma' | 'afterColon' };

export function scanJson(text: string, maxDepth: number): JsonScanResult {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];

  const where = (pos: number): { position: number; line: number; column: number } => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < pos && k < n; k++) {
      if (text.charCodeAt(k) === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    return { position: pos, line, column: pos - lineStart + 1 };
  };
  const fail = (pos: number, expected: string): JsonScanResult => ({ ok: false, kind: 'syntax', expected, ...where(pos) });
  const skipWs = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };

  /** Scans a string starting at the opening quote; returns an error or undefined. */
  const scanString = (): JsonScanResult | undefined => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return fail(i, 'no control character inside a string (escape it)');
      if (c === 0x5c) {
        const e = text.charCodeAt(i + 1);
        if (SIMPLE_ESCAPES.has(e)) {
          i += 2;
          continue;
        }
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return fail(i + k, 'four hex digits after \\u');
          i += 6;
          continue;
        }
        return fail(i + 1, 'a valid escape after \\');
      }
      i++;
    }
    return fail(n, 'a closing " (the text ended inside a string)');
  };

  const scanNumber = (): JsonScanResult | undefined => {
    if (text.charCodeAt(i) === 0x2d) i++;
    if (text.charCodeAt(i) === 0x30) i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else return fail(i, 'a digit');
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      if (!isDigit(text.charCodeAt(i))) return fail(i, 'a digit after the decimal point');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const s = text.charCodeAt(i);
      if (s === 0x2b || s === 0x2d) i++;
      if (!isDigit(text.charCodeAt(i))) return fail(i, 'a digit in the exponent');
      while (isDigit(text.charCodeAt(i))) i++;
    }
    return undefined;
  };

  /** Scans one value that is not a container opener; containers are pushed on the stack. */
  const scanValue = (): JsonScanResult | undefined => {
    skipWs();
    if (i >= n) return fail(i, 'a value (the text ended early)');
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (stack.length + 1 > maxDepth) return { ok: false, kind: 'depth', depth: stack.length + 1, ...where(i) };
      stack.push({ type: c === 0x7b ? 'object' : 'array', state: 'start' });
      i++;
      return undefined;
    }
    if (c === 0x22) return scanString();
    if (c === 0x2d || isDigit(c)) return scanNumber();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    return fail(i, 'a value (string, number, object, array, true, false or null)');
  };

  let err = scanValue();
  if (err) return err;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    skipWs();
    const c = i < n ? text.charCodeAt(i) : -1;
    if (top.type === 'array') {
      if ((top.state === 'start' || top.state === 'afterValue') && c === 0x5d) {
        i++;
        stack.pop();
        markValueDone(stack);
        continue;
      }
      if (top.state === 'afterValue') {
        if (c !== 0x2c) return fail(i, "',' or ']' after an array element");
        i++;
        top.state = 'afterComma';
        continue;
      }
      // start or afterComma: a value follows
      if (top.state === 'afterComma' && c === 0x5d) return fail(i, 'a value after , (no trailing commas in JSON)');
      const depthBefore = stack.length;
      err = scanValue();
      if (err) return err;
      if (stack.length === depthBefore) top.state = 'afterValue';
      continue;
    }
    // object
    if (top.state === 'start' || top.state === 'afterComma') {
      if (top.state === 'start' && c === 0x7d) {
        i++;
        stack.pop();
        markValueDone(stack);
        continue;
      }
      if (c !== 0x22) {
        return fail(i, top.state === 'afterComma' ? 'a double-quoted property name after , (no trailing commas in JSON)' : "a double-quoted property name or '}'");
      }
      err = scanString();
      if (err) return err;
      top.state = 'afterKey';
      continue;
    }
    if (top.state === 'afterKey') {
      if (c !== 0x3a) return fail(i, "':' after a property name");
      i++;
      top.state = 'afterColon';
      continue;
    }
    if (top.state === 'afterColon') {
      const depthBefore = stack.length;
      err = scanValue();
      if (err) return err;
      if (stack.length === depthBefore) top.state = 'afterValue';
      continue;
    }
    // afterValue
    if (c === 0x7d) {
      i++;
      stack.pop();
      markValueDone(stack);
      continue;
    }
    if (c !== 0x2c) return fail(i, "',' or '}' after a property value");
    i++;
    top.state = 'afterComma';
  }
  skipWs();
  if (i < n) return fail(i, 'the end of the text after the top-level value');
  return { ok: true };
}

/** A container just closed: the one around it now has a complete value. */
function markValueDone(stack: Frame[]): void {
  const parent = stack[stack.length - 1];
  if (parent) parent.state = 'afterValue';
}
