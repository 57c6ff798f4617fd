// Bundles preload/index.ts (and the contract with zod) into dist/preload/index.cjs: Electron's sandboxed preloads
// run as one CommonJS script that may require only 'electron', so nothing can stay an import.
import { build } from 'vite';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'dist', 'preload'),
    emptyOutDir: false,
    target: 'chrome130',
    minify: false,
    sourcemap: false,
    lib: {
      entry: resolve(root, 'preload', 'index.ts'),
      formats: ['cjs'],
      fileName: () => 'index.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
process.stdout.write('preload: dist/preload/index.cjs\n');
