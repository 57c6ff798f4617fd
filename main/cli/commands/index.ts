// Every `familiar` sub-command, in the order `familiar help` lists them. Add yours with one import and one entry.
import type { Command } from '../command.js';

export const commands: Command[] = [];
