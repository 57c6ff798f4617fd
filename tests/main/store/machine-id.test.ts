// This computer's id for the library lock, per platform (each branch run here through injected sources).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMachineId, type MachineIdSources } from '../../../main/store/machine-id.js';

const absent = async (path: string): Promise<string> => {
  throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
};
const fails = async (): Promise<string> => {
  throw new Error('not found');
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-machine-id-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readMachineId', () => {
  it('reads /etc/machine-id on Linux', async () => {
    const files: Record<string, string> = { '/etc/machine-id': '3D1219C7C4C5404AAA1F6D2A48ADFDA4\n' };
    const readText = async (path: string) => files[path] ?? absent(path);
    expect(await readMachineId({ platform: 'linux', readText, idFile: join(dir, 'id') })).toBe('linux:3d1219c7c4c5404aaa1f6d2a48adfda4');
  });

  it('asks ioreg for the hardware UUID on macOS', async () => {
    const run: MachineIdSources['run'] = async (program, args) => {
      expect([program, ...args]).toEqual(['/usr/sbin/ioreg', '-rd1', '-c', 'IOPlatformExpertDevice']);
      return '+-o J314sAP  <class IOPlatformExpertDevice>\n    "IOPlatformUUID" = "5A3C1E0B-12D4-4F1A-9C2B-0D1E2F3A4B5C"\n';
    };
    expect(await readMachineId({ platform: 'darwin', run, readText: absent, idFile: join(dir, 'id') })).toBe('darwin:5a3c1e0b-12d4-4f1a-9c2b-0d1e2f3a4b5c');
  });

  it('reads MachineGuid from the registry on Windows', async () => {
    const run: MachineIdSources['run'] = async (program, args) => {
      expect(program).toBe('reg');
      expect(args).toContain('MachineGuid');
      return '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\r\n\r\n';
    };
    expect(await readMachineId({ platform: 'win32', run, readText: absent, idFile: join(dir, 'id') })).toBe('win32:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  });

  it('makes a random id once and keeps it where the system has none', async () => {
    const idFile = join(dir, 'Familiar', 'machine-id');
    const first = await readMachineId({ platform: 'darwin', run: fails, idFile });
    expect(first).toMatch(/^random:[0-9a-f-]{36}$/);
    expect(await readFile(idFile, 'utf8')).toBe(first!.slice('random:'.length));
    expect(await readMachineId({ platform: 'win32', run: fails, idFile })).toBe(first);
    expect(await readMachineId({ platform: 'linux', readText: async (path) => (path === idFile ? readFile(path, 'utf8') : absent(path)), idFile })).toBe(first);
  });

  it('gives none, without failing, when nothing can be read or written', async () => {
    const writeText = async () => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    };
    expect(await readMachineId({ platform: 'linux', readText: absent, writeText, idFile: join(dir, 'id') })).toBeUndefined();
    const throwing: MachineIdSources['run'] = () => {
      throw new Error('spawn failed synchronously');
    };
    expect(await readMachineId({ platform: 'darwin', run: throwing, readText: absent, writeText, idFile: join(dir, 'id') })).toBeUndefined();
  });
});
