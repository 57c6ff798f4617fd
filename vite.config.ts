// Builds the renderer (renderer/) into dist/renderer: one HTML file, hashed ES modules and CSS files, nothing inline,
// so the page runs under a strict Content-Security-Policy (script-src 'self', style-src 'self').
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = resolve(dirname(fileURLToPath(import.meta.url)), 'renderer');

/** Vite's dev server injects styles and its client inline; the CSP meta tag applies to the built app only. */
function devWithoutCsp(): Plugin {
  return {
    name: 'familiar-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
  };
}

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build loads from Electron's app protocol and from `familiar serve`.
  base: './',
  plugins: [svelte(), devWithoutCsp()],
  build: {
    outDir: resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill would be an inline script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: { port: 5173, strictPort: false },
});
