// A small library folder on disk for the file-serving tests: two real thumbnails, a photo outside the library
// (where the user's album is), a secret file beside the library that nothing may serve, and symlinks that try
// to escape. Images are made with sharp, so they are real WebP/JPEG bytes.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export const SECRET = 'TOP-SECRET-DO-NOT-SERVE';

export interface LibraryFixture {
  root: string;
  libraryDir: string;
  albumDir: string;
  secretFile: string;
  faceId: string;
  photoId: string;
  photoPath: string;
  thumbBytes: Buffer;
  cleanup(): void;
}

export async function makeLibraryFixture(): Promise<LibraryFixture> {
  const root = mkdtempSync(join(tmpdir(), 'familiar-files-'));
  const libraryDir = join(root, 'library');
  const albumDir = join(root, 'album');
  mkdirSync(join(libraryDir, 'thumbs'), { recursive: true });
  mkdirSync(albumDir, { recursive: true });
  const secretFile = join(root, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  writeFileSync(join(libraryDir, 'faces.json'), JSON.stringify({ secret: SECRET }));

  const faceId = '0123456789abcdef-0';
  const thumbBytes = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 200, g: 120, b: 90 } } }).webp().toBuffer();
  writeFileSync(join(libraryDir, 'thumbs', `${faceId}.webp`), thumbBytes);
  // A thumbnail that is really a link out of the library: must not be served.
  symlinkSync(secretFile, join(libraryDir, 'thumbs', 'fedcba9876543210-0.webp'));
  symlinkSync(root, join(libraryDir, 'thumbs', 'escape'));

  const photoId = 'ab'.repeat(32);
  const photoPath = join(albumDir, 'IMG_0001.jpg');
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg().toFile(photoPath);
  return {
    root,
    libraryDir,
    albumDir,
    secretFile,
    faceId,
    photoId,
    photoPath,
    thumbBytes,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
