// `familiar models` lists the embedder versions (and which is in use); `familiar models use <version|raw>`
// rolls back or forward, re-embedding every face from its stored backbone vector, unless the version would split groups
// nobody named that the version in use keeps whole (main/embedder/unseen-groups.ts): refused then, unless --anyway.
import { Library } from '../../store/library.js';
import { listEmbedderModels, SwitchSplitsGroupsError, useEmbedderModel } from '../../embedder/index.js';
import { unnamedGroupsSplitSentence } from '../../../preload/contract.js';
import { UsageError, shownDistance, type Command } from '../command.js';
import { jsonProgress, printSummary } from '../progress.js';
import { openForEmbedder } from './train.js';

const percent = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);

export const modelsCommand: Command = {
  name: 'models',
  summary: 'List the embedder versions and the one in use',
  usage: 'models [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`models takes no arguments (got "${ctx.positionals[0]}"); did you mean "models use ${ctx.positionals[0]}"?`);
    const library = await Library.open(ctx.libraryDir, { readOnly: true });
    try {
      const list = await listEmbedderModels(library);
      if (ctx.json) {
        ctx.stdout.write(JSON.stringify({ embedderInUse: list.inUse, ...(list.problem && { embedderProblem: list.problem }), embedder: list.models.map(({ details: _d, ...m }) => m) }) + '\n');
        return 0;
      }
      ctx.stdout.write('  version  created               faces  people  identification  TAR     same-person  when trained, against\n');
      for (const m of list.models) {
        // A version's figures are measured on the faces set aside at its own training: beside them, the version it was
        // tested against then, on the same faces (QA: v2's own 98.0 % under v1's 99.0 % read as worse, though it had won).
        const against = m.comparedWith ? `${m.comparedWith.version} ${percent(m.comparedWith.metrics.identificationAccuracy)} / ${percent(m.comparedWith.metrics.tar)}` : '';
        ctx.stdout.write(
          `${m.inUse ? '*' : ' '} ${m.version.padEnd(7)}  ${m.createdAt.slice(0, 19).replace('T', ' ')}  ${String(m.faces).padStart(5)}  ${String(m.people).padStart(6)}  ` +
            `${percent(m.metrics.identificationAccuracy).padStart(14)}  ${percent(m.metrics.tar).padStart(6)}  ` +
            `${(m.metrics.samePersonDistance == null ? '-' : shownDistance(m.metrics.samePersonDistance)).padEnd(11)}  ${against}`.trimEnd() +
            '\n',
        );
      }
      if (list.problem) ctx.stdout.write(`${list.problem}: new faces cannot be added until another version is in use ("familiar models use raw" or another version).\n`);
      if (list.models.some((m) => m.comparedWith)) {
        ctx.stdout.write('Each version is measured on the faces set aside when it was trained: compare it with the version beside it, not with the other rows.\n');
      }
      return 0;
    } finally {
      await library.close();
    }
  },
};

export const modelsUseCommand: Command = {
  name: 'models use',
  summary: 'Use an embedder version, or "raw" for the backbone alone (re-embeds every face)',
  usage: 'models use <version|raw> [--anyway] [--library DIR] [--json]',
  help: [
    'Options:',
    '  --anyway          Switch even to a version that would split groups nobody named: without it, a version that would',
    '                    part a group the version in use keeps as one person is refused, saying how many groups and',
    '                    faces, and nothing changes (the regrouping that follows the switch would tear those people apart).',
  ],
  options: {
    // Without it, a switch that would tear apart people nobody named is refused (QA: Andy Roddick's 10 faces).
    anyway: { type: 'boolean', default: false },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one version, e.g. "models use v2" or "models use raw".');
    const library = await openForEmbedder(ctx, { switchingTo: ctx.positionals[0] });
    try {
      const json = ctx.json ? jsonProgress(ctx) : null;
      let result;
      try {
        result = await useEmbedderModel(library, ctx.positionals[0], { signal: ctx.signal, ...(json && { onProgress: json.onProgress }) }, { anyway: ctx.values.anyway === true });
      } catch (err) {
        if (!(err instanceof SwitchSplitsGroupsError)) throw err;
        const refusal = `${unnamedGroupsSplitSentence(err.version, err.check)} Nothing changed. To switch all the same: familiar models use ${err.version} --anyway`;
        if (ctx.json) ctx.stdout.write(JSON.stringify({ type: 'error', error: refusal, code: 'failed', version: err.version, unnamedGroups: err.check }) + '\n');
        ctx.stderr.write(`familiar models use: ${refusal}\n`);
        return 1;
      }
      json?.end();
      if (ctx.json) printSummary(ctx, result);
      else if (!result.changed) ctx.stdout.write(`Already using ${result.version}.\n`);
      else {
        ctx.stdout.write(`Now using ${result.version}: every face re-embedded, index rebuilt; same-person distance ${shownDistance(result.samePersonDistance)}.\n`);
        const split = unnamedGroupsSplitSentence(result.version, result.unnamedGroups);
        if (split) ctx.stdout.write(`Switched with --anyway: ${split}\n`);
      }
      return 0;
    } finally {
      await library.close();
    }
  },
};
