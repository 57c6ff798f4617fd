// One JSON document of the library (photos.json, faces.json, ...), held by lowdb with an adapter that writes
// atomically and durably and keeps the previous version in backups/ (hard link: no copy of a large file).
import { copyFile, link, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { ensureDir, readFileIfExists, writeFileAtomic } from './atomic.js';
import { NewerSchemaError } from './errors.js';
import { documentSchemas } from './schema.js';
import { SCHEMA_VERSION, type DocumentMap, type DocumentName, type FaceRecord, type FacesDocument } from './types.js';

export const BACKUP_DIR = 'backups';

export class DocumentCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file} is damaged (${detail}).`);
    this.name = 'DocumentCorruptError';
  }
}

export function documentFileName(name: DocumentName): string {
  return `${name}.json`;
}

/** Parses and checks a document; throws NewerSchemaError (never repaired) or DocumentCorruptError. */
export function parseDocument<K extends DocumentName>(name: K, file: string, bytes: Buffer): DocumentMap[K] {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new DocumentCorruptError(file, bytes.length === 0 ? 'empty file' : `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DocumentCorruptError(file, 'not a JSON object');
  const schemaVersion = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof schemaVersion === 'number' && schemaVersion > SCHEMA_VERSION) throw new NewerSchemaError(file, schemaVersion, SCHEMA_VERSION);
  const parsed = documentSchemas[name].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DocumentCorruptError(file, `unexpected shape at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * JSON of each face's landmarks, by array identity. Their 136 numbers are most of what serialising faces.json costs
 * (number-to-text conversion), and every decision rewrites the whole document (docs/architecture.md, "Scale").
 * Landmarks are never edited in place: analysis and re-analysis store new arrays. The list is frozen when first
 * cached, so replacing a point in it throws instead of going unsaved (freezing every point too cost seconds on a
 * large library's first write).
 */
const landmarksJson = new WeakMap<object, string>();

function cachedLandmarksJson(landmarks: FaceRecord['landmarks']): string {
  let json = landmarksJson.get(landmarks);
  if (json === undefined) {
    json = JSON.stringify(landmarks);
    Object.freeze(landmarks);
    landmarksJson.set(landmarks, json);
  }
  return json;
}

/** faces.json's text: what JSON.stringify(data) gives (landmarks last in each face), with landmarks from the cache. */
export function facesJson(data: FacesDocument): string {
  const faces = data.faces.map((face) => {
    const { landmarks, ...rest } = face;
    const head = JSON.stringify(rest);
    return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"landmarks":${cachedLandmarksJson(landmarks)}}`;
  });
  const { faces: _faces, ...top } = data;
  const head = JSON.stringify(top);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"faces":[${faces.join(',')}]}`;
}

class AtomicJsonAdapter<K extends DocumentName> implements Adapter<DocumentMap[K]> {
  constructor(
    private readonly name: K,
    private readonly file: string,
    private readonly backupFile: string,
    private readonly pretty: boolean,
  ) {}

  async read(): Promise<DocumentMap[K] | null> {
    const bytes = await readFileIfExists(this.file);
    return bytes === null ? null : parseDocument(this.name, this.file, bytes);
  }

  /** True when the last write() kept the version it replaced in backups/ (false: there was none). */
  keptPrevious = false;

  async write(data: DocumentMap[K]): Promise<void> {
    const text = this.name === 'faces' ? facesJson(data as FacesDocument) : this.pretty ? JSON.stringify(data, null, 2) : JSON.stringify(data);
    this.keptPrevious = false;
    await this.keepPreviousAsBackup();
    await writeFileAtomic(this.file, text);
  }

  /** The version about to be replaced becomes backups/<name>.json: the last good copy if the new one is damaged later. */
  private async keepPreviousAsBackup(): Promise<void> {
    const temp = `${this.backupFile}.${process.pid}.tmp`;
    await unlink(temp).catch(() => {});
    try {
      await link(this.file, temp);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // first write: nothing to keep
      // File systems without hard links: copy instead.
      await copyFile(this.file, temp);
    }
    await rename(temp, this.backupFile);
    this.keptPrevious = true;
  }

  /**
   * Puts back the version the last write replaced (a later document of the same transaction failed). Hard link +
   * rename: needs no free space, so it works on the full disk that made the transaction fail.
   */
  async restorePrevious(): Promise<void> {
    if (!this.keptPrevious) return;
    const temp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.restore.tmp`);
    await unlink(temp).catch(() => {});
    await link(this.backupFile, temp).catch(() => copyFile(this.backupFile, temp));
    await rename(temp, this.file);
    this.keptPrevious = false;
  }
}

/** A lowdb document bound to <dir>/<name>.json and <dir>/backups/<name>.json. */
export class LibraryDocument<K extends DocumentName> {
  readonly file: string;
  readonly backupFile: string;
  private readonly low: Low<DocumentMap[K]>;

  constructor(
    readonly dir: string,
    readonly name: K,
    initial: DocumentMap[K],
  ) {
    this.file = join(dir, documentFileName(name));
    this.backupFile = join(dir, BACKUP_DIR, documentFileName(name));
    const pretty = name !== 'photos' && name !== 'faces';
    this.low = new Low(new AtomicJsonAdapter(name, this.file, this.backupFile, pretty), initial);
  }

  get data(): DocumentMap[K] {
    return this.low.data;
  }

  set data(value: DocumentMap[K]) {
    this.low.data = value;
  }

  async write(): Promise<void> {
    await ensureDir(join(this.dir, BACKUP_DIR));
    await this.low.write();
  }

  /** Undoes the last write() on disk (see AtomicJsonAdapter.restorePrevious); memory is the caller's to reload. */
  async restorePrevious(): Promise<void> {
    await (this.low.adapter as AtomicJsonAdapter<K>).restorePrevious();
  }

  /** Reads the main file: null when absent; throws DocumentCorruptError / NewerSchemaError. */
  async readMain(): Promise<DocumentMap[K] | null> {
    return this.low.adapter.read();
  }

  async readBackup(): Promise<DocumentMap[K] | null> {
    const bytes = await readFileIfExists(this.backupFile);
    return bytes === null ? null : parseDocument(this.name, this.backupFile, bytes);
  }
}
