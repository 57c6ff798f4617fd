// Which files the scan picks up. The extension only nominates a file: decoding goes by content (sharp sniffs the
// format), so a .jpg holding PNG or WebP is read and a text file named .jpg is reported "not an image".
import sharp from 'sharp';
import { RAW_EXTENSIONS } from './camera-raw.js';
import { PICASA_INI_NAMES } from './picasa-ini.js';

/**
 * The formats the import reads, in the order messages list them: the name people know each by, the extensions that
 * nominate a file, and sharp's name for it (metadata().format). The one list: every "Familiar reads …" follows it.
 */
const FORMATS: ReadonlyArray<{ name: string; extensions: string[]; sharpFormat: string }> = [
  { name: 'JPEG', extensions: ['.jpg', '.jpeg', '.jpe', '.jfif'], sharpFormat: 'jpeg' },
  { name: 'PNG', extensions: ['.png'], sharpFormat: 'png' },
  { name: 'WebP', extensions: ['.webp'], sharpFormat: 'webp' },
  { name: 'GIF', extensions: ['.gif'], sharpFormat: 'gif' },
  { name: 'BMP', extensions: ['.bmp'], sharpFormat: 'bmp' },
  { name: 'TIFF', extensions: ['.tif', '.tiff'], sharpFormat: 'tiff' },
  { name: 'HEIC', extensions: ['.heic', '.heif'], sharpFormat: 'heif' },
  { name: 'AVIF', extensions: ['.avif'], sharpFormat: 'avif' },
  // Read by netpbm.ts (the prebuilt libvips has no ppmload): scanners' default output, and research face sets.
  { name: 'PGM/PPM', extensions: ['.pgm', '.ppm', '.pnm', '.pbm'], sharpFormat: 'netpbm' },
  // Read by the JPEG the camera stored inside (camera-raw.ts); a RAW beside its own JPEG is passed by (scan.ts).
  { name: 'camera RAW', extensions: [...RAW_EXTENSIONS], sharpFormat: 'raw' },
];
/** The format a Netpbm picture (PBM, PGM, PPM) is recorded as: sharp has no name for it. */
export const NETPBM_FORMAT = 'netpbm';
/** The format a camera RAW photo is recorded as, whatever its maker's (CR2, NEF, DNG, …). */
export const CAMERA_RAW_FORMAT = 'raw';
/**
 * AVIF needs libvips's HEIF loader with an AV1 decoder (the prebuilt sharp has both); only taken when sharp reads it.
 * HEIC's HEVC, which no prebuilt libvips decodes, is read by heic.ts.
 */
const HEIF_FAMILY = ['.avif'];
const ALWAYS = FORMATS.flatMap((f) => f.extensions).filter((ext) => !HEIF_FAMILY.includes(ext));

function heifSuffixesSharpReads(): string[] {
  const heif = (sharp.format as unknown as Record<string, { input?: { file?: boolean; fileSuffix?: string[] } }>).heif;
  if (!heif?.input?.file) return [];
  const suffixes = heif.input.fileSuffix ?? ['.avif'];
  return HEIF_FAMILY.filter((ext) => suffixes.includes(ext));
}

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([...ALWAYS, ...heifSuffixesSharpReads()]);

/** "JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC, AVIF, PGM/PPM and camera RAW": the formats this build reads (AVIF only with a HEIF decoder). */
export const READ_FORMATS_IN_WORDS: string = (() => {
  const names = FORMATS.filter((f) => f.extensions.some((ext) => IMAGE_EXTENSIONS.has(ext))).map((f) => f.name);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
})();

/** A format as people know it ("PNG", "HEIC") from sharp's name for it ("png", "heif"); unknown ones upper-cased. */
export function formatInWords(sharpFormat: string): string {
  return FORMATS.find((f) => f.sharpFormat === sharpFormat)?.name ?? sharpFormat.toUpperCase();
}

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};

export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(name));
}

/**
 * Why a photo this build cannot read is passed by, for the import's skipped list (AVIF where sharp has no HEIF loader:
 * photos must not vanish without a word); null for every other file.
 */
export function unreadablePhotoReason(name: string): string | null {
  const ext = extensionOf(name);
  if (HEIF_FAMILY.includes(ext) && !IMAGE_EXTENSIONS.has(ext)) {
    return `${ext.slice(1).toUpperCase()} photos cannot be read by this build (its image library has no HEIF decoder): convert them to JPEG, or export them as JPEG from your photo app`;
  }
  return null;
}

/** A file another app keeps names in: an XMP sidecar (IMG_1.jpg.xmp, IMG_1.xmp) or Picasa's .picasa.ini (Picasa.ini before v3). */
export function isNamesSidecarName(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return lower.endsWith('.xmp') || PICASA_INI_NAMES.some((name) => name.toLowerCase() === lower);
}
