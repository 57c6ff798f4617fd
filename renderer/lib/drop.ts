// Where dropped files live. In the desktop app the preload's pathForFile (Electron's webUtils) reveals them;
// a browser never does, but drags from file managers also carry file:// URLs (text/uri-list) or a path as text.

export function pathsFromDrop(data: DataTransfer, pathForFile?: (file: File) => string): string[] {
  const files = Array.from(data.files ?? []);
  if (pathForFile && files.length) {
    const paths = files.map((file) => pathForFile(file)).filter(Boolean);
    if (paths.length) return paths;
  }
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
