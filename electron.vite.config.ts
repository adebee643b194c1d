import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * The desktop app's bundles (toolchain notes §4):
 * - main: out/main/index.js, ESM. package.json `dependencies` stay external (electron-vite's default),
 *   and these are named explicitly because bundling them breaks at run time: @react-pdf/renderer
 *   (package-imports subpaths), yoti (reads .proto files next to itself), @github/keytar and sharp (native).
 * - preload: out/preload/index.cjs, CommonJS with its dependencies bundled (a sandboxed preload can
 *   only require electron); it imports no zod (validation is in main).
 * - renderer: out/renderer, minified (electron-vite's default is not).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: 'main/index.ts', formats: ['es'] },
      rolldownOptions: { external: ['@react-pdf/renderer', '@github/keytar', 'sharp', 'yoti'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      lib: { entry: 'preload/index.ts', formats: ['cjs'] },
      rolldownOptions: { external: ['electron'], output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      emptyOutDir: true,
      minify: true,
      rolldownOptions: { input: 'renderer/index.html' },
    },
  },
});
