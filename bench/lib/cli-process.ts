import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A D-Bus session bus of our own with a freshly unlocked gnome-keyring in `dir` (as scripts/test.sh does). */
export async function privateKeychain(dir: string): Promise<{ env: NodeJS.ProcessEnv; stop(): void }> {
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    bus.once('error', () => reject(new Error('dbus-daemon did not start: run npm run setup:system first')));
    createInterface({ input: bus.stdout }).once('line', resolve);
  });
  const env = { DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: dir };
  const unlocked = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'bench', env: { ...process.env, ...env } });
  if (unlocked.status !== 0) {
    bus.kill();
    throw new Error('gnome-keyring-daemon did not start: run npm run setup:system first');
  }
  // gnome-keyring-daemon leaves when its bus goes away.
  return { env, stop: () => bus.kill() };
}

/** How a child process ended, with what it wrote on stderr. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
