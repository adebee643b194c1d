import { describe, expect, test } from 'vitest';
import { isAppError } from '../../../common/errors';
import { scanJson } from '../../../common/session/json-guard';
import { parseSession, SESSION_LIMITS } from '../../../common/session/parse';
import { fixtureJson, fixtureNames, fixtureText, load, thrown } from './load';

describe('every fixture parses', () => {
  const refused = new Set(['hostile-deep-nesting.json']);
  test.each(fixtureNames().filter((n) => !refused.has(n)))('%s', (name) => {
    const { session, problems } = load(name);
    expect(typeof session).toBe('object');
    expect(Array.isArray(problems)).toBe(true);
  });

  test('the docs fixtures and the clean variants parse without a single problem', () => {
    for (const name of fixtureNames().filter((n) => n.startsWith('docs-'))) expect(load(name).problems, name).toEqual([]);
    for (const name of ['messy-nulls.json', 'messy-unknown-types.json', 'liveness-retry.json', 'static-liveness.json',
      'text-data-check-replaces-fields.json', 'face-match-below-threshold.json', 'full-coverage.json']) {
      expect(load(name).problems, name).toEqual([]);
    }
  });

  test('the single-check examples parse as the check of a session', () => {
    for (const name of ['docs-07-face-match-check.json', 'docs-08-text-data-check.json']) {
      const { session, problems } = parseSession({ checks: [fixtureJson(name)] });
      expect(problems).toEqual([]);
      expect(session.checks).toHaveLength(1);
      expect(session.checks?.[0]?.report?.recommendation?.value).toBe('APPROVE');
    }
  });

  test('accepts text, a Buffer, a BOM and an already parsed object alike', () => {
    const text = fixtureText('docs-01-full-session.json');
    const a = parseSession(text).session;
    expect(parseSession(Buffer.from(text)).session).toEqual(a);
    expect(parseSession(`\uFEFF${text}`).session).toEqual(a);
    expect(parseSession(JSON.parse(text)).session).toEqual(a);
  });
});

describe('null is read as absent', () => {
  test('messy-nulls: every null becomes undefined and nothing is reported', () => {
    const { session, problems } = load('messy-nulls.json');
    expect(problems).toEqual([]);
    expect(session.state).toBeUndefined();
    expect(session.client_session_token_ttl).toBeUndefined();
    expect(session.resources?.supplementary_documents).toBeUndefined();
    const doc = session.resources?.id_documents?.[0];
    expect(doc?.id).toBe('d0c00000-0000-4000-8000-000000000002');
    expect(doc?.pages?.[0]?.media).toBeUndefined();
    expect(doc?.tasks).toBeUndefined();
    const live = session.resources?.liveness_capture?.[0];
    expect(live?.frames).toHaveLength(2);
    expect(live?.frames?.[1]?.media?.id).toBe('f0a3e000-0000-4000-8000-000000000011');
    expect(live?.frames?.[1]?.media?.type).toBeUndefined();
    expect(session.checks).toHaveLength(2);
    expect(session.checks?.[0]?.report?.recommendation?.reason).toBeUndefined();
    expect(session.checks?.[0]?.report?.breakdown?.[1]?.details?.[0]).toEqual({ name: undefined, value: undefined });
    expect(session.checks?.[1]?.type).toBeUndefined();
    // Re-serialised, no null survives: Yoti's own SDK would refuse them.
    expect(JSON.stringify(session)).not.toContain('null');
  });
});

describe('unknown types and extra fields are kept', () => {
  test('extra fields survive re-serialisation at every level', () => {
    const { session } = load('messy-unknown-types.json');
    const again = JSON.parse(JSON.stringify(session));
    expect(again.future_top_level_field).toEqual({ nested: [1, 2, { deep: true }], note: 'kept as is' });
    expect(again.resources.id_documents[0].provider).toEqual({ name: 'digital-id', version: 2 });
    expect(again.resources.id_documents[0].tasks[0].task_extra).toBe('kept');
    expect(again.resources.id_documents[0].tasks[0].generated_media[0].duration_ms).toBe(1200);
    expect(again.resources.id_documents[0].pages[0].page_extra).toEqual({ a: 1 });
    expect(again.resources.id_documents[0].pages[0].media.width).toBe(1920);
    expect(again.resources.liveness_capture[0].hologram_video).toEqual({
      media: { id: '9e4e0000-0000-4000-8000-000000000004', type: 'VIDEO' },
    });
    expect(again.resources.voice_samples).toBe('not a list: kept verbatim');
    expect(again.checks[0].check_extra).toEqual(['kept']);
    expect(again.checks[0].report.report_extra).toEqual({ model: 'v9' });
    expect(again.checks[0].report.breakdown[0].details[0].unit).toBe('ratio');
  });

  test('a clean session re-serialises to exactly what was received', () => {
    for (const name of ['docs-01-full-session.json', 'full-coverage.json', 'liveness-retry.json']) {
      expect(JSON.parse(JSON.stringify(load(name).session)), name).toEqual(fixtureJson(name));
    }
  });

  test('unknown values stay verbatim; a numeric detail value is kept as text', () => {
    const { session } = load('messy-unknown-types.json');
    expect(session.state).toBe('ARCHIVED');
    expect(session.checks?.[0]?.type).toBe('VOICE_MATCH');
    expect(session.checks?.[0]?.state).toBe('ESCALATED');
    expect(session.checks?.[0]?.report?.recommendation?.value).toBe('CONSIDER');
    expect(session.checks?.[0]?.report?.breakdown?.[0]?.details?.[0]?.value).toBe('0.4');
    expect(session.resources?.liveness_capture?.[0]?.liveness_type).toBe('HOLOGRAPHIC');
    expect(session.resources?.id_documents?.[0]?.tasks?.[0]?.type).toBe('ID_DOCUMENT_HOLOGRAM_ANALYSIS');
    expect(session.resources?.['tracked_devices']).toEqual([
      { id: 'de71ce00-0000-4000-8000-000000000003', tasks: [], device: { os: 'Android', model: 'Pixel' } },
    ]);
  });
});

describe('a damaged part degrades only that part', () => {
  const { session, problems } = load('messy-damaged.json');
  const paths = problems.map((p) => p.path);

  test('every drop is reported with its path', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'client_session_token_ttl',
        'user_tracking_id',
        'resources.id_documents[0]',
        'resources.id_documents[1].pages[1]',
        'resources.id_documents[1].document_fields.media',
        'resources.liveness_capture[0].frames[1]',
        'resources.liveness_capture[0].frames[2]',
        'resources.liveness_capture[0].frames[3].media.id',
        'resources.liveness_capture[0].frames[5]',
        'resources.face_capture',
        'checks[1].report',
        'checks[2]',
        'checks[3].resources_used',
        'checks[3].report.breakdown[0]',
        'checks[3].report.breakdown[1].details[1]',
      ]),
    );
    expect(problems).toHaveLength(15);
    for (const p of problems) expect(p.message).toMatch(/^(dropped|replaced by an empty entry): /);
    expect(problems.find((p) => p.path === 'checks[1].report')?.message).toBe('dropped: Invalid input: expected object, received number');
  });

  test('the rest of the session is intact', () => {
    expect(session.state).toBe('COMPLETED');
    expect(session.client_session_token_ttl).toBeUndefined();
    expect(session.resources?.id_documents).toHaveLength(1);
    expect(session.resources?.id_documents?.[0]?.id).toBe('d0c00000-0000-4000-8000-000000000004');
    expect(session.resources?.id_documents?.[0]?.pages).toHaveLength(1);
    expect(session.resources?.id_documents?.[0]?.document_fields).toEqual({});
    expect(session.checks).toHaveLength(3);
    const liveness = session.checks?.[1];
    expect(liveness).toMatchObject({ type: 'LIVENESS', id: 'c4ec0000-0000-4000-8000-000000000042', state: 'DONE', created: '2024-05-01T10:00:00Z' });
    expect(liveness?.report).toBeUndefined();
    expect(liveness?.resources_used).toEqual(['11fe0000-0000-4000-8000-000000000004']);
    expect(session.checks?.[2]?.resources_used).toBeUndefined();
    expect(session.checks?.[2]?.report?.breakdown).toHaveLength(1);
    expect(session.checks?.[2]?.report?.breakdown?.[0]?.details).toEqual([{ name: 'confidence_score', value: '0.93' }]);
  });

  test('garbage frames become empty frames, so frame numbers stay those Yoti sent', () => {
    const frames = session.resources?.liveness_capture?.[0]?.frames;
    expect(frames).toEqual([{}, {}, {}, { media: { type: 'IMAGE' } }, { media: { id: 'f0a3e000-0000-4000-8000-000000000045', type: 'IMAGE' } }, {}]);
    expect(session.resources?.liveness_capture?.[0]?.facemap?.media?.type).toBe('BINARY');
  });
});

test('problem paths quote keys that are not plain names', () => {
  const { problems } = parseSession({ resources: { 'odd key': ['x'], tracked: [{ id: 1 }] }, checks: [{ report: { breakdown: [{ details: [{ 'a-b': 1, value: {} }] }] } }] });
  expect(problems.map((p) => p.path)).toEqual(['resources["odd key"][0]', 'resources.tracked[0].id', 'checks[0].report.breakdown[0].details[0].value']);
});

describe('malformed JSON', () => {
  const cases: [string, string, number][] = [
    ['trailing comma', '{"a":1,}', 7],
    ['missing comma', '{"state": "DONE"\n "id": "x"}', 18],
    ['comment', '// APPROVE REPORT\n{}', 0],
    ['truncated', '{"checks": [', 12],
    ['bare fragment', '"checks": []', 8],
    ['bad literal', '{"a": tru}', 6],
    ['unescaped control character', '{"a": "x\ny"}', 8],
    ['bad escape', '{"a": "\\x"}', 8],
    ['empty', '', 0],
    ['two values', '{} {}', 3],
    ['leading zero', '{"a": 01}', 7],
  ];
  test.each(cases)('%s → INVALID_SESSION_JSON with the position', (_what, text, position) => {
    const e = thrown(() => parseSession(text));
    expect(isAppError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'INVALID_SESSION_JSON', kind: 'remote' });
    expect(e.message).toContain(`at position ${position} (line `);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  test('the message never quotes the text', () => {
    const e = thrown(() => parseSession('{"full_name": "Jon Jim Foo" "x": 1}'));
    expect(e.message).not.toContain('Jon');
    expect(e.message).toContain('line 1, column 29');
  });

  test('the scanner accepts everything JSON.parse accepts', () => {
    const samples = ['0', '-1.5e+10', '"\\u00e9\\n"', '[]', '{}', '[1,[2,[3]],{"a":{"b":null}}]', ' true ', 'false', 'null', '{"": ""}'];
    for (const s of samples) expect(scanJson(s, 64), s).toEqual({ ok: true });
    for (const name of fixtureNames()) expect(scanJson(fixtureText(name), 1000), name).toEqual({ ok: true });
  });

  test('invalid UTF-8 bytes are refused', () => {
    expect(thrown(() => parseSession(Buffer.from([0x7b, 0xff, 0x7d])))).toMatchObject({ code: 'INVALID_SESSION_JSON' });
  });
});

describe('bounds against hostile content', () => {
  const nest = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
  const nestObject = (depth: number): unknown => {
    let v: unknown = {};
    for (let i = 1; i < depth; i++) v = { a: v };
    return v;
  };

  test('nesting of 64 levels is accepted, 65 refused (text and object input)', () => {
    expect(() => parseSession(nest(SESSION_LIMITS.maxDepth))).not.toThrow();
    expect(thrown(() => parseSession(nest(SESSION_LIMITS.maxDepth + 1)))).toMatchObject({ code: 'SESSION_TOO_DEEP', kind: 'remote' });
    expect(() => parseSession(nestObject(SESSION_LIMITS.maxDepth))).not.toThrow();
    expect(thrown(() => parseSession(nestObject(SESSION_LIMITS.maxDepth + 1)))).toMatchObject({ code: 'SESSION_TOO_DEEP' });
  });

  test('the depth bomb fixture and a 1,000,000-level bomb are refused before JSON.parse', () => {
    expect(thrown(() => load('hostile-deep-nesting.json'))).toMatchObject({ code: 'SESSION_TOO_DEEP' });
    const bomb = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(thrown(() => parseSession(bomb))).toMatchObject({ code: 'SESSION_TOO_DEEP' });
  });

  test('a cyclic object is refused, not looped over', () => {
    const cyclic: Record<string, unknown> = { state: 'DONE' };
    cyclic.self = cyclic;
    expect(thrown(() => parseSession(cyclic))).toMatchObject({ code: 'SESSION_TOO_DEEP' });
  });

  test('a shared-reference bomb (a DAG that unfolds to 2^60 values) is refused', () => {
    let v: unknown = [1];
    for (let i = 0; i < 60; i++) v = [v, v];
    expect(thrown(() => parseSession({ x: v }))).toMatchObject({ code: 'SESSION_TOO_LARGE' });
  });

  test('more than 5 MiB of text is refused', () => {
    const big = `{"pad": "${'x'.repeat(SESSION_LIMITS.maxBytes)}"}`;
    expect(thrown(() => parseSession(big))).toMatchObject({ code: 'SESSION_TOO_LARGE', kind: 'remote' });
    expect(thrown(() => parseSession(Buffer.from(big)))).toMatchObject({ code: 'SESSION_TOO_LARGE' });
  });

  test('arrays longer than 10,000 are cut, with a problem each', () => {
    const { session, problems } = load('hostile-huge-arrays.json');
    expect(session.resources?.liveness_capture?.[0]?.frames).toHaveLength(10_000);
    expect(session['noise']).toHaveLength(10_000);
    expect(problems).toEqual([
      { path: 'resources.liveness_capture[0].frames', message: 'array of 12000 items cut to the first 10000' },
      { path: 'noise', message: 'array of 20000 items cut to the first 10000' },
    ]);
  });

  test('top level that is not an object → INVALID_SESSION', () => {
    for (const input of ['[]', '"text"', '42', 'null', [], 7, null, undefined]) {
      expect(thrown(() => parseSession(input))).toMatchObject({ code: 'INVALID_SESSION', kind: 'remote' });
    }
  });

  test('HTML and script strings are kept as plain strings; __proto__ is dropped and reported', () => {
    const { session, problems } = load('hostile-html-strings.json');
    expect(session.session_id).toBe("<script>alert('session')</script>");
    expect(session.state).toBe('<img src=x onerror=alert(1)>');
    expect(session.resources?.id_documents?.[0]?.['<script>extra</script>']).toBe('<iframe src="https://evil.example"></iframe>');
    expect(session.checks?.[0]?.report?.breakdown?.[0]?.details?.[0]?.value).toBe('</script><script>alert(4)</script>');
    expect(Object.getPrototypeOf(session)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(session)).not.toContain('__proto__');
    expect(problems).toEqual([{ path: '__proto__', message: 'dropped: a "__proto__" key is never copied' }]);
  });

  test('values JSON cannot hold are dropped from object input; the caller object is not changed', () => {
    const input = { state: 'DONE', f: () => 1, n: Number.NaN, u: undefined, checks: [{ id: 'a' }] };
    const { session, problems } = parseSession(input);
    expect(session).toEqual({ state: 'DONE', checks: [{ id: 'a' }] });
    expect(problems.map((p) => p.path)).toEqual(['f', 'n']);
    expect(typeof input.f).toBe('function');
    expect(session.checks?.[0]).not.toBe(input.checks[0]);
  });
});
