// Makes assets/icon.png (1024 x 1024) from assets/icon.svg: the one picture electron-builder turns into each platform's
// icon (.icns, .ico, the Linux sizes), and the Linux window's icon (main/electron/app.ts). Run after changing the SVG.
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const assets = resolve(import.meta.dirname, '..', 'assets');
await sharp(join(assets, 'icon.svg'), { density: 72 }).resize(1024, 1024).png({ compressionLevel: 9 }).toFile(join(assets, 'icon.png'));
console.log(`Wrote ${join(assets, 'icon.png')}`);
