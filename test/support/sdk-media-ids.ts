import type { IDVClient } from 'yoti';

export type SdkSession = Awaited<ReturnType<IDVClient['getSession']>>;

/**
 * Every media id the official SDK's parsed model exposes for a session, walked as an integrator
 * would: document pages and frames, fields and photo, text-extraction and check outputs,
 * supplementary documents, ZOOM frames and facemap, static liveness. Each id once.
 */
export function sdkMediaIds(s: SdkSession): string[] {
  const r = s.getResources();
  const ids: Array<string | undefined> = [];
  for (const d of r.getIdDocuments()) {
    for (const p of d.getPages()) {
      ids.push(p.getMedia()?.getId());
      for (const f of p.getFrames() ?? []) ids.push(f.getMedia()?.getId());
    }
    ids.push(d.getDocumentFields()?.getMedia()?.getId(), d.getDocumentIdPhoto()?.getMedia()?.getId());
    for (const t of d.getTextExtractionTasks()) for (const g of t.getGeneratedMedia()) ids.push(g.getId());
  }
  for (const d of r.getSupplementaryDocuments()) {
    for (const p of d.getPages()) ids.push(p.getMedia()?.getId());
    ids.push(d.getDocumentFields()?.getMedia()?.getId());
  }
  for (const z of r.getZoomLivenessResources()) {
    for (const f of z.getFrames()) ids.push(f.getMedia()?.getId());
    ids.push(z.getFaceMap()?.getMedia()?.getId());
  }
  for (const st of r.getStaticLivenessResources()) ids.push(st.getImage()?.getId());
  for (const c of s.getChecks()) for (const g of c.getGeneratedMedia()) ids.push(g.getId());
  return [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
}
