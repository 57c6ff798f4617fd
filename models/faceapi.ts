// Loads @vladmandic/face-api once per process, in the build that matches the tensor backend
// initBackend() chose (its node build links tfjs-node, its node-wasm build plain tfjs + wasm), and reads
// the pretrained weights from disk: nothing is downloaded at run time.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api';
import { faceApiModelDir, initBackend, type Tf } from './backend.js';
import type { BackendInfo } from './types.js';

const require = createRequire(import.meta.url);

export type FaceApi = typeof FaceApiModule;

/** The face-api networks Familiar uses, by the file-name stem of their weights manifest. */
export const FACE_API_NETS = {
  ssdMobilenetv1: 'ssd_mobilenetv1_model',
  tinyFaceDetector: 'tiny_face_detector_model',
  faceLandmark68Net: 'face_landmark_68_model',
  faceRecognitionNet: 'face_recognition_model',
} as const;

export type FaceApiNetName = keyof typeof FACE_API_NETS;

/** Weight files (manifest + shards) a packaged app must ship for `nets`. */
export function faceApiModelFiles(nets: FaceApiNetName[] = Object.keys(FACE_API_NETS) as FaceApiNetName[]): string[] {
  return nets.flatMap((net) => [`${FACE_API_NETS[net]}-weights_manifest.json`, `${FACE_API_NETS[net]}.bin`]);
}

export interface LoadedFaceApi {
  faceapi: FaceApi;
  tf: Tf;
  backend: BackendInfo;
}

let loaded: Promise<LoadedFaceApi> | undefined;
const netsLoaded = new Map<FaceApiNetName, Promise<void>>();

/** face-api on the process-wide backend. Safe to call many times. */
export function loadFaceApi(): Promise<LoadedFaceApi> {
  loaded ??= (async () => {
    const { tf, info } = await initBackend();
    const build = info.name === 'tensorflow' ? 'face-api.node.js' : 'face-api.node-wasm.js';
    const faceapi = require(`@vladmandic/face-api/dist/${build}`) as FaceApi;
    return { faceapi, tf, backend: info };
  })();
  return loaded;
}

/** Loads the weights of `names` from faceApiModelDir() (each network once per process). */
export async function loadFaceApiNets(names: FaceApiNetName[]): Promise<LoadedFaceApi> {
  const api = await loadFaceApi();
  const dir = faceApiModelDir();
  await Promise.all(
    names.map((name) => {
      let pending = netsLoaded.get(name);
      if (!pending) {
        const manifest = join(dir, `${FACE_API_NETS[name]}-weights_manifest.json`);
        if (!existsSync(manifest)) {
          throw new Error(`face-api weights for ${name} are missing: ${manifest} does not exist (reinstall @vladmandic/face-api).`);
        }
        pending = api.faceapi.nets[name].loadFromDisk(dir);
        netsLoaded.set(name, pending);
      }
      return pending;
    }),
  );
  return api;
}
