// Where dropped files live. Pages never see a dropped File's path (Electron's webUtils lives in the preload),
// but drags from file managers also carry file:// URLs (text/uri-list) or a path as text, and those we can read.

export function pathsFromDrop(data: DataTransfer): string[] {
  const uriList = data.getData('text/uri-list');
  const fromUris = uriList
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.startsWith('file://'))
    .map((uri) => decodeURIComponent(new URL(uri).pathname).replace(/^\/([A-Za-z]:\/)/, '$1'));
  if (fromUris.length) return fromUris;
  const text = data.getData('text/plain').trim();
  if (text && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text))) return text.split(/\r?\n/).map((t) => t.trim()).filter(Boolean);
  return [];
}
