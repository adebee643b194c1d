import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, test, vi } from 'vitest';
import type { MenuCommand } from '../../../common/ipc/contract';
import { menuTemplate } from '../../../main/shell/menu';

const ALL_COMMANDS: MenuCommand[] = [
  'next-undecided',
  'add-sessions',
  'export-report',
  'open-settings',
  'show-shortcuts',
  'zoom-in',
  'zoom-out',
  'zoom-fit',
  'zoom-actual',
  'rotate',
  'compare',
];

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe.each(['linux', 'win32', 'darwin'] as const)('application menu on %s', (platform) => {
  const send = vi.fn();
  const items = flatten(menuTemplate(send, { platform, devTools: false }));
  const byId = new Map(items.filter((i) => i.id !== undefined).map((i) => [i.id, i]));

  test('has each command exactly once', () => {
    expect(items.filter((i) => i.id !== undefined).map((i) => i.id).sort()).toEqual([...ALL_COMMANDS].sort());
  });

  test('the keyboard shortcuts', () => {
    expect(byId.get('next-undecided')?.accelerator).toBe('N');
    expect(byId.get('add-sessions')?.accelerator).toBe('CmdOrCtrl+Shift+A');
    expect(byId.get('export-report')?.accelerator).toBe('CmdOrCtrl+E');
    expect(byId.get('open-settings')?.accelerator).toBe('CmdOrCtrl+,');
    expect(byId.get('rotate')?.accelerator).toBe('R');
    expect(byId.get('compare')?.accelerator).toBe('C');
    expect(byId.get('show-shortcuts')?.accelerator).toBe('?');
    for (const zoom of ['zoom-in', 'zoom-out', 'zoom-fit', 'zoom-actual']) expect(byId.get(zoom)?.accelerator, zoom).toMatch(/^CmdOrCtrl\+/);
  });

  test('single-key shortcuts are shown but not registered (typing in a text field never triggers them)', () => {
    for (const item of byId.values()) {
      const bare = !String(item.accelerator).includes('+');
      expect(item.registerAccelerator, String(item.id)).toBe(!bare);
    }
  });

  test('each click sends its own fixed command and nothing else', () => {
    for (const command of ALL_COMMANDS) {
      send.mockClear();
      (byId.get(command)?.click as () => void)();
      expect(send).toHaveBeenCalledExactlyOnceWith(command);
    }
  });

  test('every other item is a built-in role: no item passes anything through', () => {
    for (const item of items) {
      if (item.id !== undefined || item.type === 'separator' || Array.isArray(item.submenu)) continue;
      expect(item.role, JSON.stringify(item)).toBeDefined();
      expect(item.click).toBeUndefined();
    }
    expect(items.some((i) => i.role === 'toggleDevTools' || i.role === 'reload' || i.role === 'forceReload')).toBe(false);
  });
});

test('the developer tools item exists only when asked for', () => {
  const items = flatten(menuTemplate(() => undefined, { platform: 'linux', devTools: true }));
  expect(items.some((i) => i.role === 'toggleDevTools')).toBe(true);
});
