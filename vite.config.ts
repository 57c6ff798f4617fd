// Builds the renderer (renderer/) into dist/renderer: one HTML file, hashed ES modules and CSS files, nothing inline,
// so the page runs under a strict Content-Security-Policy (script-src 'self', style-src 'self').
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';
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

function engineProxy(serveUrl: string | undefined): Record<string, ProxyOptions> | undefined {
  if (!serveUrl) return undefined;
  const url = new URL(serveUrl);
  const token = url.searchParams.get('token');
  if (!token) throw new Error('FAMILIAR_SERVE_URL must be the full address familiar serve printed, with its ?token=.');
  const options: ProxyOptions = {
    target: url.origin,
    changeOrigin: true,
    headers: { authorization: `Bearer ${token}` },
    // The engine refuses other origins; requests arrive from the dev server's own, on the same machine.
    configure: (proxy) => proxy.on('proxyReq', (request) => request.removeHeader('origin')),
  };
  return { '/api': options, '/files': options };
}

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build loads from Electron's app protocol and from `familiar serve`.
  base: './',
  // Its options are all here: no svelte.config.js to look for (and none to say is missing in every build's output).
  plugins: [svelte({ configFile: false }), devWithoutCsp()],
  build: {
    outDir: resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill would be an inline script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    // One bundle of about 530 kB, read from this computer's disk, never over a network: code-splitting it would gain
    // nothing a user notices, so the warning for web pages over 500 kB does not apply.
    chunkSizeWarningLimit: 1024,
    // Svelte's compiler takes most of a 3-second build, as it should; rolldown's report of that is noise in every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // `FAMILIAR_SERVE_URL=<the address familiar serve printed> npm run dev:renderer`: the dev server forwards the
  // API, events and images to that engine with its token, so screens hot-reload against real data.
  server: { port: 5173, strictPort: false, proxy: engineProxy(process.env.FAMILIAR_SERVE_URL) },
});
