// Packaging: the afterPack hook really flips the fuses (RunAsNode and NODE_OPTIONS off) in a binary's fuse
// wire, found by its sentinel exactly as in a real Electron binary; electron-builder.yml ships the model weights
// where models/backend.ts looks for them and unpacks the native addons.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..', '..', '..');
const hook = require(join(root, 'scripts', 'after-pack-fuses.cjs')) as ((context: unknown) => Promise<void>) & {
  fuseConfig(platform: string, arch: string): Record<string, unknown>;
};
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

describe('electron fuses', () => {
  it('turns RunAsNode, NODE_OPTIONS and inspector flags off in the packed binary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'familiar-fuses-'));
    try {
      // A stand-in binary: random bytes around a version-1 fuse wire of 8 fuses, all enabled ('1').
      const wire = Buffer.concat([Buffer.from('\x7fELF padding '.repeat(100)), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111'), Buffer.from(' tail'.repeat(50))]);
      writeFileSync(join(dir, 'familiar'), wire);
      await hook({ electronPlatformName: 'linux', arch: 1, appOutDir: dir, packager: { appInfo: { productFilename: 'Familiar' }, executableName: 'familiar' } });
      const after = readFileSync(join(dir, 'familiar'));
      const at = after.indexOf(SENTINEL) + SENTINEL.length + 2;
      const fuses = after.subarray(at, at + 8).toString('latin1');
      // 0 RunAsNode, 1 cookie encryption, 2 NODE_OPTIONS, 3 inspect args, 4 asar integrity (macOS only), 5 only app.asar, 6 V8 snapshot (untouched), 7 file:// privileges
      expect(fuses).toBe('01000110');
      expect(after.length).toBe(wire.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the same settings on every platform, plus asar integrity on macOS', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const config = hook.fuseConfig(platform, 'x64');
      expect(config[0], `${platform} RunAsNode`).toBe(false);
      expect(config[2], `${platform} NODE_OPTIONS`).toBe(false);
      expect(config[3]).toBe(false);
      expect(config[4]).toBe(platform === 'darwin');
    }
  });
});

describe('electron-builder.yml', () => {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');

  it('passes electron-builder\'s own configuration schema', async () => {
    // electron-builder's loader and validator, without packing anything (that needs the Electron binary).
    const builderRequire = createRequire(require.resolve('electron-builder'));
    const { getConfig, validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, file: string, extra: null): Promise<Record<string, unknown>>;
      validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = builderRequire('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, asarUnpackTypo: [] }, new DebugLogger(false))).rejects.toThrow(/unknown property/);
  });

  it('builds AppImage and deb, dmg and nsis, and flips the fuses after packing', () => {
    for (const target of ['AppImage', 'deb', 'dmg', 'nsis']) expect(yml).toMatch(new RegExp(`^\\s+- ${target}$`, 'm'));
    expect(yml).toMatch(/^afterPack: scripts\/after-pack-fuses\.cjs$/m);
  });

  it('ships face-api weights where FAMILIAR_MODELS_DIR/face-api points, and unpacks native addons', () => {
    expect(yml).toMatch(/- from: node_modules\/@vladmandic\/face-api\/model\n\s+to: models\/face-api/);
    for (const addon of ['hnswlib-node', 'sharp', '@tensorflow/tfjs-node']) expect(yml).toContain(`- node_modules/${addon}/**/*`);
    expect(yml).toContain('dist/preload/index.cjs');
  });
});
