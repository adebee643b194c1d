// Where Electron's binary is, or why it is not there: shared by npm start and npm run test:electron.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The binary's path, or { error } in words. `root` is the repository (where node_modules is). */
export function electronBinary(root) {
  // Resolving the binary downloads it on first use where the network allows; run that in a child
  // so a failed download's own output does not bury the caller's explanation.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout && existsSync(probe.stdout)) return probe.stdout;
  const firstError = (probe.stderr ?? '').split('\n').find((l) => l.startsWith('Error')) ?? 'the Electron binary is missing';
  return { error: firstError.replace(/^Error:\s*/, '').replace(/\.+$/, '') };
}
