// Entry of the desktop app (package.json "main": dist/main/electron/main.js): the window, or, started with a command
// (`familiar people`), the CLI (./terminal.ts).
import { app } from 'electron';
import { startApp } from './app.js';
import { runInTerminal, terminalArguments } from './terminal.js';

const commandLine = terminalArguments(process.argv, { defaultApp: process.defaultApp === true, platform: process.platform });
(commandLine ? runInTerminal(commandLine) : startApp()).catch((err) => {
  process.stderr.write(`Familiar could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  app.exit(1);
});
