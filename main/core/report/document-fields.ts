import type { YotiDocumentFields } from './types';

const STRING_KEYS = [
  'full_name',
  'given_names',
  'first_name',
  'family_name',
  'date_of_birth',
  'place_of_birth',
  'nationality',
  'gender',
  'document_type',
  'issuing_country',
  'document_number',
  'personal_number',
  'expiration_date',
  'date_of_issue',
  'issuing_authority',
] as const satisfies ReadonlyArray<Exclude<keyof YotiDocumentFields, 'mrz'>>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the authoritative document fields JSON (already parsed) into the typed shape the report
 * uses. Tolerant: anything that is not the expected type is left out; other keys are ignored.
 */
export function toDocumentFields(json: unknown): YotiDocumentFields {
  if (!isRecord(json)) return {};
  const out: YotiDocumentFields = {};
  for (const key of STRING_KEYS) {
    const v = json[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v;
  }
  const mrz = json.mrz;
  if (isRecord(mrz)) {
    const m: NonNullable<YotiDocumentFields['mrz']> = {};
    if (typeof mrz.type === 'number' && Number.isFinite(mrz.type)) m.type = mrz.type;
    for (const key of ['line1', 'line2', 'line3'] as const) {
      const v = mrz[key];
      if (typeof v === 'string' && v.trim() !== '') m[key] = v;
    }
    if (Object.keys(m).length > 0) out.mrz = m;
  }
  return out;
}
