import type { Session } from './schema';

/**
 * Which media holds the document fields a reviewer should trust. Yoti: when an ID Document Text Data
 * Check is approved, "the generated media array will contain the extracted text media ID … This
 * media will replace the "document_fields" media in the resources."
 */

/** One text data check that used the resource, and whether it can supply the fields. */
export interface TextDataCheckEntry {
  checkIndex: number;
  checkId?: string;
  state?: string;
  recommendation?: string;
  /** The first generated media of type JSON with an id, if any. */
  jsonMediaId?: string;
  /** Approved and has JSON media. */
  usable: boolean;
}

interface Common {
  resourceId: string;
  /** Every text data check that used this resource, retries included, in check order. */
  textDataChecks: TextDataCheckEntry[];
}

export type AuthoritativeDocumentFields =
  | (Common & { source: 'TEXT_DATA_CHECK'; mediaId: string; checkId?: string; checkIndex: number; replacedMediaId?: string })
  | (Common & { source: 'RESOURCE'; mediaId: string })
  | (Common & { source: 'NONE'; resourceFound: boolean });

const TEXT_CHECK_FOR: Readonly<Record<'id_documents' | 'supplementary_documents', string>> = {
  id_documents: 'ID_DOCUMENT_TEXT_DATA_CHECK',
  supplementary_documents: 'SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK',
};

/**
 * For an ID document (or supplementary document) resource: the media id of its authoritative
 * document fields. An approved text data check with JSON media wins (the latest in check order, if
 * several were approved); otherwise the resource's own `document_fields`; otherwise none.
 */
export function authoritativeDocumentFields(session: Session, resourceId: string): AuthoritativeDocumentFields {
  return documentFieldsResolver(session)(resourceId);
}

/**
 * The same answer for many resources: indexes the session once (linear), then answers each id in
 * constant time. Use it when resolving every document of a session.
 */
export function documentFieldsResolver(session: Session): (resourceId: string) => AuthoritativeDocumentFields {
  const resources = new Map<string, { key: keyof typeof TEXT_CHECK_FOR; ownId: string | undefined }>();
  for (const key of ['id_documents', 'supplementary_documents'] as const) {
    for (const r of session.resources?.[key] ?? []) {
      if (r.id === undefined || resources.has(r.id)) continue;
      const own = r.document_fields?.media?.id;
      resources.set(r.id, { key, ownId: own === undefined || own === '' ? undefined : own });
    }
  }
  // resource id → check type → text data checks that used it, in check order
  const checksByResource = new Map<string, TextDataCheckEntry[]>();
  const textCheckTypes = new Set(Object.values(TEXT_CHECK_FOR));
  (session.checks ?? []).forEach((check, checkIndex) => {
    if (check.type === undefined || !textCheckTypes.has(check.type)) return;
    const jsonMediaId = (check.generated_media ?? []).find((g) => g.type?.toUpperCase() === 'JSON' && g.id !== undefined && g.id !== '')?.id;
    const recommendation = check.report?.recommendation?.value;
    const entry: TextDataCheckEntry = {
      checkIndex,
      checkId: check.id,
      state: check.state,
      recommendation,
      jsonMediaId,
      usable: recommendation === 'APPROVE' && jsonMediaId !== undefined,
    };
    for (const id of new Set(check.resources_used ?? [])) {
      const found = resources.get(id);
      if (found === undefined || TEXT_CHECK_FOR[found.key] !== check.type) continue;
      const list = checksByResource.get(id) ?? [];
      list.push(entry);
      checksByResource.set(id, list);
    }
  });

  return (resourceId: string): AuthoritativeDocumentFields => {
    const found = resources.get(resourceId);
    if (found === undefined) return { source: 'NONE', resourceId, resourceFound: false, textDataChecks: [] };
    const textDataChecks = (checksByResource.get(resourceId) ?? []).map((e) => ({ ...e }));
    const winner = textDataChecks.filter((c) => c.usable).at(-1);
    if (winner?.jsonMediaId !== undefined) {
      return {
        source: 'TEXT_DATA_CHECK',
        resourceId,
        mediaId: winner.jsonMediaId,
        checkId: winner.checkId,
        checkIndex: winner.checkIndex,
        replacedMediaId: found.ownId,
        textDataChecks,
      };
    }
    if (found.ownId !== undefined) return { source: 'RESOURCE', resourceId, mediaId: found.ownId, textDataChecks };
    return { source: 'NONE', resourceId, resourceFound: true, textDataChecks };
  };
}
