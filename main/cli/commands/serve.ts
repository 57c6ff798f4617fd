// `familiar serve`: the app in an ordinary browser, against the real engine, on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { startApiWorker } from '../../api/remote.js';
import { rendererDir } from '../../api/paths.js';
import { startServer } from '../../server/server.js';
import { MIN_TOKEN_LENGTH } from '../../server/security.js';
import { UsageError, numberOption, type Command } from '../command.js';

/** Opens a URL in the user's default browser without waiting for it. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

function parsePort(value: unknown): number {
  return numberOption(value, '--port', { integer: true, min: 0, max: 65535 }) ?? 0;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the app in a browser: a server on 127.0.0.1 with a secret token in its address',
  usage: 'serve [--library DIR] [--port N] [--open] [--json]',
  options: {
    port: { type: 'string' },
    open: { type: 'boolean', default: false },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${ctx.positionals[0]}").`);
    const port = parsePort(ctx.values.port);
    const fixedToken = process.env.FAMILIAR_SERVE_TOKEN;
    if (fixedToken !== undefined && fixedToken.length < MIN_TOKEN_LENGTH) {
      throw new UsageError(`FAMILIAR_SERVE_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters.`);
    }
    const log = (message: string) => ctx.stderr.write(message + '\n');
    // The engine works in its own thread, so pages, images and the event stream keep flowing during a recluster.
    const api = await startApiWorker({ libraryDir: ctx.libraryDir, mode: 'browser', log });
    let server;
    try {
      server = await startServer({
        port,
        rendererDir: rendererDir(),
        dispatcher: api.dispatcher,
        images: api.images,
        events: api.events,
        token: fixedToken,
        log,
      });
    } catch (err) {
      await api.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`Port ${port} is already in use; choose another with --port, or --port 0 for any free one.`);
      throw err;
    }
    if (ctx.json) {
      ctx.stdout.write(JSON.stringify({ url: server.url, origin: server.origin, port: server.port, token: server.token, libraryDir: ctx.libraryDir }) + '\n');
    } else {
      ctx.stdout.write(
        `Familiar is running for ${ctx.libraryDir}\n` +
          `Open ${server.url}\n` +
          `(only this machine can connect; from another one, tunnel it: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>)\n` +
          'Press Ctrl-C to stop.\n',
      );
    }
    if (ctx.values.open === true) openInBrowser(server.url);
    // Ctrl-C (the CLI's signal) or SIGTERM (a service manager, a test harness): stop jobs, release the lock.
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    await api.close();
    return 0;
  },
};
