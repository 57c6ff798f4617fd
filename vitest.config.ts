import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Computes the shared-photo embedding caches once per run (tests/helpers/shared-faces.ts).
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    // Two cores here: model-heavy test files fight for them, so run at most two at once.
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 600_000,
    // expect.poll gives up after 1 s by default: on two cores beside the model-heavy files, a page's tiles or a job's
    // next report can take longer. Waiting longer changes nothing for a test that passes.
    expect: { poll: { timeout: 15_000 } },
    // Node tests run with the settings above; the renderer's component tests (Svelte in jsdom) have their own.
    projects: [
      { extends: true, test: { name: 'node', exclude: [...configDefaults.exclude, 'tests/renderer/**'] } },
      'tests/renderer/vitest.config.ts',
    ],
  },
});
