/** Viewer operations shared by the toolbar, the keyboard and the menu. Each records the tool it used. */
import { IDENTITY_VIEW, notify, setView, setViewer, useConsole, type ViewTransform } from '../../store/store';
import { evidenceOf, shownImage } from './evidence';
import { recordViewed, type Tool } from './record';

export const MIN_ZOOM = 0.1;
export const MAX_PIXEL_SCALE = 16;

const state = () => useConsole.getState();

/** The media ids on screen now (one, or two in the compare view). */
export function visibleMediaIds(): string[] {
  const { session, viewer } = state();
  if (!session) return [];
  if (viewer.compare) return [viewer.compareLeft, viewer.compareRight].filter((x): x is string => x !== null);
  const ev = evidenceOf(session);
  const entry = ev.entries.find((e) => e.key === viewer.entryKey);
  const img = shownImage(entry, viewer.frame);
  return img ? [img.mediaId] : [];
}

function used(tool: Tool): void {
  for (const id of visibleMediaIds()) recordViewed(id, tool);
}

function clampZoom(zoom: number): number {
  const fit = state().viewer.fitScale || 1;
  return Math.min(Math.max(zoom, MIN_ZOOM), MAX_PIXEL_SCALE / fit);
}

/** Zooms by `factor` around a point given relative to the stage centre (the centre by default). */
export function zoomBy(factor: number, at: { x: number; y: number } = { x: 0, y: 0 }): void {
  const v = state().viewer.view;
  const zoom = clampZoom(v.zoom * factor);
  const k = zoom / v.zoom;
  setView({ zoom, tx: at.x - (at.x - v.tx) * k, ty: at.y - (at.y - v.ty) * k });
  used('zoom');
}

export function zoomFit(): void {
  setView({ zoom: 1, tx: 0, ty: 0 });
}

/** One image pixel per screen pixel. */
export function zoomActual(): void {
  const fit = state().viewer.fitScale || 1;
  setView({ zoom: 1 / fit, tx: 0, ty: 0 });
  used('zoom');
}

export function panBy(dx: number, dy: number): void {
  const v = state().viewer.view;
  setView({ tx: v.tx + dx, ty: v.ty + dy });
}

export function rotate(clockwise = true): void {
  const v = state().viewer.view;
  const r = ((v.rotate + (clockwise ? 90 : 270)) % 360) as ViewTransform['rotate'];
  setView({ rotate: r });
  used('rotate');
}

export function flip(): void {
  setView({ flip: !state().viewer.view.flip });
  used('rotate');
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function setBrightness(value: number): void {
  setView({ brightness: round1(Math.min(3, Math.max(0.2, value))) });
  used('filters');
}

export function setContrast(value: number): void {
  setView({ contrast: round1(Math.min(3, Math.max(0.2, value))) });
  used('filters');
}

export function toggleInvert(): void {
  setView({ invert: !state().viewer.view.invert });
  used('filters');
}

export function resetView(): void {
  setView(IDENTITY_VIEW);
}

export function selectEntry(key: string, frame = 0): void {
  setViewer({ entryKey: key, frame, playing: false, compare: false });
  // A new item starts fitted, keeping orientation tools off so each item is judged as captured.
  setView({ zoom: 1, tx: 0, ty: 0 });
}

export function stepEntry(delta: number): void {
  const { session, viewer } = state();
  if (!session) return;
  const entries = evidenceOf(session).entries;
  if (entries.length === 0) return;
  const i = entries.findIndex((e) => e.key === viewer.entryKey);
  const next = entries[(i < 0 ? 0 : i + delta + entries.length) % entries.length];
  if (next) selectEntry(next.key);
}

export function stepFrame(delta: number): void {
  const { session, viewer } = state();
  if (!session) return;
  const entry = evidenceOf(session).entries.find((e) => e.key === viewer.entryKey);
  if (entry?.kind !== 'image' || entry.images.length < 2) return;
  const n = entry.images.length;
  setViewer({ frame: (viewer.frame + delta + n) % n });
}

export function togglePlay(): void {
  const { session, viewer } = state();
  if (!session) return;
  const entry = evidenceOf(session).entries.find((e) => e.key === viewer.entryKey);
  if (entry?.kind !== 'image' || entry.images.length < 2) {
    notify('This item has a single image: there is no flip-book to play.');
    return;
  }
  setViewer({ playing: !viewer.playing });
}

export function toggleCompare(): void {
  const { session, viewer } = state();
  if (!session) return;
  if (viewer.compare) {
    setViewer({ compare: false });
    return;
  }
  const ev = evidenceOf(session);
  const left = viewer.compareLeft ?? ev.portraits[0]?.mediaId ?? null;
  // The liveness attempt the (latest) face match used, when Yoti says which.
  const used = new Set(session.summary.faceMatches.at(-1)?.resourcesUsed ?? []);
  const right = viewer.compareRight ?? (ev.faces.find((f) => f.media.resourceId !== undefined && used.has(f.media.resourceId)) ?? ev.faces[0])?.mediaId ?? null;
  if (right === null) {
    notify('There is no liveness frame or face image to compare.');
    return;
  }
  // Without an ID photo the view still opens, and says the portrait is missing.
  setViewer({ compare: true, compareLeft: left, compareRight: right, playing: false });
  setView({ zoom: 1, tx: 0, ty: 0 });
  if (left !== null) recordViewed(left, 'compare');
  recordViewed(right, 'compare');
}

export function setCompareSide(side: 'left' | 'right', mediaId: string): void {
  setViewer(side === 'left' ? { compareLeft: mediaId } : { compareRight: mediaId });
  recordViewed(mediaId, 'compare');
}
