// Electron security checklist, offline: electronegativity's static analysis over the main process, the preload
// and the page's CSP (failing on any HIGH or CRITICAL finding), plus Familiar's own assertions about
// main/electron that electronegativity cannot make (permission handlers, navigation, remote requests, CSP).
// Run: npm run security:electron (also run by tests/main/electron/security-check.test.ts in npm test).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  description: string;
}

/** Parses electronegativity's CSV (quoted fields may hold commas). */
export function parseFindings(csv: string): Finding[] {
  const rows = csv.split('\n').slice(1).filter((line) => line.trim() !== '');
  return rows.map((line) => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell.trim());
        cell = '';
      } else cell += ch;
    }
    cells.push(cell.trim());
    return { issue: cells[0], severity: cells[1], confidence: cells[2], file: cells[3], location: cells[4], description: cells[6] ?? '' };
  });
}

/** Runs electronegativity over a copy of the Electron-facing code and returns its findings. */
export async function runElectronegativity(): Promise<Finding[]> {
  const work = mkdtempSync(join(tmpdir(), 'familiar-electronegativity-'));
  try {
    const input = join(work, 'app');
    cpSync(join(root, 'main', 'electron'), join(input, 'main', 'electron'), { recursive: true });
    cpSync(join(root, 'preload', 'index.ts'), join(input, 'preload', 'index.ts'));
    cpSync(join(root, 'preload', 'bridge.ts'), join(input, 'preload', 'bridge.ts'));
    cpSync(join(root, 'renderer', 'index.html'), join(input, 'renderer', 'index.html'));
    const electronVersion = (require('electron/package.json') as { version: string }).version;
    const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
    const output = join(work, 'findings.csv');
    // It tries to fetch Electron's release list and translations; offline it says so and uses its bundled copies.
    await promisify(execFile)(process.execPath, [cli, '-i', input, '-e', electronVersion, '-r', '-o', output], {
      timeout: 150_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return parseFindings(readFileSync(output, 'utf8'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Familiar's own rules over main/electron, one sentence per violation. */
export function checkElectronSources(dir = join(root, 'main', 'electron')): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const sources = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const all = [...sources.values()].join('\n');
  const problems: string[] = [];
  const forbidden: Array<[RegExp, string]> = [
    [/nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/, 'nodeIntegration must never be true'],
    [/contextIsolation\s*:\s*false/, 'contextIsolation must never be false'],
    [/sandbox\s*:\s*false/, 'sandbox must never be false'],
    [/webSecurity\s*:\s*false/, 'webSecurity must never be false'],
    [/allowRunningInsecureContent\s*:\s*true/, 'allowRunningInsecureContent must never be true'],
    [/webviewTag\s*:\s*true/, 'webviewTag must never be true'],
    [/experimentalFeatures\s*:\s*true/, 'experimentalFeatures must never be true'],
    [/enableBlinkFeatures/, 'no experimental Blink features'],
    [/['"`]unsafe-(inline|eval)['"`]|unsafe-(inline|eval)/, 'the CSP must not allow unsafe-inline or unsafe-eval'],
    [/loadURL\(\s*['"`]https?:/, 'the window must never load remote content'],
    [/shell\.openExternal/, 'no URL from the page may be opened outside the app'],
    [/registerFileProtocol|interceptFileProtocol/, 'file protocol handlers are not used; the app protocol serves by id'],
  ];
  for (const [pattern, message] of forbidden) if (pattern.test(all)) problems.push(message);
  const required: Array<[RegExp, string]> = [
    [/contextIsolation\s*:\s*true/, 'contextIsolation: true is set'],
    [/sandbox\s*:\s*true/, 'sandbox: true is set'],
    [/nodeIntegration\s*:\s*false/, 'nodeIntegration: false is set'],
    [/setWindowOpenHandler\(\s*\(\)\s*=>\s*\(\{\s*action:\s*'deny'\s*\}\)\s*\)/, 'setWindowOpenHandler denies every new window'],
    [/on\('will-navigate'/, 'will-navigate is handled'],
    [/on\('will-redirect'/, 'will-redirect is handled'],
    [/on\('will-attach-webview',\s*\(event\)\s*=>\s*event\.preventDefault\(\)\)/, '<webview> attachment is prevented'],
    [/setPermissionRequestHandler\([\s\S]{0,120}?callback\(false\)/, 'every permission request is denied'],
    [/setPermissionCheckHandler\(\(\)\s*=>\s*false\)/, 'every permission check is denied'],
    [/webRequest\.onBeforeRequest/, 'remote requests are cancelled'],
    [/app\.enableSandbox\(\)/, 'app.enableSandbox() is called'],
    [/requestSingleInstanceLock\(\)/, 'the single-instance lock is taken'],
    [/default-src 'none'/, "the CSP starts from default-src 'none'"],
    [/script-src 'self'/, "the CSP limits scripts to 'self'"],
    [/isTrustedSender/, 'IPC checks the sender frame'],
  ];
  for (const [pattern, message] of required) if (!pattern.test(all)) problems.push(`missing: ${message}`);
  for (const [file, text] of sources) {
    if (/\bipcMain\.on\(/.test(text)) problems.push(`${file}: use ipcMain.handle with the contract, not ipcMain.on`);
  }
  return problems;
}

export const BLOCKING_SEVERITIES = new Set(['HIGH', 'CRITICAL']);

async function main(): Promise<number> {
  const own = checkElectronSources();
  const findings = await runElectronegativity();
  for (const f of findings) process.stdout.write(`electronegativity ${f.severity.padEnd(8)} ${f.issue} ${f.file}:${f.location}\n`);
  for (const p of own) process.stdout.write(`familiar: ${p}\n`);
  const blocking = findings.filter((f) => BLOCKING_SEVERITIES.has(f.severity));
  process.stdout.write(`${findings.length} electronegativity finding(s), ${blocking.length} high or critical; ${own.length} checklist violation(s)\n`);
  return blocking.length === 0 && own.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`security check failed to run: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
