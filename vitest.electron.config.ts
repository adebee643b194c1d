import { defineConfig } from 'vitest/config';

// The real-Electron smoke test (npm run test:electron, scripts/test-electron.mjs): not part of npm test.
export default defineConfig({
  test: {
    name: 'electron',
    include: ['test/electron/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
