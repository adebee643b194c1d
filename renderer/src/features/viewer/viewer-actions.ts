/** Viewer operations shared by the toolbar, the keyboard and the menu. Each records the tool it used. */
import {
  FITTED,
  IDENTITY_VIEW,
  notify,
  setView,
  setViewer,
  useConsole,
  type StageSlot,
  type ViewTransform,
  type ZoomPan,
} from '../../store/store';
import { evidenceOf, shownImage } from '../../../../common/session/evidence';
import { recordViewed, type Tool } from './record';
import { largestShownFit, zoomAround, zoomTarget } from './zoom';

const state = () => useConsole.getState();
const CENTRE = { x: 0, y: 0 };

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

/** Records the tool on what it changed: only the one compare side whose own zoom moved, else everything shown. */
function used(tool: Tool, slot: StageSlot = 'single'): void {
  const v = state().viewer;
  const ids = slot !== 'single' && v.compare && !v.linked ? [slot === 'left' ? v.compareLeft : v.compareRight] : visibleMediaIds();
  for (const id of ids) if (id !== null) recordViewed(id, tool);
}

/** Sets the zoom and pan of a slot (both sides while linked); the side it came from becomes the active one. */
function setZoomPan(slot: StageSlot, z: ZoomPan): void {
  const v = state().viewer;
  const zoomPan = { zoom: z.zoom, tx: z.tx, ty: z.ty };
  if (slot === 'single') setView(zoomPan);
  else if (v.linked) setViewer({ activeSide: slot, view: { ...v.view, ...zoomPan } });
  else setViewer({ activeSide: slot, sideZoom: { ...v.sideZoom, [slot]: zoomPan } });
}

/** A compare side was clicked or focused: the toolbar and keys act on it from now on. */
export function activateSide(slot: StageSlot): void {
  if (slot !== 'single' && state().viewer.activeSide !== slot) setViewer({ activeSide: slot });
}

/** A stage reports the scale at which its image fits it. */
export function setFitScale(slot: StageSlot, fit: number): void {
  const v = state().viewer;
  if (v.fitScales[slot] !== fit) setViewer({ fitScales: { ...v.fitScales, [slot]: fit } });
}

/** Zooms by `factor` around a point given relative to the stage centre (the centre by default). */
export function zoomBy(factor: number, at: { x: number; y: number } = CENTRE, from?: StageSlot): void {
  const t = zoomTarget(state().viewer, from);
  setZoomPan(t.slot, zoomAround(t.zoom, factor, at, t.largestFit));
  used('zoom', t.slot);
}

export function zoomFit(): void {
  setZoomPan(zoomTarget(state().viewer).slot, FITTED);
}

/** One image pixel per screen pixel, on the stage acted on. */
export function zoomActual(): void {
  const t = zoomTarget(state().viewer);
  setZoomPan(t.slot, { zoom: 1 / (t.fit || 1), tx: 0, ty: 0 });
  used('zoom', t.slot);
}

export function panBy(dx: number, dy: number, from?: StageSlot): void {
  const t = zoomTarget(state().viewer, from);
  setZoomPan(t.slot, { zoom: t.zoom.zoom, tx: t.zoom.tx + dx, ty: t.zoom.ty + dy });
}

/**
 * Links or unlinks the compare sides' zoom and pan. Unlinking starts both sides where the linked view
 * was. Relinking gives both the zoom and pan of the active side rather than refitting: what the reviewer
 * was studying stays where it is, and the other side joins it at the same zoom relative to its own fit
 * (held within the pixel limit of both).
 */
export function setLinked(linked: boolean): void {
  const v = state().viewer;
  if (v.linked === linked) return;
  if (linked) {
    const z = zoomAround(zoomTarget(v).zoom, 1, CENTRE, largestShownFit(v));
    setViewer({ linked, view: { ...v.view, ...z } });
  } else {
    const z = { zoom: v.view.zoom, tx: v.view.tx, ty: v.view.ty };
    setViewer({ linked, sideZoom: { left: z, right: z } });
  }
}

export function toggleLink(): void {
  const v = state().viewer;
  if (!v.compare) {
    notify('Linking zoom and pan applies to the compare view: press C to open it.');
    return;
  }
  setLinked(!v.linked);
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

/** Resets both compare sides too: orientation and filters are shared, and a reset is a fresh start. */
export function resetView(): void {
  setViewer({ view: IDENTITY_VIEW, sideZoom: { left: FITTED, right: FITTED } });
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
  setViewer({ compare: true, compareLeft: left, compareRight: right, playing: false, sideZoom: { left: FITTED, right: FITTED } });
  setView(FITTED);
  if (left !== null) recordViewed(left, 'compare');
  recordViewed(right, 'compare');
}

export function setCompareSide(side: 'left' | 'right', mediaId: string): void {
  setViewer(side === 'left' ? { compareLeft: mediaId } : { compareRight: mediaId });
  recordViewed(mediaId, 'compare');
}
