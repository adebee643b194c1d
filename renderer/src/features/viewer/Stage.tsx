/**
 * One image under the viewer's transform: wheel zooms around the pointer, dragging pans, arrow keys
 * pan when the stage has focus. The transform lives in the store, so two stages given the same view
 * (the linked compare view) zoom and pan together; each acts through its slot, so an unlinked compare
 * side moves alone. Listeners and observers are removed on unmount.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { StageSlot, ViewTransform } from '../../store/store';
import { screenCopyEnough, stageUrl, type EvidenceImage } from '../../../../common/session/evidence';
import { recordViewed } from './record';
import { activateSide, panBy, setFitScale, zoomBy } from './viewer-actions';
import { pixelWords, zoomWords } from './zoom';

interface Props {
  image: EvidenceImage;
  view: ViewTransform;
  /** Where the stage is: its fit scale is kept under this slot, and its wheel, drag and keys act on it. */
  slot: StageSlot;
  label: string;
  testId?: string;
}

/** Which of the image's sources has decoded and shows: none yet, its screen copy, or the original. */
type Shown = 'none' | 'copy' | 'original';

export function Stage({ image, view, slot, label, testId }: Props): React.JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ w: 0, h: 0 });
  // The original's size: recorded by main when the image entered the store, else known once it decodes.
  const [decodedSize, setDecodedSize] = useState<{ w: number; h: number } | null>(null);
  const pixels = image.media.pixels;
  const natural = pixels ? { w: pixels.width, h: pixels.height } : decodedSize;
  // The screen copy first (when main made one); the original once the scale needs more pixels, and
  // from then on (going back would only decode the copy again).
  const [wantOriginal, setWantOriginal] = useState(image.media.screen === undefined || pixels === undefined);
  const [shown, setShown] = useState<Shown>('none');
  const [failed, setFailed] = useState(false);
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setBox({ w: entry.contentRect.width, h: entry.contentRect.height });
    });
    ro.observe(el);
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const at = { x: e.clientX - r.left - r.width / 2, y: e.clientY - r.top - r.height / 2 };
      zoomBy(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), at, slot);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      ro.disconnect();
      el.removeEventListener('wheel', onWheel);
    };
  }, [slot]);

  const turned = view.rotate % 180 !== 0;
  const fit =
    natural && box.w > 0 && box.h > 0
      ? Math.min(box.w / (turned ? natural.h : natural.w), box.h / (turned ? natural.w : natural.h))
      : 1;

  const sized = natural !== null;
  useEffect(() => {
    if (sized) setFitScale(slot, fit);
  }, [slot, sized, fit]);

  const scale = fit * view.zoom;
  const copyEnough = screenCopyEnough(image, scale * window.devicePixelRatio);
  useEffect(() => {
    if (!wantOriginal && box.w > 0 && !copyEnough) setWantOriginal(true);
  }, [wantOriginal, box.w, copyEnough]);
  const source: Exclude<Shown, 'none'> = wantOriginal ? 'original' : 'copy';
  const src = source === 'copy' ? stageUrl(image) : image.url;
  const imgStyle: React.CSSProperties = natural
    ? {
        width: `${natural.w}px`,
        height: `${natural.h}px`,
        transform: `translate(-50%, -50%) translate(${view.tx}px, ${view.ty}px) rotate(${view.rotate}deg) scale(${view.flip ? -scale : scale}, ${scale})`,
        filter: imgFilter(view),
      }
    : {};

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return;
    activateSide(slot);
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    panBy(e.clientX - d.x, e.clientY - d.y, slot);
    drag.current = { id: d.id, x: e.clientX, y: e.clientY };
  };
  const endDrag = (): void => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 160 : 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const m = moves[e.key];
    if (m && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      e.stopPropagation();
      panBy(m[0], m[1], slot);
    }
  };

  const state = [
    `zoom ${zoomWords(view)}, ${pixelWords(view.zoom, fit)}`,
    view.rotate !== 0 ? `rotated ${view.rotate}°` : '',
    view.flip ? 'mirrored' : '',
    view.invert ? 'inverted' : '',
    shown === 'copy' ? 'shown from its screen copy, the original when zoomed in' : '',
  ].filter(Boolean).join(', ');
  const onDecoded = (img: HTMLImageElement, from: Exclude<Shown, 'none'>): void => {
    if (from === 'original' && !pixels) setDecodedSize({ w: img.naturalWidth, h: img.naturalHeight });
    setShown(from);
    recordViewed(image.mediaId);
  };

  return (
    <div
      ref={boxRef}
      className="stage"
      tabIndex={0}
      role="group"
      aria-roledescription="image viewer"
      aria-label={`${label}: ${state}`}
      aria-describedby="stage-help"
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onKeyDown={onKeyDown}
      onFocus={() => activateSide(slot)}
    >
      {shown === 'none' && !failed && image.thumbnailUrl === image.url && <div className="skeleton stage-skeleton" aria-hidden="true" />}
      {failed && (
        <p className="stage-error" role="alert">
          This image could not be shown. The stored copy may be damaged or not an image: fetch the session again.
        </p>
      )}
      {source === 'original' && shown === 'copy' && (
        // The screen copy stays under the original until that has decoded.
        <img className="stage-under" src={stageUrl(image)} alt="" aria-hidden="true" draggable={false} style={imgStyle} />
      )}
      <img
        key={source}
        className={shown === source ? 'stage-img' : 'stage-img is-loading'}
        src={src}
        alt={image.media.label}
        data-source={source}
        draggable={false}
        decoding="async"
        style={imgStyle}
        onLoad={(e) => {
          // Shown once decoded, so what is under it is never replaced by a blank frame.
          const img = e.currentTarget;
          void img
            .decode()
            .catch(() => undefined)
            .then(() => onDecoded(img, source));
        }}
        // A copy that cannot be shown gives way to the original; the original's failure is said.
        onError={() => (source === 'copy' ? setWantOriginal(true) : setFailed(true))}
      />
      {shown === 'none' && !failed && image.thumbnailUrl !== image.url && (
        // The thumbnail, fitted, until the full image has decoded: the first paint of a page is not a grey box.
        <img
          className="stage-preview"
          src={image.thumbnailUrl}
          alt=""
          aria-hidden="true"
          draggable={false}
          style={{ transform: `rotate(${view.rotate}deg) scaleX(${view.flip ? -1 : 1})`, filter: imgFilter(view) }}
        />
      )}
    </div>
  );
}

const imgFilter = (view: ViewTransform): string => `brightness(${view.brightness}) contrast(${view.contrast}) invert(${view.invert ? 1 : 0})`;
