// The desktop app tells a command from a dropped folder by its first word (main/electron/terminal.ts), read from a
// list that does not load the engine: it must name every command the CLI has, and nothing else.
import { describe, expect, it } from 'vitest';
import { COMMAND_WORDS } from '../../../main/cli/command-words.js';
import { commands } from '../../../main/cli/commands/index.js';

describe('the command words the desktop app knows', () => {
  it("are the first words of the CLI's commands, and help", () => {
    const firstWords = new Set(commands.map((command) => command.name.split(' ')[0]));
    expect([...COMMAND_WORDS].sort()).toEqual([...firstWords, 'help'].sort());
  });
});
