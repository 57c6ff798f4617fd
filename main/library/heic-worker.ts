// The thread HEIC photos are decoded in (heic.ts): libheif's WebAssembly decodes synchronously, about a second for a
// 12-megapixel photo, so it must not hold up the thread that asks (the engine's, which answers the window). One photo
// at a time, as the messages come.
import { parentPort } from 'node:worker_threads';
import { decodeHeic, HeicError, heicReady, HeicTooLarge, type HeicReply, type HeicRequest } from './heic.js';

if (!parentPort) throw new Error('heic-worker must run as a worker thread of heic.ts.');
const port = parentPort;

port.on('message', async ({ id, bytes, maxPixels }: HeicRequest) => {
  let picture;
  try {
    await heicReady();
    picture = decodeHeic(bytes, maxPixels);
  } catch (err) {
    if (err instanceof HeicTooLarge) port.postMessage({ id, tooLarge: [err.width, err.height] } satisfies HeicReply);
    else port.postMessage({ id, damaged: err instanceof HeicError ? err.message : String(err) } satisfies HeicReply);
    return;
  }
  port.postMessage({ id, picture } satisfies HeicReply, [picture.rgb.buffer as ArrayBuffer]);
});
