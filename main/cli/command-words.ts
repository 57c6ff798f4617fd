// The first word of every CLI command, without loading the commands (which load the engine): the desktop app reads
// its arguments with it before anything else (main/electron/terminal.ts). tests/main/cli/command-words.test.ts keeps
// it equal to the command table.
export const COMMAND_WORDS: ReadonlySet<string> = new Set([
  'import', 'remove', 'faces', 'add-face', 'doctor', 'serve', 'train', 'models', 'people', 'name', 'merge', 'move', 'reject',
  'confirm', 'ignore', 'suggest', 'unlike', 'split', 'separate', 'delete', 'hide', 'show', 'cover', 'unsure', 'who', 'same',
  'search', 'recluster', 'undo', 'redo', 'names', 'interpolate', 'arithmetic', 'denoise', 'help',
]);
