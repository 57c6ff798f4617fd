// A stable id for this computer, kept in the library's lock beside the hostname: macOS renames the host with the
// network it joins (MacBook-Pro.local, then MacBook-Pro-2.local), and a lock whose host no longer matches could never
// be found stale after a crash. The operating system's own id is used where there is one (it is not copied by
// Migration Assistant or a roaming profile to another computer, which would make two computers one); else a random
// id kept in a per-machine folder. Reading it never fails: without an id the lock falls back to the hostname alone.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { machineStateDir } from '../library-location.js';
import { ensureDir } from './atomic.js';

export interface MachineIdSources {
  platform?: NodeJS.Platform;
  /** Reads a text file; rejects when it is absent. */
  readText?: (path: string) => Promise<string>;
  /** Runs a program and resolves with its standard output. */
  run?: (program: string, args: string[]) => Promise<string>;
  /** Where the fallback random id is kept. */
  idFile?: string;
  writeText?: (path: string, text: string) => Promise<void>;
}

const LINUX_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];
/** A program that hangs must not hold up opening a library. */
const RUN_TIMEOUT_MS = 2000;

function runProgram(program: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(program, args, { timeout: RUN_TIMEOUT_MS, windowsHide: true }, (err, stdout) => (err ? fail(err) : done(stdout)));
  });
}

/** The id the operating system keeps for this computer, or undefined. */
async function systemMachineId(platform: NodeJS.Platform, readText: (path: string) => Promise<string>, run: (program: string, args: string[]) => Promise<string>): Promise<string | undefined> {
  if (platform === 'darwin') {
    const out = await run('/usr/sbin/ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']).catch(() => '');
    return /"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]{8,})"/.exec(out)?.[1];
  }
  if (platform === 'win32') {
    // /reg:64: a 32-bit process would otherwise read the WOW6432Node view, which has no MachineGuid.
    const out = await run('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid', '/reg:64']).catch(() => '');
    return /MachineGuid\s+REG_SZ\s+([0-9A-Fa-f-]{8,})/.exec(out)?.[1];
  }
  for (const file of LINUX_ID_FILES) {
    const id = (await readText(file).catch(() => '')).trim();
    if (/^[0-9a-f]{16,}$/i.test(id)) return id;
  }
  return undefined;
}

/** The random id kept in `idFile`, made on first use; undefined when it can be neither read nor made. */
async function persistedMachineId(idFile: string, readText: (path: string) => Promise<string>, writeText: (path: string, text: string) => Promise<void>): Promise<string | undefined> {
  const valid = (text: string) => (/^[0-9a-f-]{16,}$/i.test(text.trim()) ? text.trim() : undefined);
  const stored = valid(await readText(idFile).catch(() => ''));
  if (stored) return stored;
  const made = randomUUID();
  try {
    await writeText(idFile, made);
    return made;
  } catch {
    // Another process made one at the same moment (the exclusive create failed): theirs is the id. Or the folder
    // cannot be written: then there is none.
    return valid(await readText(idFile).catch(() => ''));
  }
}

export async function readMachineId(sources: MachineIdSources = {}): Promise<string | undefined> {
  try {
    const platform = sources.platform ?? process.platform;
    const readText = sources.readText ?? ((path: string) => readFile(path, 'utf8'));
    const system = await systemMachineId(platform, readText, sources.run ?? runProgram);
    if (system) return `${platform}:${system.toLowerCase()}`;
    const writeText =
      sources.writeText ??
      (async (path: string, text: string) => {
        await ensureDir(dirname(path));
        await writeFile(path, text, { flag: 'wx' });
      });
    const persisted = await persistedMachineId(sources.idFile ?? join(machineStateDir(process.env, platform), 'machine-id'), readText, writeText);
    return persisted && `random:${persisted.toLowerCase()}`;
  } catch {
    return undefined;
  }
}

let cached: Promise<string | undefined> | undefined;

/** This computer's id, looked up once per process. */
export function machineId(): Promise<string | undefined> {
  cached ??= readMachineId();
  return cached;
}
