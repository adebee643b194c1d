import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './test/support/summary-reporter.ts';

// One run covers every project; scripts/test.sh wraps it in a D-Bus session with an
// unlocked gnome-keyring so the keyring project talks to the real Secret Service.
export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // A real PostgreSQL cluster, started and stopped by the run (test/team/support/cluster.ts).
          name: 'team',
          include: ['test/team/**/*.test.ts'],
          globalSetup: ['test/team/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // The page waits on the database and the keychain: a loaded 2-core machine needs more than the 1 s default.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // The built renderer in Debian Chromium, bridged to the real handler table (main/browser-bridge/bridge.ts).
          // Needs `npm run build` first (scripts/test.sh builds) and a D-Bus session with an unlocked keyring.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Child processes killed with SIGKILL mid-write, and two writers at once (test/crash/child/worker.ts).
          name: 'crash',
          include: ['test/crash/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'keyring',
          include: ['test/keyring/**/*.test.ts'],
          testTimeout: 30_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
