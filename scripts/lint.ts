// Project lint: the runtime boundaries the folder layout promises, plus a few mistakes that slip past tsc.
//  - renderer/ never imports main/, models/ or Node built-ins (it runs in a sandboxed browser page);
//  - models/ never imports electron or the store (it runs in plain Node workers);
//  - only main/electron/ and preload/index.ts import electron;
//  - preload/contract.ts imports nothing but zod (main, preload and renderer all load it);
//  - no focused or skipped tests (`.only`, `.skip`, `xit`) are committed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const sourceExt = /\.(ts|js|mjs|cjs|svelte)$/;

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : sourceExt.test(name) ? [full] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

function resolvesInto(file: string, specifier: string, folder: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = relative(root, resolve(dirname(file), specifier));
  return target === folder || target.startsWith(folder + sep);
}

const problems: string[] = [];
const report = (file: string, message: string) => problems.push(`${relative(root, file)}: ${message}`);

for (const file of walk(join(root, 'renderer'))) {
  for (const spec of importsOf(file)) {
    if (nodeBuiltins.has(spec)) report(file, `renderer code imports the Node module "${spec}"`);
    if (spec === 'electron') report(file, 'renderer code imports electron');
    for (const folder of ['main', 'models']) {
      if (resolvesInto(file, spec, folder)) report(file, `renderer code imports ${folder}/ ("${spec}")`);
    }
  }
}

for (const file of walk(join(root, 'models'))) {
  for (const spec of importsOf(file)) {
    if (spec === 'electron') report(file, 'models/ imports electron');
    if (resolvesInto(file, spec, 'main')) report(file, `models/ imports main/ ("${spec}")`);
  }
}

for (const folder of ['main', 'models', 'preload', 'scripts']) {
  for (const file of walk(join(root, folder))) {
    const rel = relative(root, file);
    const allowed = rel.startsWith(join('main', 'electron') + sep) || rel === join('preload', 'index.ts');
    if (!allowed && importsOf(file).includes('electron')) report(file, 'only main/electron/ and preload/index.ts may import electron');
  }
}

// The contract is loaded by Node, the sandboxed preload bundle and the browser: zod, the names rule (which the engine
// and the app compare names by, and the contract cleans them with) and the birthdays rule (the stored form the contract
// checks), which import nothing themselves.
const contract = join(root, 'preload', 'contract.ts');
const sharedRules = ['names', 'birthdays'].map((name) => ({ spec: `./${name}.js`, file: join(root, 'preload', `${name}.ts`) }));
try {
  for (const spec of importsOf(contract)) {
    if (spec !== 'zod' && !spec.startsWith('zod/') && !sharedRules.some((rule) => rule.spec === spec)) report(contract, `the contract imports "${spec}"; it may import only zod, ./names.js and ./birthdays.js`);
  }
  for (const rule of sharedRules) for (const spec of importsOf(rule.file)) report(rule.file, `${rule.spec} imports "${spec}"; the contract loads it, so it may import nothing`);
} catch {
  // No contract yet.
}

for (const file of walk(join(root, 'tests'))) {
  const text = readFileSync(file, 'utf8');
  if (/\b(?:it|test|describe)\.only\s*\(/.test(text)) report(file, 'a focused test (.only) would skip the rest of the suite');
  if (/\b(?:it|test|describe)\.skip\s*\(|\bxit\s*\(/.test(text)) report(file, 'a skipped test is committed');
}

if (problems.length > 0) {
  process.stderr.write(`lint: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('lint: import boundaries and tests are clean\n');
