// Where an export under a folder puts each photo's sidecar (main/people/export-layout.ts): under the folder imported
// that holds the photo, by its name, same-named folders told apart by as few folders above them as it takes.
import { describe, expect, it } from 'vitest';
import { ExportLayout } from '../../../main/people/export-layout.js';
import { pathRules } from '../../../main/paths.js';

const posix = pathRules('linux');

describe('the layout of an export under a folder', () => {
  it('names a photo by its folder imported, the outermost when one lies in another', () => {
    const layout = new ExportLayout(['/home/ana/Pictures', '/home/ana/Pictures/2019'], ['/home/ana/Pictures/2019/a.jpg'], posix);
    expect(layout.sidecarPath('/home/ana/Pictures/2019/a.jpg', '/out')).toBe('/out/Pictures/2019/a.jpg.xmp');
  });

  it('tells same-named folders apart by the folders above them, and never nests one name in another', () => {
    const layout = new ExportLayout(['/home/ana/album', '/home/bob/album', '/srv/a', '/mnt/a/album'], [], posix);
    // Two "album"s: the folder above each; then "a" (/srv/a) would hold a/album's photos: the longer grows.
    expect(layout.sidecarPath('/home/ana/album/p.jpg', '/out')).toBe('/out/ana/album/p.jpg.xmp');
    expect(layout.sidecarPath('/home/bob/album/p.jpg', '/out')).toBe('/out/bob/album/p.jpg.xmp');
    expect(layout.sidecarPath('/srv/a/album/p.jpg', '/out')).toBe('/out/a/album/p.jpg.xmp');
    expect(layout.sidecarPath('/mnt/a/album/p.jpg', '/out')).toBe('/out/mnt/a/album/p.jpg.xmp');
  });

  it('puts a photo outside every folder imported under the outermost folder of such photos', () => {
    const layout = new ExportLayout([], ['/x/a.jpg', '/x/y/b.jpg', '/z/c.jpg'], posix);
    expect(layout.sidecarPath('/x/y/b.jpg', '/out')).toBe('/out/x/y/b.jpg.xmp');
    expect(layout.sidecarPath('/z/c.jpg', '/out')).toBe('/out/z/c.jpg.xmp');
  });

  it('on Windows, compares folders whatever their case and tells drives apart by their letter', () => {
    const windows = pathRules('win32');
    const layout = new ExportLayout(['C:\\Photos', 'D:\\photos'], ['c:\\photos\\Trip\\a.jpg'], windows);
    expect(layout.sidecarPath('c:\\photos\\Trip\\a.jpg', 'E:\\out')).toBe('E:\\out\\C\\Photos\\Trip\\a.jpg.xmp');
    expect(layout.sidecarPath('D:\\photos\\b.jpg', 'E:\\out')).toBe('E:\\out\\D\\photos\\b.jpg.xmp');
  });
});
