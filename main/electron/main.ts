// Entry of the desktop app (package.json "main": dist/main/electron/main.js).
import { app } from 'electron';
import { startApp } from './app.js';

startApp().catch((err) => {
  process.stderr.write(`Familiar could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  app.exit(1);
});
