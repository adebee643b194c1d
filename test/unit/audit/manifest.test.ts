import { describe, expect, test } from 'vitest';
import { canonicalJson, isJson } from '../../../main/core/audit/canonical';
import { buildManifest, diffManifests, manifestFromJson, manifestText, manifestToJson, sha256Hex } from '../../../main/core/audit/manifest';

const S = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const item = (id: string, sha = 'a'.repeat(64)) => ({ mediaId: id, sha256: sha, size: 10, mimeType: 'image/jpeg', noContent: false });

describe('evidence manifest', () => {
  test('text format and hash; media sorted by id whatever the input order', () => {
    const m = buildManifest(S, { sha256: 'b'.repeat(64), size: 99 }, [item('m2'), { mediaId: 'm1', sha256: null, size: 0, mimeType: null, noContent: true }]);
    expect(manifestText(m)).toBe(
      `idv-review evidence manifest v1\nsession ${S} sha256=${'b'.repeat(64)} size=99\nmedia m1 no-content\nmedia m2 sha256=${'a'.repeat(64)} size=10 type=image/jpeg\n`,
    );
    expect(m.manifestHash).toBe(sha256Hex(manifestText(m)));
    expect(buildManifest(S, { sha256: 'b'.repeat(64), size: 99 }, [...m.media].reverse()).manifestHash).toBe(m.manifestHash);
  });

  test('round trip through the compact audit form; a changed value no longer adds up', () => {
    const m = buildManifest(S, { sha256: 'b'.repeat(64), size: 1 }, [item('x'), item('y')]);
    const json = manifestToJson(m);
    expect(manifestFromJson(S, json)).toEqual(m);
    const tampered = JSON.parse(JSON.stringify(json)) as { media: Array<{ size: number }> };
    tampered.media[0]!.size = 11;
    expect(manifestFromJson(S, tampered)).toBeNull();
    expect(manifestFromJson(S, { nonsense: true })).toBeNull();
  });

  test('diff names the first difference in words', () => {
    const a = buildManifest(S, { sha256: 'b'.repeat(64), size: 1 }, [item('x'), item('y')]);
    expect(diffManifests(a, a)).toBeNull();
    expect(diffManifests(a, buildManifest(S, { sha256: 'c'.repeat(64), size: 1 }, a.media))).toMatch(/session JSON/);
    expect(diffManifests(a, buildManifest(S, a.session, [item('x')]))).toBe('media y is missing');
    expect(diffManifests(a, buildManifest(S, a.session, [item('x'), item('y', 'd'.repeat(64))]))).toBe('media y does not match the recorded SHA-256');
    expect(diffManifests(a, buildManifest(S, a.session, [item('x'), item('y'), item('z')]))).toBe('media z is stored but not in the recorded manifest');
  });
});

describe('canonical JSON', () => {
  test('sorted keys, no whitespace, stable', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1, y: 'é' } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":1}}');
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(isJson({ a: [1, 'x', { b: null }] })).toBe(true);
    expect(isJson({ a: new Date() })).toBe(false);
    expect(isJson({ a: Number.NaN })).toBe(false);
  });
});
