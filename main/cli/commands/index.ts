// Every `familiar` sub-command, in the order `familiar help` lists them. Add yours with one import and one entry.
import type { Command } from '../command.js';
import { serveCommand } from './serve.js';
import { trainEmbedderCommand } from './train.js';
import { modelsCommand, modelsUseCommand } from './models.js';

export const commands: Command[] = [serveCommand, trainEmbedderCommand, modelsCommand, modelsUseCommand];
