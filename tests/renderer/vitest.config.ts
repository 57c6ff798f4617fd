// Component tests for the renderer: Svelte compiled for the browser, run in jsdom (each file also says
// `// @vitest-environment jsdom`). The root vitest.config.ts lists this file as one of its projects.
// It lives here, not in renderer/, because renderer/ code may not import Node modules.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default defineConfig({
  root: repoRoot,
  plugins: [svelte({ configFile: false }), svelteTesting()],
  test: {
    name: 'renderer',
    root: repoRoot,
    include: ['tests/renderer/**/*.test.ts'],
    environment: 'jsdom',
    setupFiles: ['tests/renderer/setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // One jsdom and one module graph a worker, not a fresh one a file: the renderer suite took 132 s here isolated and
    // 38 s not (200 s of CPU against 50, beside the model-heavy node files). setup.ts resets what outlives a test.
    isolate: false,
    // They run beside the model-heavy node tests on two cores: a 1-second test has taken over 5 s there, and a
    // machine loaded further slows them as much again (findBy and waitFor wait up to 15 s: tests/renderer/setup.ts).
    testTimeout: 90_000,
    expect: { poll: { timeout: 15_000 } },
  },
});
