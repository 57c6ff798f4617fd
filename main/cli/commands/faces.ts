// `familiar faces`: every face with its photo, box (original pixels after EXIF rotation), score and person; with
// --embeddings also the embedding in use and the same-person distance, so anyone can evaluate it outside the app.
import { Engine } from '../../engine.js';
import { UsageError, oneLine, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const facesCommand: Command = {
  name: 'faces',
  summary: 'List every face (box, score, person); --embeddings adds vectors and the same-person threshold',
  usage: 'faces [--library DIR] --json [--embeddings]',
  options: { embeddings: { type: 'boolean', default: false } },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`faces takes no arguments (got "${ctx.positionals[0]}").`);
    const embeddings = ctx.values.embeddings === true;
    if (embeddings && !ctx.json) throw new UsageError('--embeddings needs --json (vectors are not printed as a table).');
    const engine = await Engine.open(ctx.libraryDir, { readOnly: true });
    try {
      const faces = engine.faces({ embeddings });
      if (ctx.json) {
        const info = engine.library.info;
        const out: Record<string, unknown> = { library: engine.dir, count: faces.length };
        if (embeddings) {
          out.embedding = {
            source: info.embedding.kind === 'head' ? `head ${info.embedding.modelId}` : 'backbone',
            dim: info.embeddingDim,
            metric: 'cosine distance (1 - cos); embeddings are L2-normalized',
            samePersonDistance: engine.samePersonDistance,
          };
        }
        out.faces = faces;
        ctx.stdout.write(JSON.stringify(out) + '\n');
        return 0;
      }
      for (const f of faces) {
        const box = f.box.map((v) => Math.round(v)).join(',');
        ctx.stdout.write(`${f.id}  ${(f.personName ?? f.personId ?? '-').padEnd(20)}  ${f.score.toFixed(2)}  [${box}]  ${f.photoPath === null ? f.photoPath : oneLine(f.photoPath)}\n`);
      }
      ctx.stdout.write(`${plural(faces.length, 'face')}\n`);
      return 0;
    } finally {
      await engine.close();
    }
  },
};
