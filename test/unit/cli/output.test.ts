import { describe, expect, test } from 'vitest';
import { Output, type CliIo } from '../../../main/cli/io';
import { scoreBar } from '../../../main/cli/format-summary';

function io(tty: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: { write: (t: string) => out.push(t), isTTY: tty },
    stderr: { write: (t: string) => err.push(t), isTTY: tty },
    env: {},
    untilInterrupted: () => Promise.resolve(),
    readStdin: () => Promise.resolve(''),
  };
  return { value, out, err };
}

describe('Output', () => {
  test('progress is one line redrawn in place on a terminal, cleared before the next line', () => {
    const t = io(true);
    const o = new Output(t.value);
    o.progress('media 1/3');
    o.progress('media 2/3');
    o.line('done');
    expect(t.err.join('')).toBe('\r\x1b[2Kmedia 1/3\r\x1b[2Kmedia 2/3\r\x1b[2K');
    expect(t.out).toEqual(['done\n']);
  });

  test('no progress noise when output is not a terminal', () => {
    const t = io(false);
    new Output(t.value).progress('media 1/3');
    expect(t.err).toEqual([]);
  });

  test('every printed line is redacted', () => {
    const t = io(false);
    new Output(t.value).line('GET /sessions/x?sdkId=abc&nonce=0000&timestamp=1');
    expect(t.out.join('')).not.toMatch(/nonce=0/);
  });

  test('stored or typed text cannot drive the terminal: escape sequences and carriage returns print as U+FFFD', () => {
    const t = io(false);
    const o = new Output(t.value);
    o.line('note: \u001b[2K\rDecision APPROVE confirmed\u0007 \u009b31m');
    o.warn('reason \u001b]0;title\u0007');
    // eslint-disable-next-line no-control-regex -- the controls are what must not get through
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    expect(t.out.join('')).not.toMatch(controls);
    expect(t.err.join('')).not.toMatch(controls);
    expect(t.out.join('')).toMatch(/^note: .\[2K\ufffdDecision APPROVE confirmed. \ufffd31m\n$/);
    // Line breaks and tabs are kept.
    o.line('a\tb\nc');
    expect(t.out.at(-1)).toBe('a\tb\nc\n');
  });
});

test('the score bar marks the threshold', () => {
  expect(scoreBar(0.93, 0.7)).toBe('[##############|####.]');
  expect(scoreBar(null, 0.7)).toBe('[..............|.....]');
});
