import { describe, expect, test } from 'vitest';
import { INITIAL_VIEWER, type ViewerState } from '../../../renderer/src/store/store';
import { clampZoom, isFitted, MAX_PIXEL_SCALE, MIN_ZOOM, pixelWords, zoomAround, zoomTarget, zoomWords } from '../../../renderer/src/features/viewer/zoom';

const viewer = (patch: Partial<ViewerState>): ViewerState => ({ ...INITIAL_VIEWER, ...patch });

describe('the zoom read-out', () => {
  test('says Fit when fitted and centred, whatever the pixel scale', () => {
    expect(zoomWords({ zoom: 1, tx: 0, ty: 0 })).toBe('Fit');
    // zooming in and back out leaves float drift, still fitted
    const back = zoomAround(zoomAround({ zoom: 1, tx: 0, ty: 0 }, 1.25, { x: 30, y: -12 }, 0.5), 0.8, { x: 30, y: -12 }, 0.5);
    expect(isFitted(back)).toBe(true);
    expect(zoomWords(back)).toBe('Fit');
  });

  test('otherwise gives the zoom relative to the fitted size', () => {
    expect(zoomWords({ zoom: 2, tx: 0, ty: 0 })).toBe('200%');
    expect(zoomWords({ zoom: 1.25, tx: 10, ty: 0 })).toBe('125%');
    // the fitted size, moved: no longer "Fit"
    expect(zoomWords({ zoom: 1, tx: 40, ty: 0 })).toBe('100%');
  });

  test('the pixel scale is the secondary information', () => {
    expect(pixelWords(1, 1.31)).toBe('shown at 131% of its pixels; 1:1 is 76%');
    expect(pixelWords(1 / 1.31, 1.31)).toBe('shown at 100% of its pixels; 1:1 is 76%');
  });
});

describe('zooming', () => {
  test('keeps the point under the pointer still', () => {
    const z = zoomAround({ zoom: 1, tx: 0, ty: 0 }, 2, { x: 100, y: 50 }, 1);
    expect(z).toEqual({ zoom: 2, tx: -100, ty: -50 });
  });

  test('stops at MIN_ZOOM and at MAX_PIXEL_SCALE screen pixels per image pixel for the largest fit', () => {
    expect(clampZoom(0.01, 1)).toBe(MIN_ZOOM);
    expect(clampZoom(100, 2)).toBe(MAX_PIXEL_SCALE / 2);
    expect(clampZoom(100, 0)).toBe(MAX_PIXEL_SCALE);
    const z = zoomAround({ zoom: 7, tx: 10, ty: 0 }, 2, { x: 0, y: 0 }, 2);
    expect(z.zoom * 2).toBe(MAX_PIXEL_SCALE);
    expect(z.tx).toBeCloseTo(10 * (8 / 7));
  });
});

describe('which zoom an operation moves', () => {
  const fitScales = { single: 0.5, left: 2, right: 0.25 };
  const sideZoom = { left: { zoom: 3, tx: 5, ty: 0 }, right: { zoom: 0.5, tx: 0, ty: 7 } };

  test('the single view: its own stage', () => {
    expect(zoomTarget(viewer({ fitScales }))).toMatchObject({ slot: 'single', fit: 0.5, largestFit: 0.5, zoom: { zoom: 1 } });
  });

  test('linked compare: the shared view, 1:1 by the active side, the limit by the larger fit', () => {
    const v = viewer({ compare: true, compareLeft: 'a', compareRight: 'b', fitScales, sideZoom, activeSide: 'right' });
    expect(zoomTarget(v)).toMatchObject({ slot: 'right', fit: 0.25, largestFit: 2, zoom: { zoom: 1 } });
    expect(zoomTarget(v, 'left')).toMatchObject({ slot: 'left', fit: 2, largestFit: 2 });
  });

  test('unlinked compare: the side the event came from, else the side last used', () => {
    const v = viewer({ compare: true, compareLeft: 'a', compareRight: 'b', fitScales, sideZoom, linked: false, activeSide: 'left' });
    expect(zoomTarget(v)).toEqual({ slot: 'left', zoom: sideZoom.left, fit: 2, largestFit: 2 });
    expect(zoomTarget(v, 'right')).toEqual({ slot: 'right', zoom: sideZoom.right, fit: 0.25, largestFit: 0.25 });
  });

  test('without an ID photo the face is the only side', () => {
    const v = viewer({ compare: true, compareLeft: null, compareRight: 'b', fitScales, sideZoom, linked: false, activeSide: 'left' });
    expect(zoomTarget(v).slot).toBe('right');
    expect(zoomTarget(viewer({ compare: true, compareLeft: null, compareRight: 'b', fitScales })).largestFit).toBe(0.25);
  });
});
