import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../common/ipc/contract';

/**
 * The application menu. Each app item sends one fixed 'menu-command' to the page; nothing is passed
 * through. Single-key shortcuts (N, R, C, ?) are shown but not registered (`registerAccelerator:
 * false`): the page handles those keys itself, so typing an "n" in the notes never jumps to the next
 * session. Shortcuts with a modifier are registered by the menu.
 */
export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Developer tools item (unpackaged builds only). */
  devTools: boolean;
}

export const MENU_SHORTCUTS: Readonly<Record<MenuCommand, { label: string; accelerator: string; registered: boolean }>> = {
  'next-undecided': { label: 'Next Undecided Session', accelerator: 'N', registered: false },
  'add-sessions': { label: 'Add Sessions…', accelerator: 'CmdOrCtrl+Shift+A', registered: true },
  'export-report': { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', registered: true },
  'open-settings': { label: 'Settings…', accelerator: 'CmdOrCtrl+,', registered: true },
  'show-shortcuts': { label: 'Keyboard Shortcuts', accelerator: '?', registered: false },
  'zoom-in': { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', registered: true },
  'zoom-out': { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', registered: true },
  'zoom-fit': { label: 'Fit to Window', accelerator: 'CmdOrCtrl+0', registered: true },
  'zoom-actual': { label: 'Actual Size (1:1)', accelerator: 'CmdOrCtrl+1', registered: true },
  rotate: { label: 'Rotate', accelerator: 'R', registered: false },
  compare: { label: 'Compare', accelerator: 'C', registered: false },
};

export function menuTemplate(send: (command: MenuCommand) => void, opts: MenuOptions): MenuItemConstructorOptions[] {
  const item = (command: MenuCommand): MenuItemConstructorOptions => {
    const s = MENU_SHORTCUTS[command];
    return {
      id: command,
      label: s.label,
      accelerator: s.accelerator,
      registerAccelerator: s.registered,
      click: () => send(command),
    };
  };
  const mac = opts.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      role: 'appMenu',
      submenu: [{ role: 'about' }, { type: 'separator' }, item('open-settings'), { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push({
    label: mac ? 'File' : '&File',
    submenu: [item('add-sessions'), item('export-report'), ...(mac ? [] : [{ type: 'separator' } as const, item('open-settings')]), { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit' }],
  });
  // Text editing in the notes and search fields (copy/paste need these roles on macOS).
  template.push({
    label: mac ? 'Edit' : '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  template.push({
    label: mac ? 'Review' : '&Review',
    submenu: [item('next-undecided'), { type: 'separator' }, item('rotate'), item('compare')],
  });
  template.push({
    label: mac ? 'View' : '&View',
    submenu: [
      item('zoom-in'),
      item('zoom-out'),
      item('zoom-fit'),
      item('zoom-actual'),
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(opts.devTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  });
  template.push({ label: mac ? 'Window' : '&Window', submenu: [{ role: 'minimize' }, ...(mac ? [{ role: 'zoom' } as const] : [])] });
  template.push({ label: mac ? 'Help' : '&Help', role: 'help', submenu: [item('show-shortcuts')] });
  return template;
}
