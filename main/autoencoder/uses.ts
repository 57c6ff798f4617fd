// The autoencoder's uses over the library's faces, shared by the CLI and the API: interpolation strips between two
// faces or two people, latent arithmetic, denoise/restore, and the faceness of one face.
// A reference is a face id, else a person (id or name): a person stands for the mean latent of their faces.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../../models/backend.js';
import { addGaussianNoise } from '../../models/autoencoder/corruption.js';
import { seededRandom } from '../../models/embedder/random.js';
import { facenessRegion, facenessScore } from '../../models/autoencoder/faceness.js';
import {
  decodeLatents,
  encodeImages,
  interpolateLatents,
  latentArithmetic,
  meanLatent,
  facenessErrors,
  restoreImages,
  type InterpolationMode,
} from '../../models/autoencoder/latent.js';
import type { Autoencoder } from '../../models/autoencoder/model.js';
import { tileImages } from '../../models/autoencoder/train.js';
import type { RgbImage } from '../../models/types.js';
import { plural } from '../../preload/contract.js';
import { PeopleError, resolvePerson } from '../people/library.js';
import type { Library } from '../store/library.js';
import { loadCrop, THUMB_CENTRE_FRACTION } from './crops.js';
import { autoencoderInUse, loadAutoencoderVersion, type AutoencoderVersion } from './versions.js';

/** A person's mean latent uses at most this many of their faces (user-confirmed ones first). */
const MAX_FACES_PER_PERSON = 64;

export type LibraryFaces = Pick<Library, 'dir' | 'faces' | 'face' | 'people'>;

export interface ResolvedRef {
  kind: 'face' | 'person';
  id: string;
  label: string;
  /** Face ids whose latents were averaged (one for a face). */
  faceIds: string[];
  latent: Float32Array;
}

export interface InterpolationResult {
  from: ResolvedRef;
  to: ResolvedRef;
  mode: InterpolationMode;
  steps: number;
  /** All frames side by side, model resolution (imageSize px per frame). */
  strip: RgbImage;
  frames: RgbImage[];
  ms: number;
}

export interface ArithmeticResult {
  base: ResolvedRef;
  add: ResolvedRef[];
  subtract: ResolvedRef[];
  strength: number;
  /** The base's reconstruction, then the result. */
  pair: RgbImage;
  result: RgbImage;
}

export interface DenoiseResult {
  faceId: string;
  /** The stored crop at model resolution, with the noise added when some was, then the restoration: side by side. */
  strip: RgbImage;
  before: RgbImage;
  /** The crop with the noise added (what was restored); null when none was. */
  noisy: RgbImage | null;
  after: RgbImage;
  faceness: number | null;
}

/** Seed of the noise denoise adds, so the same face and level always show the same damage (the app's and the CLI's). */
const DENOISE_SEED = 1234;

function frameOf(images: Float32Array, index: number, size: number): RgbImage {
  return tileImages(images.subarray(index * size * size * 3, (index + 1) * size * size * 3), 1, size, 1);
}

/** A loaded autoencoder version with the library operations. Call dispose() when done. */
export class AutoencoderUses {
  private constructor(
    readonly model: Autoencoder,
    readonly version: AutoencoderVersion,
  ) {}

  /** Loads the version in use (or the named one) on the process's tensor backend. */
  static async open(library: Pick<Library, 'dir' | 'settings'>, versionName?: string): Promise<AutoencoderUses> {
    const { tf } = await initBackend();
    const { model, version } = await loadAutoencoderVersion(tf, library.dir, versionName ?? (await autoencoderInUse(library)) ?? undefined);
    return new AutoencoderUses(model, version);
  }

  get imageSize(): number {
    return this.model.config.imageSize;
  }

  private async cropsOf(library: LibraryFaces, faceIds: string[]): Promise<Float32Array> {
    const size = this.imageSize;
    const out = new Float32Array(faceIds.length * size * size * 3);
    for (let i = 0; i < faceIds.length; i++) {
      const face = library.face(faceIds[i]);
      if (!face) throw new PeopleError(`No face "${faceIds[i]}" in this library.`);
      const file = join(library.dir, face.thumb);
      if (!face.thumb || !existsSync(file)) throw new Error(`The thumbnail of face ${face.id} is missing; run "familiar doctor" to repair the library.`);
      out.set(await loadCrop(file, size, { centreFraction: THUMB_CENTRE_FRACTION }), i * size * size * 3);
    }
    return out;
  }

  /** A face id, else a person id or name (mean latent of up to 64 of their faces). */
  async resolve(library: LibraryFaces, ref: string): Promise<ResolvedRef> {
    const trimmed = ref.trim();
    const face = library.face(trimmed);
    if (face) {
      const latent = encodeImages(this.model, await this.cropsOf(library, [face.id]), 1);
      // In words, not ids: the studio shows it under the picture.
      const name = face.personId === null ? null : (library.people.people.find((p) => p.id === face.personId)?.name ?? null);
      return { kind: 'face', id: face.id, label: name ? `a face of ${name}` : 'a face with no name', faceIds: [face.id], latent };
    }
    let person;
    try {
      person = resolvePerson(library.people.people, trimmed);
    } catch (err) {
      if (err instanceof PeopleError) throw new PeopleError(`"${trimmed}" is neither a face id nor a person ("familiar people" lists them).`);
      throw err;
    }
    const faces = library.faces
      .filter((f) => f.personId === person.id && f.thumb && existsSync(join(library.dir, f.thumb)))
      .sort((a, b) => Number(b.assignedBy === 'user') - Number(a.assignedBy === 'user'))
      .slice(0, MAX_FACES_PER_PERSON);
    if (faces.length === 0) throw new PeopleError(`${person.name ?? person.id} has no faces with a thumbnail to average.`);
    const ids = faces.map((f) => f.id);
    const latents = encodeImages(this.model, await this.cropsOf(library, ids), ids.length);
    return {
      kind: 'person',
      id: person.id,
      label: person.name ?? `an unnamed group of ${plural(faces.length, 'face')}`,
      faceIds: ids,
      latent: meanLatent(latents, ids.length, this.model.config.latentDim),
    };
  }

  /**
   * `steps` decoded faces from A to B. Spherical by default: it keeps intermediate faces as crisp as the ends,
   * where a linear blend of two distant codes decodes to a greyer, blurrier average in the middle.
   */
  async interpolate(library: LibraryFaces, refA: string, refB: string, options: { steps?: number; mode?: InterpolationMode } = {}): Promise<InterpolationResult> {
    const steps = options.steps ?? 8;
    const mode = options.mode ?? 'spherical';
    const from = await this.resolve(library, refA);
    const to = await this.resolve(library, refB);
    // The same ends draw one face `steps` times over, which looks like a strip that failed.
    if (from.kind === to.kind && from.id === to.id) {
      throw new PeopleError(`Both ends are ${from.label}: choose two different faces or people to morph between.`);
    }
    const started = performance.now();
    const latents = interpolateLatents(from.latent, to.latent, steps, mode);
    const images = decodeLatents(this.model, latents, steps);
    const ms = performance.now() - started;
    const size = this.imageSize;
    return {
      from,
      to,
      mode,
      steps,
      strip: tileImages(images, steps, size, steps),
      frames: Array.from({ length: steps }, (_, i) => frameOf(images, i, size)),
      ms,
    };
  }

  /** base + strength * (mean(add) - mean(subtract)), decoded. */
  async arithmetic(library: LibraryFaces, base: string, add: string[], subtract: string[], strength = 1): Promise<ArithmeticResult> {
    if (add.length === 0) throw new PeopleError('Latent arithmetic needs at least one face or person to add.');
    const dim = this.model.config.latentDim;
    const baseRef = await this.resolve(library, base);
    const addRefs = await Promise.all(add.map((r) => this.resolve(library, r)));
    const subRefs = await Promise.all(subtract.map((r) => this.resolve(library, r)));
    const stack = (refs: ResolvedRef[]) => {
      const out = new Float32Array(refs.length * dim);
      refs.forEach((r, i) => out.set(r.latent, i * dim));
      return out;
    };
    const result = latentArithmetic(baseRef.latent, stack(addRefs), addRefs.length, stack(subRefs), subRefs.length, strength);
    const both = new Float32Array(2 * dim);
    both.set(baseRef.latent, 0);
    both.set(result, dim);
    const images = decodeLatents(this.model, both, 2);
    const size = this.imageSize;
    return { base: baseRef, add: addRefs, subtract: subRefs, strength, pair: tileImages(images, 2, size, 2), result: frameOf(images, 1, size) };
  }

  /**
   * The face's crop restored, with `noise` (the standard deviation of Gaussian noise on 0..1 pixels) added first: a
   * clean crop only comes back a little softer, so the denoiser shows what it does on a damaged one (QA: `familiar
   * denoise` showed a blurrier "after" of a clean face). 0 restores the crop as it is.
   */
  async denoise(library: LibraryFaces, faceRef: string, { noise = 0 }: { noise?: number } = {}): Promise<DenoiseResult> {
    const face = library.face(faceRef.trim());
    if (!face) throw new PeopleError(`No face "${faceRef}" in this library ("familiar people --json" lists face ids).`);
    const crop = await this.cropsOf(library, [face.id]);
    const noisy = noise > 0 ? Float32Array.from(crop) : null;
    if (noisy) addGaussianNoise(noisy, noise, seededRandom(DENOISE_SEED));
    const restored = restoreImages(this.model, noisy ?? crop, 1);
    const size = this.imageSize;
    const frames = [crop, ...(noisy ? [noisy] : []), restored];
    const all = new Float32Array(frames.length * crop.length);
    frames.forEach((frame, i) => all.set(frame, i * crop.length));
    const calibration = this.version.faceness;
    return {
      faceId: face.id,
      strip: tileImages(all, frames.length, size, frames.length),
      before: frameOf(all, 0, size),
      noisy: noisy ? frameOf(all, 1, size) : null,
      after: frameOf(all, frames.length - 1, size),
      faceness: calibration ? facenessScore(facenessErrors(this.model, crop, 1, facenessRegion(calibration))[0], calibration) : null,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
