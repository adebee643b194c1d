/**
 * Zoom arithmetic and its read-out, free of the store and the DOM. A zoom is a multiple of the scale at
 * which the image fits its stage (1 = fit), so "Fit" and "200%" mean the same on every item whatever its
 * pixel size; the pixel scale (fit × zoom) is said as secondary information. Also which stage's zoom an
 * operation moves, read from the viewer state alone so the toolbar shows what the actions change.
 */
import type { CompareSide, StageSlot, ViewerState, ZoomPan } from '../../store/store';

export const MIN_ZOOM = 0.1;
/** No image is shown larger than 16 screen pixels per image pixel. */
export const MAX_PIXEL_SCALE = 16;

/** Fitted and centred; the tolerance absorbs the float drift of zooming in and back out. */
export function isFitted(z: ZoomPan): boolean {
  return Math.abs(z.zoom - 1) < 1e-6 && Math.abs(z.tx) < 0.5 && Math.abs(z.ty) < 0.5;
}

/** The read-out: "Fit", or the zoom relative to the fitted size ("200%" is twice the fitted size). */
export function zoomWords(z: ZoomPan): string {
  return isFitted(z) ? 'Fit' : `${Math.round(z.zoom * 100)}%`;
}

/** The pixel scale at this zoom, for a stage whose image fits at `fit` screen pixels per image pixel. */
export function pixelWords(zoom: number, fit: number): string {
  return `shown at ${Math.round(fit * zoom * 100)}% of its pixels; 1:1 is ${Math.round(100 / fit)}%`;
}

/** Keeps a zoom within MIN_ZOOM and the largest pixel scale on every stage it applies to (the largest fit decides). */
export function clampZoom(zoom: number, largestFit: number): number {
  return Math.min(Math.max(zoom, MIN_ZOOM), MAX_PIXEL_SCALE / (largestFit || 1));
}

/** Zooms by `factor` around a point given relative to the stage centre, so that point stays put. */
export function zoomAround(z: ZoomPan, factor: number, at: { x: number; y: number }, largestFit: number): ZoomPan {
  const zoom = clampZoom(z.zoom * factor, largestFit);
  const k = zoom / z.zoom;
  return { zoom, tx: at.x - (at.x - z.tx) * k, ty: at.y - (at.y - z.ty) * k };
}

/** The fit scale of every stage on screen: a linked zoom must keep each of them within the pixel limit. */
export function largestShownFit(v: ViewerState): number {
  return v.compare && v.compareLeft !== null ? Math.max(v.fitScales.left, v.fitScales.right) : v.fitScales[v.compare ? 'right' : 'single'];
}

/**
 * Whose zoom and pan an operation moves. From a stage's own wheel, drag or arrow keys (`from`), that
 * stage's. From the toolbar, a key or the menu in the compare view, the side last wheeled, dragged,
 * clicked or focused (activeSide; the compare note names it): one rule for pointer and keyboard users.
 * Without an ID photo the face is the only side. While linked both sides share `view`, so the side
 * only decides whose fit 1:1 uses.
 */
export function zoomTarget(v: ViewerState, from?: StageSlot): { slot: StageSlot; zoom: ZoomPan; fit: number; largestFit: number } {
  if (!v.compare) return { slot: 'single', zoom: v.view, fit: v.fitScales.single, largestFit: v.fitScales.single };
  const side: CompareSide = v.compareLeft === null ? 'right' : from === 'left' || from === 'right' ? from : v.activeSide;
  const fit = v.fitScales[side];
  return v.linked ? { slot: side, zoom: v.view, fit, largestFit: largestShownFit(v) } : { slot: side, zoom: v.sideZoom[side], fit, largestFit: fit };
}
