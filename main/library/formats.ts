// Which files the scan picks up. The extension only nominates a file: decoding goes by content (sharp sniffs the
// format), so a .jpg holding PNG or WebP is read and a text file named .jpg is reported "not an image".
import sharp from 'sharp';

const ALWAYS = ['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff'];
/** HEIC (HEVC) needs a decoder the prebuilt libvips may lack; AVIF uses the same libheif. Only taken when sharp reads them. */
const HEIF_FAMILY = ['.heic', '.heif', '.avif'];

function heifSuffixesSharpReads(): string[] {
  const heif = (sharp.format as unknown as Record<string, { input?: { file?: boolean; fileSuffix?: string[] } }>).heif;
  if (!heif?.input?.file) return [];
  const suffixes = heif.input.fileSuffix ?? ['.avif'];
  return HEIF_FAMILY.filter((ext) => suffixes.includes(ext));
}

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([...ALWAYS, ...heifSuffixesSharpReads()]);

export function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}
