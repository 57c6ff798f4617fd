// The studio calls and the autoencoder's versions over the API: one loaded autoencoder shared by every studio
// call (the version the user chose, else the newest), reloaded when training stores a new one or the user
// rolls back. Generated faces are PNG-encoded into the in-memory image store and answered as `generated/<id>`.
import sharp from 'sharp';
import type { CallResult, ModelVersion, ParsedArgs, TrainingResult } from '../../preload/contract.js';
import type { RgbImage } from '../../models/types.js';
import { adoptionReason, drawsMuchAlike, facesForReview, leftUncheckedDone, lookUnlikeAFace, studioNothingNewSentence, trainAutoencoderJob, uncheckedSentence } from '../autoencoder/train-job.js';
import { AutoencoderUses } from '../autoencoder/uses.js';
import { AUTOENCODER_SETTING, autoencoderInUse, listAutoencoderVersions, parseAutoencoderVersion, type AutoencoderVersion } from '../autoencoder/versions.js';
import type { Library } from '../store/library.js';
import { ApiError, notFound } from './errors.js';
import type { GeneratedImages } from './generated.js';
import type { ProgressListener } from '../jobs/progress.js';

async function png(image: RgbImage): Promise<Buffer> {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png()
    .toBuffer();
}

type Measured = { validationLoss: number; validationPsnr: number; validationSsim: number; drawingVariety?: number };

function figures(epoch: Measured | undefined): Record<string, number> {
  if (!epoch) return {};
  const { validationLoss, validationPsnr, validationSsim, drawingVariety } = epoch;
  return { validationLoss, validationPsnr, validationSsim, ...(drawingVariety !== undefined && { drawingVariety }) };
}

/**
 * A version's figures for the Versions list: from the latest run that measured it together with another version
 * (on the same held-out faces, in one go, as the adoption decided), else from its own last pass. So the list and
 * the verdict show the same measurement (QA: the list read 17.1 vs 16.1 dB, each on its own faces, while the verdict
 * compared 17.1 vs 17.2 dB).
 */
function latestFigures(version: AutoencoderVersion, all: AutoencoderVersion[]): Measured | undefined {
  for (const later of [...all].reverse()) {
    if (later.comparison?.version === version.version) return later.comparison.incumbent;
    if (later === version) return later.comparison?.candidate ?? version.history.at(-1);
  }
  return version.history.at(-1);
}

export class Studio {
  /**
   * The loaded autoencoder, with the studio calls using it: released (another version put in use, a training stored
   * one), it is disposed once the last of them is done. QA: disposed under a Blend, the call failed with "Cannot read
   * properties of undefined (reading 'backend')".
   */
  private loaded: LoadedAutoencoder | undefined;

  constructor(
    private readonly library: Library,
    private readonly generated: GeneratedImages,
  ) {}

  private async chosenVersion(): Promise<string> {
    const version = await autoencoderInUse(this.library);
    if (version === null) {
      throw new ApiError('not-available', 'No autoencoder is trained in this library yet: train one on the Training screen first.');
    }
    return version;
  }

  /** Runs `work` with the autoencoder in use, kept loaded until it is done. */
  private async withUses<T>(work: (uses: AutoencoderUses) => Promise<T>): Promise<T> {
    const version = await this.chosenVersion();
    if (this.loaded?.version !== version) {
      this.release();
      const uses = AutoencoderUses.open(this.library, version);
      this.loaded = { version, uses, calls: 0, released: false };
      uses.catch(() => {
        if (this.loaded?.uses === uses) this.loaded = undefined;
      });
    }
    const loaded = this.loaded;
    loaded.calls++;
    try {
      return await work(await loaded.uses);
    } finally {
      loaded.calls--;
      if (loaded.released && loaded.calls === 0) dispose(loaded);
    }
  }

  private keep(image: RgbImage): Promise<string> {
    return png(image).then((body) => `generated/${this.generated.put(body)}`);
  }

  async interpolate({ from, to, steps }: ParsedArgs<'studio.interpolate'>): Promise<CallResult<'studio.interpolate'>> {
    const ref = (side: typeof from) => ('faceId' in side ? side.faceId : side.personId);
    for (const side of [from, to]) {
      if ('faceId' in side && !this.library.face(side.faceId)) throw notFound('face', side.faceId);
      if ('personId' in side && !this.library.people.people.some((p) => p.id === side.personId)) throw notFound('person', side.personId);
    }
    const strip = await this.withUses((uses) => uses.interpolate(this.library, ref(from), ref(to), { steps }));
    const frames = await Promise.all(
      strip.frames.map(async (frame, i) => ({
        image: await this.keep(frame),
        t: steps === 1 ? 0 : i / (steps - 1),
        label: i === 0 ? strip.from.label : i === steps - 1 ? strip.to.label : `${Math.round((100 * i) / (steps - 1))}%`,
      })),
    );
    return { frames, mode: strip.mode === 'spherical' ? 'slerp' : 'lerp' };
  }

  async arithmetic({ base, add, sub, strength }: ParsedArgs<'studio.arithmetic'>): Promise<CallResult<'studio.arithmetic'>> {
    for (const id of [base, ...add, ...sub]) if (!this.library.face(id)) throw notFound('face', id);
    const { result, size } = await this.withUses(async (uses) => ({ result: await uses.arithmetic(this.library, base, add, sub, strength), size: uses.imageSize }));
    // The pair is [base reconstruction | result]: the base half shows what the model makes of the face unchanged.
    const baseImage: RgbImage = { width: size, height: size, data: new Uint8Array(size * size * 3) };
    for (let y = 0; y < size; y++) baseImage.data.set(result.pair.data.subarray(y * 2 * size * 3, y * 2 * size * 3 + size * 3), y * size * 3);
    return { base: await this.keep(baseImage), result: await this.keep(result.result) };
  }

  async denoise({ faceId, noise }: ParsedArgs<'studio.denoise'>): Promise<CallResult<'studio.denoise'>> {
    const face = this.library.face(faceId);
    if (!face) throw notFound('face', faceId);
    const restored = await this.withUses((uses) => uses.denoise(this.library, faceId, { noise }));
    return {
      original: await this.keep(restored.before),
      noisy: restored.noisy && (await this.keep(restored.noisy)),
      restored: await this.keep(restored.after),
    };
  }

  review({ offset, limit }: ParsedArgs<'faces.review'>) {
    const faces = facesForReview(this.library);
    return { total: faces.length, faces: faces.slice(offset, offset + limit) };
  }

  async train(options: { epochs?: number; variational?: boolean; exact?: boolean; anyway?: boolean }, signal: AbortSignal, onProgress: ProgressListener): Promise<TrainingResult> {
    const { exact, ...rest } = options;
    const result = await trainAutoencoderJob(this.library, { ...rest, ...(exact && { untilDrawn: null }) }, { signal, onProgress });
    if (result.nothingNew) {
      const reason = [studioNothingNewSentence(result.nothingNew), leftUncheckedDone(result)].filter(Boolean).join(' ');
      return { adopted: false, reason, version: null, before: {}, after: {}, nothingNew: result.nothingNew };
    }
    // The job may have made the version just trained the one in use.
    this.release();
    const compared = result.incumbent && 'comparison' in result.incumbent ? result.incumbent.comparison : undefined;
    const last = compared?.candidate ?? result.history[result.history.length - 1];
    return {
      adopted: result.adopted,
      reason:
        `Trained ${result.version} on ${result.faces} faces` +
        (result.resumedFromEpoch > 0 ? `, continuing a stopped run after pass ${result.resumedFromEpoch}` : '') +
        (result.replacedStoppedRun > 0 ? ` (a stopped run of other settings, after pass ${result.replacedStoppedRun}, could not be continued)` : '') +
        `. ${adoptionReason(result)}` +
        (result.adopted ? ` ${lookUnlikeAFace(result.faceness.reviewFaces, result.releasedFaces, result.drawsMuchAlike)}` : '') +
        (result.uncheckedFaces > 0 ? ` ${uncheckedSentence(result.uncheckedFaces)}` : ''),
      version: result.version,
      // Before: the version in use, measured with the new one on the same set-aside faces (none yet: nothing to show).
      before: figures(compared?.incumbent),
      after: figures(last),
    };
  }

  async versions(): Promise<{ models: ModelVersion[]; inUse: string | null }> {
    const versions = await listAutoencoderVersions(this.library.dir);
    const inUse = versions.length === 0 ? null : await this.chosenVersion();
    return {
      inUse,
      models: versions.map((v) => {
        return {
          version: v.version,
          createdAt: v.createdAt,
          faces: v.trainedOn.faces, // held-out faces included (unlike the embedder's trainedOn.faces)
          people: 0,
          metrics: figures(latestFigures(v, versions)),
          ...(latestFigures(v, versions)?.drawingVariety !== undefined && { drawsMuchAlike: drawsMuchAlike(latestFigures(v, versions)) }),
          inUse: v.version === inUse,
          kind: v.config.variational ? 'variational' : 'plain',
          epochs: v.history.length, // passes made, those before a stop and resume included
        };
      }),
    };
  }

  async use(name: string): Promise<void> {
    const version = parseAutoencoderVersion(name);
    const versions = await listAutoencoderVersions(this.library.dir);
    if (!version || !versions.some((v) => v.version === version)) {
      throw new ApiError('not-found', `No autoencoder version "${name}" in this library (${versions.map((v) => v.version).join(', ') || 'none trained yet'}).`);
    }
    await this.library.transaction((tx) => {
      tx.settings[AUTOENCODER_SETTING] = version;
    });
    this.release();
  }

  /** Forgets the loaded autoencoder: the next call loads the version then in use. */
  release(): void {
    const loaded = this.loaded;
    this.loaded = undefined;
    if (!loaded) return;
    loaded.released = true;
    if (loaded.calls === 0) dispose(loaded);
  }
}

interface LoadedAutoencoder {
  version: string;
  uses: Promise<AutoencoderUses>;
  /** Studio calls under way with it. */
  calls: number;
  /** No longer the one in use: disposed when `calls` falls to 0. */
  released: boolean;
}

function dispose(loaded: LoadedAutoencoder): void {
  loaded.uses.then((u) => u.dispose(), () => {});
}
