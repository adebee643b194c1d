import { useConsole } from '../../store/store';
import { SIDE_TITLE } from './CompareView';
import {
  flip,
  resetView,
  rotate,
  setBrightness,
  setContrast,
  toggleCompare,
  toggleInvert,
  zoomActual,
  zoomBy,
  zoomFit,
} from './viewer-actions';
import { pixelWords, zoomTarget, zoomWords } from './zoom';

/** Zoom, orientation and filter controls; every one also has a key (see the shortcuts list). */
export function Toolbar({ disabled }: { disabled: boolean }): React.JSX.Element {
  const viewer = useConsole((s) => s.viewer);
  const { view, compare } = viewer;
  // The zoom the buttons act on: in the compare view, the side last used (named while unlinked).
  const target = zoomTarget(viewer);
  const side = target.slot === 'single' ? '' : `${SIDE_TITLE[target.slot]}: `;
  return (
    <div className="toolbar" role="group" aria-label="Image tools">
      <div className="tool-set" role="group" aria-label="Zoom">
        <button type="button" disabled={disabled} onClick={() => zoomBy(1 / 1.25)} aria-label="Zoom out" title="Zoom out (−)">
          −
        </button>
        <output className="zoom-readout" aria-label="Zoom level" title={`${side}${pixelWords(target.zoom.zoom, target.fit)}`} data-testid="zoom-readout">
          {zoomWords(target.zoom)}
        </output>
        <button type="button" disabled={disabled} onClick={() => zoomBy(1.25)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" disabled={disabled} onClick={zoomFit} title="Fit to the pane (0)">
          Fit
        </button>
        <button type="button" disabled={disabled} onClick={zoomActual} aria-label="Actual size, 1:1" title="Actual size (1)">
          1:1
        </button>
      </div>
      <div className="tool-set" role="group" aria-label="Orientation">
        <button type="button" disabled={disabled} onClick={() => rotate(false)} aria-label="Rotate left" title="Rotate left (Shift+R)">
          ⟲
        </button>
        <button type="button" disabled={disabled} onClick={() => rotate(true)} aria-label="Rotate right" title="Rotate right (R)">
          ⟳
        </button>
        <button type="button" disabled={disabled} onClick={flip} aria-pressed={view.flip} title="Flip horizontally (H)">
          Flip
        </button>
      </div>
      <div className="tool-set" role="group" aria-label="Filters">
        <FilterSlider label="Brightness" value={view.brightness} disabled={disabled} onChange={setBrightness} />
        <FilterSlider label="Contrast" value={view.contrast} disabled={disabled} onChange={setContrast} />
        <button type="button" disabled={disabled} onClick={toggleInvert} aria-pressed={view.invert} title="Invert colours (I)">
          Invert
        </button>
        <button type="button" disabled={disabled} onClick={resetView} title="Reset zoom, orientation and filters (E)">
          Reset
        </button>
      </div>
      <button type="button" className="tool-compare" disabled={disabled} onClick={toggleCompare} aria-pressed={compare} title="Compare the document portrait with a liveness frame (C)">
        Compare
      </button>
    </div>
  );
}

/** A filter strength from 20 % to 300 %, read out as a percentage. */
function FilterSlider({ label, value, disabled, onChange }: { label: string; value: number; disabled: boolean; onChange: (v: number) => void }): React.JSX.Element {
  return (
    <label className="slider">
      <span>{label}</span>
      <input
        type="range"
        min={0.2}
        max={3}
        step={0.1}
        value={value}
        disabled={disabled}
        aria-valuetext={`${Math.round(value * 100)}%`}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      />
      <output className="slider-value" data-testid={`${label.toLowerCase()}-value`} aria-hidden="true">
        {Math.round(value * 100)}%
      </output>
    </label>
  );
}
