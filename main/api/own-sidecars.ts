// The sidecars this Familiar's names export wrote or removed beside the photos, as it left them. The folder watcher hears
// those changes too, and they are no other app's names to read back; a sidecar another app saves after the export, even
// a second after, is (main/api/index.ts, FolderWatcher.onSidecarsChange).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathRules, type PathRules } from '../paths.js';

const digest = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

export class OwnSidecarWrites {
  /** By path key: the digest of the text the export wrote, or null where it removed the file. */
  private readonly written = new Map<string, string | null>();

  constructor(private readonly rules: PathRules = pathRules()) {}

  /** A new export starts: what an earlier one wrote and the watcher never reported is forgotten. */
  clear(): void {
    this.written.clear();
  }

  record(path: string, text: string | null): void {
    this.written.set(this.rules.key(path), text === null ? null : digest(text));
  }

  /**
   * Of these changed files, those not as Familiar's export left them: another app's change. A file the export wrote
   * counts once as its own; a later change to it is another app's.
   */
  async othersOf(files: readonly string[]): Promise<string[]> {
    const others: string[] = [];
    for (const file of files) {
      const key = this.rules.key(file);
      if (!this.written.has(key)) {
        others.push(file);
        continue;
      }
      const ours = this.written.get(key);
      this.written.delete(key);
      const now = await readFile(file).then(digest, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : undefined));
      if (now !== ours) others.push(file);
    }
    return others;
  }
}
