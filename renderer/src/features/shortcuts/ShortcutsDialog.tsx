import { Modal } from '../../app/Modal';
import { closeDialog } from '../../store/store';
import { SHORTCUTS, type Shortcut } from './shortcuts';

const GROUPS: Shortcut['group'][] = ['Queue and panes', 'Evidence viewer', 'Decision'];

export function ShortcutsDialog(): React.JSX.Element {
  return (
    <Modal title="Keyboard shortcuts" onClose={closeDialog} wide="x" testId="shortcuts">
      <p className="muted">Single-letter keys work anywhere except while typing in a field. The whole review can be done without a mouse.</p>
      <div className="shortcut-groups">
        {GROUPS.map((g) => (
          <table key={g} className="shortcuts">
            <caption>{g}</caption>
            <tbody>
              {SHORTCUTS.filter((s) => s.group === g && !(s.keys[0] === 'Shift' && SHORTCUTS.some((o) => o !== s && o.does.includes(`Shift+${s.keys[1] ?? ''}`)))).map((s) => (
                <tr key={s.keys.join('+') + s.does}>
                  <th scope="row">
                    {s.keys.map((k, i) => (
                      <span key={i}>
                        {i > 0 && s.keys.length > 1 && (s.keys[0] === 'Ctrl' || s.keys[0] === 'Shift') ? '+' : i > 0 ? ' ' : ''}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </th>
                  <td>{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <div className="modal-actions">
        <button type="button" className="primary" data-autofocus onClick={closeDialog}>
          Close
        </button>
      </div>
    </Modal>
  );
}
