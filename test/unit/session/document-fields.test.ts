import { describe, expect, test } from 'vitest';
import { authoritativeDocumentFields } from '../../../common/session/document-fields';
import { parseSession } from '../../../common/session/parse';
import { load } from './load';

describe('authoritativeDocumentFields', () => {
  const { session } = load('text-data-check-replaces-fields.json');
  const DOC = 'd0c00000-0000-4000-8000-000000000007';

  test('an approved text data check with JSON media replaces the resource fields; retries stay separate', () => {
    expect(authoritativeDocumentFields(session, DOC)).toEqual({
      source: 'TEXT_DATA_CHECK',
      resourceId: DOC,
      mediaId: '7e47da7a-0000-4000-8000-000000000072',
      checkId: 'c4ec0000-0000-4000-8000-000000000072',
      checkIndex: 1,
      replacedMediaId: 'f1e1d500-0000-4000-8000-000000000007',
      textDataChecks: [
        { checkIndex: 0, checkId: 'c4ec0000-0000-4000-8000-000000000071', state: 'DONE', recommendation: 'NOT_AVAILABLE', jsonMediaId: '7e47da7a-0000-4000-8000-000000000071', usable: false },
        { checkIndex: 1, checkId: 'c4ec0000-0000-4000-8000-000000000072', state: 'DONE', recommendation: 'APPROVE', jsonMediaId: '7e47da7a-0000-4000-8000-000000000072', usable: true },
      ],
    });
  });

  test('an approved check without JSON media leaves the resource fields in charge', () => {
    const other = 'd0c00000-0000-4000-8000-000000000070';
    expect(authoritativeDocumentFields(session, other)).toMatchObject({
      source: 'RESOURCE',
      mediaId: 'f1e1d500-0000-4000-8000-000000000070',
      textDataChecks: [{ checkIndex: 2, recommendation: 'APPROVE', jsonMediaId: undefined, usable: false }],
    });
  });

  test("the docs' text data check example replaces the docs' document fields", () => {
    const full = load('docs-01-full-session.json').session;
    const text = load('docs-08-text-data-check.json');
    const { session: merged } = parseSession({ ...full, checks: [...(full.checks ?? []), JSON.parse(JSON.stringify(text.session))] });
    expect(authoritativeDocumentFields(merged, 'd0c00000-0000-4000-8000-000000000001')).toMatchObject({
      source: 'TEXT_DATA_CHECK',
      mediaId: '7e47da7a-0000-4000-8000-000000000001',
      checkId: 'c4ec0000-0000-4000-8000-000000000009',
      replacedMediaId: 'f1e1d500-0000-4000-8000-000000000001',
    });
  });

  test('no fields anywhere, or an unknown resource → NONE', () => {
    const { session: s } = parseSession({ resources: { id_documents: [{ id: 'd1', document_fields: {} }] } });
    expect(authoritativeDocumentFields(s, 'd1')).toEqual({ source: 'NONE', resourceId: 'd1', resourceFound: true, textDataChecks: [] });
    expect(authoritativeDocumentFields(s, 'nope')).toEqual({ source: 'NONE', resourceId: 'nope', resourceFound: false, textDataChecks: [] });
  });

  test('a rejected check or a check on another resource is never used', () => {
    const { session: s } = parseSession({
      resources: { id_documents: [{ id: 'd1', document_fields: { media: { id: 'own', type: 'JSON' } } }, { id: 'd2' }] },
      checks: [
        { type: 'ID_DOCUMENT_TEXT_DATA_CHECK', id: 'r', resources_used: ['d1'], report: { recommendation: { value: 'REJECT' } }, generated_media: [{ id: 'x', type: 'JSON' }] },
        { type: 'ID_DOCUMENT_TEXT_DATA_CHECK', id: 'o', resources_used: ['d2'], report: { recommendation: { value: 'APPROVE' } }, generated_media: [{ id: 'y', type: 'JSON' }] },
        { type: 'ID_DOCUMENT_AUTHENTICITY', id: 'a', resources_used: ['d1'], report: { recommendation: { value: 'APPROVE' } }, generated_media: [{ id: 'z', type: 'JSON' }] },
      ],
    });
    expect(authoritativeDocumentFields(s, 'd1')).toMatchObject({ source: 'RESOURCE', mediaId: 'own', textDataChecks: [{ checkId: 'r', usable: false }] });
    expect(authoritativeDocumentFields(s, 'd2')).toMatchObject({ source: 'TEXT_DATA_CHECK', mediaId: 'y', checkId: 'o' });
  });

  test('supplementary documents use SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK', () => {
    const full = load('full-coverage.json').session;
    expect(authoritativeDocumentFields(full, '5d0c0000-0000-4000-8000-00000000000a')).toMatchObject({
      source: 'TEXT_DATA_CHECK',
      mediaId: '5f1e0000-0000-4000-8000-00000000000a',
      checkId: 'c4ec0000-0000-4000-8000-0000000000a2',
    });
  });
});
