// THE contract between the renderer and the main process: every call and every event, declared once.
// Main (IPC handlers and the `familiar serve` HTTP server) validates every argument with these schemas before
// touching the engine and answers `{ result } | { error }`; the preload exposes one function per call; the
// renderer imports only types and the small helpers at the bottom. This module imports nothing but zod and
// ./names.js (which imports nothing), because it is loaded by Node (main), the sandboxed preload bundle and the browser.
import { z } from 'zod';
import { cleanName } from './names.js';
import { BIRTHDAY_PATTERN } from './birthdays.js';

/**
 * Refused arguments in plain words ("must be at least 1"), not zod's ("Too small: expected number to be >=1"): the
 * app shows them to the user (QA). A schema's own message, where it has one, still wins.
 */
function plainIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const size = (origin: unknown, n: number | bigint) =>
    origin === 'string' ? `${n} character${n === 1 ? '' : 's'}` : origin === 'array' || origin === 'set' ? `${n} item${n === 1 ? '' : 's'}` : String(n);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if ((issue.origin === 'array' || issue.origin === 'set') && Number(issue.minimum) === 1) return 'needs at least one';
      return issue.inclusive === false ? `must be more than ${size(issue.origin, issue.minimum)}` : `must be at least ${size(issue.origin, issue.minimum)}`;
    case 'too_big':
      return issue.inclusive === false ? `must be less than ${size(issue.origin, issue.maximum)}` : `must be at most ${size(issue.origin, issue.maximum)}`;
    case 'invalid_type':
      return issue.input === undefined ? 'is missing' : `must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected === 'int' ? 'whole number' : issue.expected}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}
z.config({ customError: plainIssue });

// ---------------------------------------------------------------------------------------------------------------
// Building blocks. Every string has a length cap, so a hostile caller cannot make main allocate or log megabytes.

/**
 * What the training forms start from: the engine's own defaults (models/embedder/train.ts, models/autoencoder/
 * train.ts; tests/preload/contract.test.ts holds them equal), so training from the window is training from the
 * CLI. A margin of 0.2 cost people the head never saw 2-4 points of verification (docs/embedder.md).
 */
export const TRAINING_DEFAULTS = {
  embedder: { epochs: 40, margin: 0.05 },
  autoencoder: { epochs: 12 },
} as const;

/** What training accepts, in the app, over the API and in the CLI alike. */
export const TRAINING_LIMITS = { epochs: { min: 1, max: 500 }, margin: { min: 0.01, max: 2 } } as const;

/**
 * The range of each number setting, in the app and over the API alike (they had disagreed: the API took 0.01-1.5 and
 * 8,192 px, the app 0.05-1 and 4,096). A same-person distance of 1 already calls faces at right angles one person;
 * analysing photos larger than 4,096 px finds nothing the closer look at small faces does not (it decodes at 4,096).
 */
export const SETTING_LIMITS = { samePersonDistance: { min: 0.02, max: 1 }, analysisMaxSide: { min: 320, max: 4096 } } as const;

/**
 * The least each model learns from: recognition two confirmed faces each of two named people (so validation can compare
 * people at all), the face studio 16 faces. The engine refuses a run below them and the app says so beside a disabled
 * Train button, from these same numbers.
 */
export const TRAINING_MINIMUMS = { recognition: { people: 2, facesEach: 2 }, studioFaces: 16 } as const;

/** Faces in an interpolation strip, both ends included (the app's slider offers up to 16). */
export const INTERPOLATION_STEPS = { min: 2, max: 32 } as const;
export const MAX_PAGE = 500;
export const MAX_IDS = 1000;
export const MAX_PATHS = 256;
export const MAX_PATH_LENGTH = 4096;
export const MAX_NAME_LENGTH = 120;

/**
 * Record ids (photo sha256, face `${photoId16}-${index}`, person ids, model versions, job ids): letters, digits,
 * `_`, `-` and `:` only. No dot, slash, backslash, percent or NUL can appear, so an id never names a path.
 */
export const Id = z
  .string()
  .min(1, 'An id must not be empty.')
  .max(128, 'An id is at most 128 characters.')
  .regex(/^[A-Za-z0-9_:-]+$/, 'An id may contain only letters, digits, "_", "-" and ":".');
export const FaceId = Id;
export const PhotoId = Id;
export const PersonId = Id;
export const JobId = Id;

// Control characters, line/paragraph separators and bidi overrides (which can make a name display as another).
/** Characters no name may hold: controls, line separators, and text-direction overrides that make a name read backwards. */
export const NAME_FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/**
 * Not text at all: a half of a UTF-16 pair alone, or U+FFFD, what bytes that are not UTF-8 decode to (QA: a terminal
 * passing Latin-1 bytes named someone "��").
 */
export const NAME_NOT_TEXT = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/;
export const NAME_NOT_TEXT_MESSAGE = 'A name must be readable text: this one holds bytes that are not (shown as �); type it again.';

/** A person's display name: trimmed, 1..120 characters, no control characters. */
export const PersonName = z
  .string()
  .max(MAX_NAME_LENGTH * 4, `A name is at most ${MAX_NAME_LENGTH} characters.`)
  .transform(cleanName)
  .pipe(
    z
      .string()
      .min(1, 'A name must not be empty.')
      .max(MAX_NAME_LENGTH, `A name is at most ${MAX_NAME_LENGTH} characters.`)
      .refine((s) => !NAME_FORBIDDEN_CHARS.test(s), 'A name must not contain control or text-direction characters.')
      .refine((s) => !NAME_NOT_TEXT.test(s), NAME_NOT_TEXT_MESSAGE),
  );

/**
 * An absolute folder or file path on the machine running the engine (import sources). Absolute (POSIX `/…`,
 * Windows `C:\…` or `\\server\share\…`), or in the home folder (`~`, `~/…`: the engine expands it, as a shell
 * would, main/paths.ts expandHome), no NUL byte, no `.` or `..` segment: callers send normalized paths.
 */
export const AbsolutePath = z
  .string()
  .min(1, 'A path must not be empty.')
  .max(MAX_PATH_LENGTH, `A path is at most ${MAX_PATH_LENGTH} characters.`)
  .refine((p) => !p.includes('\u0000'), 'A path must not contain a NUL byte.')
  .refine((p) => /^(\/|~(?:[\\/]|$)|[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/])/.test(p), 'A path must be absolute.')
  .refine((p) => !p.split(/[\\/]/).some((seg) => seg === '..' || seg === '.'), 'A path must not contain "." or ".." segments.');

const Offset = z.int().min(0).max(10_000_000).default(0);
const Limit = z.int().min(1).max(MAX_PAGE).default(100);
const IdList = (what: string) =>
  z.array(Id).min(1, `Give at least one ${what}.`).max(MAX_IDS, `At most ${MAX_IDS} ${what}s at once.`);

/**
 * Opaque reference to an image main can serve: `thumb/<faceId>` (aligned face crop), `photo/<photoId>` (the
 * original, EXIF-rotated, at most 2,560 px), `full/<photoId>` (the same with up to 8,192 px, for zooming in),
 * `around/<faceId>` (the photo's own pixels around a face, in the view the queues zoom to: preload/face-zoom.ts),
 * `preview/<photoId>` (the photo downscaled for grids), `generated/<id>` (an image the studio made). Turn it into a
 * URL with `imageUrl()`; never build file paths from it.
 */
export const ImageRef = z
  .string()
  .max(160)
  .regex(/^(thumb|photo|full|around|preview|generated)\/[A-Za-z0-9_:-]{1,128}$/, 'Not an image reference.');
export type ImageRef = z.infer<typeof ImageRef>;
export type ImageKind = 'thumb' | 'photo' | 'full' | 'around' | 'preview' | 'generated';
/** The longest side of a `full/` image: a 100-megapixel photo is still 8,192 x 6,144 there (200 MB decoded). */
export const FULL_IMAGE_MAX_EDGE = 8192;

/** [x, y, width, height] in the original photo's pixels after EXIF rotation. */
export const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

// ---------------------------------------------------------------------------------------------------------------
// Shapes in results.

export const BackendInfo = z.object({
  name: z.enum(['tensorflow', 'wasm', 'cpu']),
  reason: z.string(),
  simd: z.boolean(),
  threads: z.number(),
  nativeElsewhere: z.enum(['analysis', 'terminal']).optional(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

/**
 * About how long looking again at some photos would take, and what the figure rests on: this library's last look again
 * ('looked-again'), its imports' pace times what looking again costs more ('imports'), or a typical pace ('typical').
 */
/**
 * How much longer looking again takes per photo than a first import's analysis: QA measured about 2.5 times the CPU
 * (each photo is read whole and checked, and looked at closer where small faces may be).
 */
export const LOOK_AGAIN_COST_FACTOR = 2.5;

export const LookAgainCost = z.object({ seconds: z.number(), basis: z.enum(['looked-again', 'imports', 'typical']) });
export type LookAgainCost = z.infer<typeof LookAgainCost>;

export const LibraryCounts = z.object({
  photos: z.number(),
  missingPhotos: z.number(),
  faces: z.number(),
  people: z.number(),
  /** Named people as People lists them (not hidden, holding faces): a named person left with no face is not counted. */
  namedPeople: z.number(),
  unknownFaces: z.number(),
  /** What "Who is this?" asks about: unnamed groups shown (not hidden, not empty), and faces in no group not set aside. */
  toName: z.object({ groups: z.number(), faces: z.number() }),
  /** Photos an earlier version of Familiar analysed, on disk: 'import.lookAgain' looks for the faces it missed. */
  lookAgain: z.number(),
  /**
   * Of those, the photos that may hold a face lying on its side the earlier version described wrongly (its landmarks
   * fit a face poorly). The photos the version before this one analysed are counted in lookAgain only for that.
   */
  lookAgainSideways: z.number(),
  /** About how long looking again at the lookAgain photos would take (main/library/analysis-pace.ts). */
  lookAgainCost: LookAgainCost,
});
export type LibraryCounts = z.infer<typeof LibraryCounts>;

export const LibraryInfo = z.object({
  libraryDir: z.string(),
  schemaVersion: z.number(),
  counts: LibraryCounts,
  /** Folders the user imported; the library watches them for new photos. */
  folders: z.array(z.string()),
  /**
   * Those of `folders` no longer on disk (moved or renamed outside Familiar, deleted, a drive unplugged): their photos
   * count as missing, and importing the folder's new place finds them with their names (it is then watched instead).
   */
  goneFolders: z.array(z.string()),
  /**
   * The folders the library holds photos from that it does not watch (imported with `familiar import --no-watch`,
   * or no longer watched), each at its top: offered for removal beside the watched ones.
   */
  unwatchedFolders: z.array(z.string()),
  /**
   * Folders of imports Familiar closed or crashed during, still on disk: importing them again resumes (the photos read
   * already are skipped). Empty while an import runs.
   */
  unfinishedImports: z.array(z.string()),
  /** 'electron' for the desktop app, 'browser' for `familiar serve`. */
  mode: z.enum(['electron', 'browser']),
  version: z.string(),
  backend: BackendInfo,
  /**
   * The same-person distance measured for the faces model in use (main/people/thresholds.ts calibratedSameDistance):
   * Settings says where its samePersonDistance stands against it, in words, not as a bare number.
   */
  measuredSamePersonDistance: z.number(),
});
export type LibraryInfo = z.infer<typeof LibraryInfo>;

export const DoctorReport = z.object({
  backend: BackendInfo,
  libraryDir: z.string(),
  counts: LibraryCounts,
  modelFiles: z.array(z.object({ name: z.string(), found: z.boolean(), path: z.string() })),
  /** Problems found and repaired or still open, one sentence each. */
  problems: z.array(z.string()),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

/** What taking a folder out of the library takes with it (main/library/remove-folder.ts); the files stay on disk. */
export const FolderRemovalPlan = z.object({
  /** null: the photos missing from disk (deleted or moved outside Familiar), wherever they were. */
  folder: z.string().nullable(),
  /** Photos whose every copy is under the folder: they go, with their faces. */
  photos: z.number(),
  /** Photos with a copy outside the folder too: they stay. */
  photosKeptElsewhere: z.number(),
  faces: z.number(),
  /** Faces the user named, confirmed or corrected among them: those decisions go with them. */
  decidedFaces: z.number(),
  /** Faces the user set aside among them (a hidden unnamed group's, "Don't ask about this face"), not in decidedFaces. */
  setAsideFaces: z.number(),
  /**
   * Of decidedFaces and setAsideFaces, those whose decisions are kept with the photos' analysis: imported again, the
   * photos come back with them. The rest are lost (a face drawn by hand, a move into a group that goes with them).
   */
  decisionsKept: z.number(),
  /**
   * Of the photos that go, those no longer on disk (deleted since the folder's last import), and of decisionsKept those
   * on their faces: imported again, the folder brings back only the others (decisionsComingBack, notOnDiskSentence).
   * 0 when forgetting the photos missing from disk.
   */
  photosNotOnDisk: z.number(),
  decisionsNotOnDisk: z.number(),
  /** Named people who lose faces (their names stay). */
  namedPeople: z.array(z.object({ personId: z.string(), name: z.string(), faces: z.number(), facesLeft: z.number() })),
  watched: z.boolean(),
});
export type FolderRemovalPlan = z.infer<typeof FolderRemovalPlan>;

export const JobKind = z.enum(['import', 'recluster', 'train-embedder', 'train-autoencoder', 'export-names', 'import-names', 'score-faceness', 'remove-photos', 'copy-photos']);
export type JobKind = z.infer<typeof JobKind>;

/** Mirrors main/jobs/progress.ts JobProgress. */
export const JobProgress = z.object({
  job: z.string(),
  stage: z.string(),
  done: z.number(),
  total: z.number(),
  etaSeconds: z.number().nullable(),
  ratePerSecond: z.number().nullable(),
  message: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** `folder`: a folder it could not read or find, not a file ("Skipped 2 folders and 3 files": skippedWords). */
export const SkippedFile = z.object({ path: z.string(), reason: z.string(), folder: z.literal(true).optional() });

export const ImportResult = z.object({
  photosSeen: z.number(),
  photosAdded: z.number(),
  photosUnchanged: z.number(),
  photosMissing: z.number(),
  /** Known photos found at paths new to the library (moved, renamed, copied), and edited files that kept their names. */
  photosMoved: z.number(),
  photosEdited: z.number(),
  /**
   * New photos that had left the library (a folder removed, missing photos forgotten) and took back the faces their
   * analysis found then, without being analysed again (not among photosUnchanged).
   */
  photosRestored: z.number().optional(),
  /** Faces of photos back in the library that took back what the user had said of them when they left (names, answers). */
  restoredDecisions: z.number().optional(),
  /**
   * Faces the user had said something of whose photo was edited while out of the library and no longer shows them
   * (cropped out): what was said of them did not come back (keptDecisionsLostSentence).
   */
  keptDecisionsLost: z.number().optional(),
  /** What was wrong with the analyses kept of photos that left the library (damaged): those photos were analysed. */
  keptAnalysesProblem: z.string().nullable().optional(),
  /** Files holding a photo another file of this import holds too: counted once among the photos (so files = photos + copies + skipped). */
  photosCopies: z.number().optional(),
  /** New photos that are photos of the library resized or saved again (main/library/copies.ts): their faces go with the originals'. */
  resizedCopies: z.number().optional(),
  facesFound: z.number(),
  skipped: z.array(SkippedFile),
  /** Names the new photos' face tags carried (other apps' XMP regions and keywords, Picasa, Google Takeout), null when none did. */
  names: z
    .object({
      facesNamed: z.number(),
      facesAdded: z.number(),
      newPeople: z.array(z.string()),
      conflicts: z.number(),
      /** Tags whose name no person may have (too long, control characters): not read. */
      unusableNames: z.number().optional(),
      decision: z.string().nullable(),
      /** "No, not Rose" answers read from the sidecars a Familiar export wrote beside the photos. */
      rejectionsRead: z.number().optional(),
      /** Of facesNamed, those named from the sidecars Familiar wrote (its export read back), not other apps' tags. */
      namedFromFamiliar: z.number().optional(),
      /** Faces the detector had missed, found where other apps marked a face and named no one (NamesImportResult.unnamedFacesFound). */
      unnamedFacesFound: z.number().optional(),
    })
    .nullable(),
  /**
   * Cancelled once every photo was imported, while the names other apps saved in their face tags were read: none were
   * (names is null), and the import ended as usual (its faces grouped, its folders watched).
   */
  namesNotRead: z.boolean().optional(),
  /**
   * Set when the import found no photo it could read: the folders or file it was given, and for one file the reason
   * it is no photo Familiar reads (a folder's files have theirs in `skipped`).
   */
  /** `formats`: the formats this build reads, in words (the renderer cannot ask the image library). */
  noPhotos: z.object({ paths: z.array(z.string()), fileReason: z.string().nullable(), formats: z.string().optional() }).nullable().optional(),
  /**
   * An import that stopped before the end, its photos and their faces kept and grouped: 'cancelled' by the user after
   * `files` of `of` files, or 'interrupted' (Familiar closed during it; grouped at the next open). Null numbers: not known.
   * `grouped: false`: the user cancelled that grouping at the next open; the faces wait for the open after, or an import.
   */
  stopped: z
    .object({ how: z.enum(['cancelled', 'interrupted']), files: z.number().nullable(), of: z.number().nullable(), grouped: z.literal(false).optional() })
    .nullable()
    .optional(),
  /** Folders this import began to watch for new photos (an empty one too). */
  watchedNow: z.array(z.string()).optional(),
  /** The folders and files it was given to read (an import the folder watcher started names its folder). */
  paths: z.array(z.string()).optional(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/**
 * What a `from` folder of names.import held and how much of it matched a photo here, in one sentence (the app's
 * Settings and `familiar names import --from` share it); null when all of it matched. Never a silent "nothing changed"
 * (QA: the photos had moved). A folder holding Picasa's contacts.xml (its Picasa2 folder) gave names, not sidecars.
 */
export function fromFolderSentence(from: NonNullable<NamesImportResult['fromFolder']>): string | null {
  const matched = from.matchedById + from.matchedByPath;
  const picasa = from.picasaContacts ? `Found Picasa's contacts.xml in ${from.folder} (${plural(from.picasaContacts, 'name')}).` : null;
  const sidecars = (() => {
    const found = plural(from.sidecars, 'sidecar');
    if (from.sidecars === 0) return picasa ? null : `Found no sidecars (.xmp files) in ${from.folder}.`;
    if (matched === 0) return `Found ${found} in ${from.folder}; 0 matched a photo in this library: were the photos imported here?`;
    if (from.unmatched === 0) return null;
    return `Found ${found} in ${from.folder}; ${matched.toLocaleString('en')} matched a photo in this library, ${from.unmatched.toLocaleString('en')} did not: were those photos imported here?`;
  })();
  return [picasa, sidecars].filter((part) => part !== null).join(' ') || null;
}

/**
 * What a folder's removal says once, under its list of named people, of those it leaves with no face (the app's dialog
 * and `familiar remove` share it; it was said on each line, sixteen times for a folder of sixteen cousins); null if none.
 */
export function namesKeptSentence(emptied: readonly string[]): string | null {
  if (emptied.length === 0) return null;
  return `${emptied.length === 1 ? `“${emptied[0]}” is` : 'Their names are'} kept, with no face, for when a face is named so again.`;
}

/**
 * Of the faces a removal keeps what the user said of (decisionsKept), those whose photos come back when the folder is
 * imported again: not those of photos no longer on disk (QA: "brings them back with what you said of 17 faces" counted
 * 2 photos deleted from disk; 15 came back). The app's dialog, `familiar remove` and undo say this one count.
 */
export function decisionsComingBack(removal: { decisionsKept: number; decisionsNotOnDisk?: number }): number {
  return removal.decisionsKept - (removal.decisionsNotOnDisk ?? 0);
}

/**
 * What a removal says of its photos no longer on disk, after what importing the folder again brings back (the app's
 * dialog, `familiar remove` and undo share it); null if none.
 */
export function notOnDiskSentence(removal: { photosNotOnDisk?: number; decisionsNotOnDisk?: number }): string | null {
  const gone = removal.photosNotOnDisk ?? 0;
  if (gone === 0) return null;
  const one = gone === 1;
  const said = removal.decisionsNotOnDisk ?? 0;
  const what = said > 0 ? `what you said of ${plural(said, 'face')} in ${one ? 'it' : 'them'} comes` : one ? 'it comes' : 'they come';
  return `${plural(gone, 'photo')} ${one ? 'is' : 'are'} no longer on disk: ${what} back only if ${one ? 'its file does' : 'their files do'}.`;
}

/**
 * What an import that found no photo says, in the words the Import screen and `familiar import` share: "No photos in
 * /a", "No photos Familiar can read in /a" (its files were skipped, each with its reason), or "/a/notes.jpg cannot be
 * read as a photo: its content is not a format Familiar reads" (QA: "not a photo Familiar can read (… Familiar reads)").
 */
export function noPhotosSentence(noPhotos: { paths: string[]; fileReason: string | null }, skipped: number): string {
  const { paths, fileReason } = noPhotos;
  if (fileReason !== null) {
    // "not an image (its content…)" says "not a photo" twice: the part in parentheses is the reason.
    const reason = fileReason.replace(/^not (?:an|a readable) image \((.*)\)$/, '$1');
    return `${paths[0]} cannot be read as a photo: ${reason}`;
  }
  const where = paths.length <= 2 ? paths.join(' or ') : `${paths.slice(0, -1).join(', ')} or ${paths[paths.length - 1]}`;
  return skipped > 0 ? `No photos Familiar can read in ${where}` : `No photos in ${where}`;
}

/**
 * A count and its noun, for everything Familiar says (the engine, the CLI, the app): "1 face", "0 faces", "1,234
 * photos"; an irregular noun gives its plural ("person", "people"). Never "face(s)", nor "1 faces".
 */
/**
 * What an export of names says of the photos it could not write beside, every file of theirs gone from disk (Settings
 * and `familiar names export` share it). QA: photos moved since the last import made "0 sidecars written", no reason.
 */
export function missingPhotosSentence(count: number): string {
  const one = count === 1;
  return (
    `${plural(count, 'photo')} with names to write ${one ? 'is' : 'are'} missing from disk (moved or deleted outside Familiar), so nothing was written for ${one ? 'it' : 'them'}: ` +
    `import ${one ? 'it' : 'them'} from where ${one ? 'it is' : 'they are'} now, and write the names again.`
  );
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/**
 * About how long something takes, in words that claim no more than an estimate knows: "under a minute", "about 5
 * minutes", "about an hour", "about 3 hours", "about 2 days".
 */
export function roughDuration(seconds: number): string {
  const minutes = seconds / 60;
  if (minutes < 1) return 'under a minute';
  if (minutes < 9.5) return `about ${plural(Math.round(minutes), 'minute')}`;
  if (minutes < 52.5) return `about ${Math.round(minutes / 5) * 5} minutes`;
  const hours = minutes / 60;
  if (hours < 1.5) return 'about an hour';
  if (hours < 23.5) return `about ${Math.round(hours)} hours`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'about a day' : `about ${days} days`;
}

/** Said of a time taken at a typical pace, this library having measured none. */
const TYPICAL_PACE_GUESS = 'at a typical pace (a guess: Familiar has not yet timed an import of this library)';

/**
 * What looking again at the photos an earlier version analysed costs and gains, in the words Settings, `familiar
 * import` and `familiar doctor` share: how long (this library's own pace when it measured one, else a stated guess)
 * and what it finds (QA: about 1 photo in 60 gains a face; looking again costs about 2.5 times an import's work a
 * photo). Photos counted only for a face lying on its side gain that face turned upright, which the reason says.
 */
export function lookAgainCostSentence(photos: number, sideways: number, cost: LookAgainCost): string {
  const takes = `Looking again at ${plural(photos, 'photo')} takes`;
  const time =
    cost.basis === 'looked-again'
      ? `${takes} ${roughDuration(cost.seconds)} on this computer, going by the last time it looked again`
      : cost.basis === 'imports'
        ? `${takes} ${roughDuration(cost.seconds)} on this computer: about ${LOOK_AGAIN_COST_FACTOR} times as long a photo as its imports took`
        : `${takes} ${roughDuration(cost.seconds)} ${TYPICAL_PACE_GUESS}`;
  return sideways >= photos ? `${time}.` : `${time}. About 1 photo in 60 gains a face.`;
}

/**
 * How long analysing photos as an import does would take (`familiar doctor`'s photos awaiting analysis), in the words
 * of lookAgainCostSentence: this library's pace when it measured one (a look again's, which takes longer a photo,
 * taken back to an import's), else a stated guess.
 */
export function analysisCostSentence(photos: number, cost: LookAgainCost): string {
  const takes = `Analysing ${plural(photos, 'photo')} takes ${roughDuration(cost.seconds)}`;
  if (cost.basis === 'imports') return `${takes} on this computer, going by its imports.`;
  if (cost.basis === 'looked-again') return `${takes} on this computer, going by the last time it looked again, which takes ${LOOK_AGAIN_COST_FACTOR} times as long a photo.`;
  return `${takes} ${TYPICAL_PACE_GUESS}.`;
}

/**
 * What an import skipped, counted in the words the Import screen and `familiar import` share: "3 files", "1 folder",
 * "2 folders and 3 files". A folder it could not read is no file (QA: "Skipped 1 file" listed an unreadable folder).
 */
export function skippedWords(skipped: ReadonlyArray<{ path: string; folder?: boolean }>): string {
  const folders = skipped.filter((s) => s.folder).length;
  const files = skipped.length - folders;
  if (folders === 0) return plural(files, 'file');
  return files === 0 ? plural(folders, 'folder') : `${plural(folders, 'folder')} and ${plural(files, 'file')}`;
}

/** Up to this many skipped files are listed one a row; more are grouped by why (skippedByReason), this many paths shown each. */
export const SKIPPED_LISTED = 10;
export const PATHS_PER_REASON = 3;

/**
 * Skipped files grouped by why, the largest group first, each in the order given: a damaged drive skips hundreds of
 * files for a handful of reasons, said once each with their count.
 */
export function skippedByReason<T extends { reason: string }>(skipped: readonly T[]): Array<{ reason: string; items: T[] }> {
  const groups = new Map<string, T[]>();
  for (const s of skipped) {
    const group = groups.get(s.reason);
    if (group) group.push(s);
    else groups.set(s.reason, [s]);
  }
  return [...groups].map(([reason, items]) => ({ reason, items })).sort((a, b) => b.items.length - a.items.length);
}

/**
 * The button that resumes the imports Familiar closed or crashed during (LibraryInfo.unfinishedImports), naming the
 * folder by its last part ("Resume importing Holidays 2019"; the sentence beside it gives the whole path).
 */
export function resumeImportLabel(folders: readonly string[]): string {
  if (folders.length !== 1) return `Resume importing ${folders.length} folders`;
  const name = folders[0].split(/[\\/]/).filter(Boolean).at(-1) ?? folders[0];
  return `Resume importing ${name}`;
}

/**
 * Why what the user said of `faces` faces did not come back (ImportResult.keptDecisionsLost), in the words the Import
 * screen and `familiar import` share, without a full stop.
 */
export function keptDecisionsLostSentence(faces: number): string {
  const one = faces === 1;
  return (
    `What you said of ${plural(faces, 'face')} could not be given back: ${one ? 'its photo was' : 'their photos were'} edited while out of the library, ` +
    `and no longer ${one ? 'shows that face' : 'show those faces'} (cropped out, or changed too much)`
  );
}

/**
 * What an import read from other apps' face tags, and from the sidecars Familiar wrote (a folder imported again), in
 * the words the Import screen and `familiar import` share (each adds how to undo them, or read them later, its own
 * way); null when there is nothing to say.
 */
export function namesReadSentence({ names, namesNotRead }: Pick<ImportResult, 'names' | 'namesNotRead'>): string | null {
  if (namesNotRead) return "The names other apps saved in the photos' face tags were not read: you cancelled while Familiar read them.";
  if (!names) return null;
  const number = (n: number) => n.toLocaleString('en');
  const { facesAdded: added, conflicts } = names;
  const unusable = names.unusableNames ?? 0;
  // Tags that only said what the faces already were (a folder removed and imported again takes back its names): nothing read.
  const found = names.unnamedFacesFound ?? 0;
  const foundWords = !found
    ? ''
    : found === 1
      ? 'Another app marked a face the detector had missed, with no name: it was added.'
      : `Other apps marked ${number(found)} faces the detector had missed, with no name: they were added.`;
  const unusableWords = !unusable
    ? ''
    : unusable === 1
      ? '1 tag gave a name Familiar cannot use (too long, or with control characters), and was not read.'
      : `${number(unusable)} tags gave a name Familiar cannot use (too long, or with control characters), and were not read.`;
  if (names.facesNamed === 0 && !names.rejectionsRead && !added && !conflicts) return [foundWords, unusableWords].filter(Boolean).join(' ') || null;
  const answers = names.rejectionsRead ? `${plural(names.rejectionsRead, '“not this person” answer')} from the sidecars Familiar wrote` : '';
  const newPeople = names.newPeople.length ? ` (new people: ${names.newPeople.join(', ')})` : '';
  // QA: a folder imported again had its names from Familiar's own sidecars credited to "other apps".
  const fromFamiliar = Math.min(names.namedFromFamiliar ?? 0, names.facesNamed);
  const fromOtherApps = names.facesNamed - fromFamiliar;
  let read = `Read ${plural(names.facesNamed, 'name')} from the face tags other apps saved${newPeople}${answers ? `, and ${answers}` : ''}.`;
  if (names.facesNamed === 0 && answers) read = `Read ${answers}.`;
  else if (fromFamiliar > 0 && fromOtherApps === 0) {
    // Answers, too, come only from Familiar's sidecars: said once.
    const alsoAnswers = names.rejectionsRead ? `, and ${plural(names.rejectionsRead, '“not this person” answer')}` : '';
    read = `Read back the names Familiar wrote beside the photos: ${plural(fromFamiliar, 'name')}${newPeople}${alsoAnswers}.`;
  } else if (fromFamiliar > 0) {
    read = `Read ${plural(names.facesNamed, 'name')}: ${number(fromOtherApps)} from the face tags other apps saved, ${number(fromFamiliar)} of the names Familiar wrote beside the photos${newPeople}${answers ? `, and ${answers}` : ''}.`;
  }
  return [
    read,
    added ? (added === 1 ? '1 of them marked a face the detector had missed, which was added.' : `${number(added)} of them marked faces the detector had missed, which were added.`) : '',
    conflicts ? (conflicts === 1 ? '1 tag disagreed with the answer this library has, which was kept.' : `${number(conflicts)} tags disagreed with the answers this library has, which were kept.`) : '',
    unusableWords,
    foundWords,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * What undo of an import's names read takes back, after "Undo takes" or '"familiar undo" takes': the names, or only
 * the faces found where other apps marked faces nobody named, when that is all it did.
 */
export function namesReadUndoes(names: NonNullable<ImportResult['names']>): string {
  const found = names.unnamedFacesFound ?? 0;
  if (names.facesNamed > 0 || (names.rejectionsRead ?? 0) > 0 || found === 0) return 'the names back';
  return found === 1 ? 'the face out again' : 'the faces out again';
}

/** Mirrors main/people/xmp-names.ts: names written as XMP face regions for other apps. */
export const NamesExportResult = z.object({
  photosWithNames: z.number(),
  /** Photos with no named face but a "not this person" answer about a named person: they get a sidecar too. */
  photosWithAnswersOnly: z.number().optional(),
  written: z.number(),
  unchanged: z.number(),
  removed: z.number(),
  skipped: z.array(SkippedFile),
  /** Of `written`, sidecars another app wrote or changed: Familiar's regions went into them, the rest kept. */
  intoOtherApps: z.number(),
  /** Copies kept of other apps' sidecars before Familiar first wrote into them, in `backupFolder`. */
  backups: z.number(),
  /** The folder this export kept them in (sidecar-backups/<when>/ in the library), each at its own path; null = none kept. */
  backupFolder: z.string().nullable(),
  /** Faces not written: the sidecar's own region on the face names someone else (`name` is Familiar's). */
  conflicts: z.array(z.object({ path: z.string(), name: z.string(), otherName: z.string(), reason: z.string() })),
  /** null = the sidecars went next to the photos. */
  folder: z.string().nullable(),
  /** Named people the user hid: not written. */
  hiddenPeople: z.number(),
  /** Faces Familiar placed under a named person and the user never confirmed, left out of a confirmed-only export. */
  unconfirmedLeftOut: z.number(),
  /** Photos with names to write whose every file is gone from disk (moved or deleted outside Familiar): not written. */
  missingPhotos: z.number().optional(),
});
export type NamesExportResult = z.infer<typeof NamesExportResult>;

/** Mirrors main/library/copy-photos.ts: photos copied into a folder ('photos.copyTo'). */
export const CopyPhotosResult = z.object({
  folder: z.string(),
  photos: z.number(),
  copied: z.number(),
  /** Already in the folder with the same content (an earlier copy into it): left as they are. */
  alreadyThere: z.number(),
  /** Photos whose file is not on disk: moved, deleted, or on a drive that is not plugged in. */
  missing: z.array(SkippedFile),
  /** Photos that could not be read or written, each with why. */
  failed: z.array(SkippedFile),
  bytes: z.number(),
});
export type CopyPhotosResult = z.infer<typeof CopyPhotosResult>;

/** Mirrors main/people/xmp-names.ts: names read from the XMP face regions other apps wrote. */
export const NamesImportResult = z.object({
  photosRead: z.number(),
  photosWithNames: z.number(),
  /** Photos whose tags mark a face and name no one there (Picasa's and digiKam's unnamed faces). */
  photosWithUnnamedMarks: z.number().optional(),
  facesNamed: z.number(),
  alreadyNamed: z.number(),
  /** People renamed as the tags now name them: their name came from an earlier read of the tags alone. */
  renamed: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
  /** "No, not Rose" answers read from the sidecars a Familiar export wrote (familiar:NotNames), given to faces here. */
  rejectionsRead: z.number().optional(),
  /** Of facesNamed, those named from the sidecars Familiar wrote (its export read back), not other apps' tags. */
  namedFromFamiliar: z.number().optional(),
  /** Faces added and named for named regions no detected face matched: found by a closer look, or kept as drawn. */
  facesAdded: z.number(),
  /** Of facesAdded, tagged regions where no face was found, kept as drawn (FaceRecord.undetected). */
  facesKeptAsDrawn: z.number().optional(),
  /** Faces the detector had missed, found where other apps marked a face and named no one; added unnamed, and placed. */
  unnamedFacesFound: z.number().optional(),
  unmatchedRegions: z.number(),
  /** Each name of unmatchedRegions: the file that named it, the name, and why no face took it. */
  droppedRegions: z.array(z.object({ path: z.string(), name: z.string(), reason: z.string() })).optional(),
  conflicts: z.array(z.object({ faceId: z.string(), path: z.string(), name: z.string(), reason: z.string() })),
  skipped: z.array(SkippedFile),
  newPeople: z.array(z.string()),
  /**
   * What the `from` folder held and how much of it matched a photo here (by photo id, else by the end of the path);
   * null without `from`.
   */
  fromFolder: z
    .object({
      folder: z.string(),
      sidecars: z.number(),
      matchedById: z.number(),
      matchedByPath: z.number(),
      unmatched: z.number(),
      unmatchedExamples: z.array(z.string()),
      /** Names read from Picasa's contacts.xml in the folder (or its Picasa2 folder); 0 or absent when none. */
      picasaContacts: z.number().optional(),
    })
    .nullable()
    .optional(),
  /**
   * The sidecars (XMP, .picasa.ini) saved in a watched folder whose change started this read (the folder watcher, not
   * the user): the window says what it named, with Undo. Absent when the user asked.
   */
  sidecarsChanged: z.array(z.string()).optional(),
  /**
   * Every sidecar of `sidecarsChanged` is as a Familiar names export built it (its digest holds): `familiar names export`
   * run beside the app, or another computer's Familiar. Such a read that changed nothing is no news to show.
   */
  sidecarsBuiltByFamiliar: z.boolean().optional(),
  /** The read's decision: its Undo passes it (undo's onlyIfLatestId), so it takes back this read or nothing. null: it decided nothing. */
  decisionId: z.string().nullable().optional(),
});
export type NamesImportResult = z.infer<typeof NamesImportResult>;

export const ModelMetrics = z.record(z.string(), z.number());

/**
 * Recognition not trained: the confirmed faces, the answers about faces that are not someone and the options are those
 * the model in use was trained on, or the last training kept it on (`kept`), or a version the user stopped using was
 * trained on (`inUse` false), so the same model would come out (main/embedder/train-job.ts). Training with `anyway`
 * runs all the same.
 */
export const NothingNew = z.object({
  /** The version in use: "raw" or "v3"; or, `inUse` false, the version not in use trained on the same: "v1". */
  since: z.string(),
  kept: z.boolean(),
  /** false: `since` is not in use, the user stopped using it (rolled back); absent: it is the version in use. */
  inUse: z.boolean().optional(),
  trainedAt: z.string(),
  confirmedFaces: z.number(),
  people: z.number(),
});
export type NothingNew = z.infer<typeof NothingNew>;

/**
 * Face studio not trained: a version was trained on the same face thumbnails with the same settings, so the same model
 * would come out (main/autoencoder/train-job.ts). Training with `anyway` runs all the same.
 */
export const StudioNothingNew = z.object({
  /** The version trained on them: "v2". */
  since: z.string(),
  /** Whether that version is the one in use. */
  inUse: z.boolean(),
  trainedAt: z.string(),
  faces: z.number(),
});
export type StudioNothingNew = z.infer<typeof StudioNothingNew>;

export const TrainingResult = z.object({
  /** Whether the new model replaced the one in use. */
  adopted: z.boolean(),
  /**
   * Recognition only: why, in a few words, shown first under "Kept the current version" (main/embedder/adoption.ts,
   * the engine's decision itself): a gain shown before it read as thrown away (QA).
   */
  why: z.string().optional(),
  /** One sentence: why it was (not) adopted. */
  reason: z.string(),
  version: z.string().nullable(),
  before: ModelMetrics,
  after: ModelMetrics,
  /** Set when nothing was trained, as nothing changed since it last was: recognition's or the face studio's. */
  nothingNew: z.union([NothingNew, StudioNothingNew]).optional(),
});
export type TrainingResult = z.infer<typeof TrainingResult>;

/** A false-match rate in the words the CLI's verdict and the Training screen both use ("1 false match in 1,000"). */
export function falseMatchRate(far: number): string {
  return far > 0 && Number.isFinite(far) ? `1 false match in ${Math.round(1 / far).toLocaleString('en')}` : 'no false matches';
}

export const JobState = z.enum(['running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobInfo = z.object({
  id: z.string(),
  kind: JobKind,
  state: JobState,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: JobProgress.nullable(),
  /** The failure, one sentence, when state is 'failed'. */
  error: z.string().nullable(),
  /** ImportResult for 'import', TrainingResult for training jobs, Names*Result for names jobs, null while running. */
  result: z.union([ImportResult, TrainingResult, NamesExportResult, NamesImportResult, CopyPhotosResult, z.record(z.string(), z.unknown())]).nullable(),
  /**
   * Training jobs: the progress reports sent so far (the loss chart's points), so a window opened or reloaded
   * mid-training draws the epochs it did not see.
   */
  history: z.array(JobProgress).optional(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JobStarted = z.object({ jobId: z.string() });
/** `folders`: those of the paths that are folders, as the disk spells them: watched once the import ends. */
export const ImportStarted = JobStarted.extend({ folders: z.array(z.string()).optional() });

/** A birthday as stored: a whole date, a month or a year (preload/birthdays.ts). */
export const Birthday = z.string().regex(BIRTHDAY_PATTERN);
/** How old someone was in a photo (preload/birthdays.ts ageOn). */
export const Age = z.object({ years: z.int().min(0), months: z.int().min(0).max(11), approximate: z.boolean() });

export const PersonSummary = z.object({
  id: z.string(),
  /** null for an unnamed group the clustering found. */
  name: z.string().nullable(),
  faceCount: z.number(),
  photoCount: z.number(),
  coverFaceId: z.string().nullable(),
  cover: ImageRef.nullable(),
  hidden: z.boolean(),
  /**
   * How many faces the clustering placed with this person look unlike the faces the user confirmed as them: the
   * person page's "least alike first" notice (0 when nobody confirmed any of their faces).
   */
  toCheck: z.number(),
  /** How many of the faces the user placed here themselves (named, confirmed, moved): the rest Familiar placed. */
  confirmedCount: z.number(),
  /**
   * The faces may be two people (siblings grouped as one): the person page asks (people.twoPeople). Judged in the
   * background after each change, so false until judged; never for a hidden person.
   */
  mayBeTwoPeople: z.boolean(),
  /** When they were born, as precisely as the user said: "2019-05-03", "2019-05" or "2019" (preload/birthdays.ts); absent when not said. */
  birthday: Birthday.optional(),
  /**
   * An unnamed group's: the people most of its faces were said not to be (a No to "Is this <Name>?", a split off their
   * page), whose name the group is refused (main/people/decisions.ts): the name field shows them ruled out.
   */
  notPersonIds: z.array(z.string()).optional(),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const FaceSummary = z.object({
  id: z.string(),
  photoId: z.string(),
  box: Box,
  score: z.number(),
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  assignedBy: z.enum(['cluster', 'user']).nullable(),
  /** Autoencoder "is it a face" score; null before the autoencoder ran. */
  faceness: z.number().nullable(),
  /**
   * Why Familiar does not group this face on its own: too small, cut off by the photo's edge or too unclear to
   * recognise (models/face-quality.ts), or likely not a face at all (the autoencoder's faceness); null when fine.
   */
  unrecognisable: z.enum(['small', 'cut', 'unclear', 'not-a-face']).nullable(),
  thumb: ImageRef,
  /** How old the person was in the photo, from their birthday and the photo's date (photos.get only; absent when either is unknown). */
  age: Age.optional(),
  /**
   * The people and groups the face was said not to be (a "Not <Name>", a move away from them, a split), when any: the
   * photo viewer's name field shows their names ruled out.
   */
  notPersonIds: z.array(z.string()).optional(),
  /**
   * The names of those of notPersonIds who have one, in their order: "Who is this?" says whom the user said the face is
   * not, a person hidden or left with no face too (people.list leaves them out).
   */
  notPersonNames: z.array(z.string()).optional(),
  /**
   * Of notPersonIds, those the face was moved away from (a move to someone else, the decision log says), not said
   * not to be: the name field says so in those words, and "Who is this?" too. Filled where faces are shown to be named
   * (photos.get, faces.get, faces.ofPerson, unknown.queue, unknown.likely, faces.ambiguous, suggestions.forPerson,
   * who); absent elsewhere.
   */
  movedFromPersonIds: z.array(z.string()).optional(),
  /** The names of those of movedFromPersonIds who have one, in their order (as notPersonNames). */
  movedFromPersonNames: z.array(z.string()).optional(),
});
export type FaceSummary = z.infer<typeof FaceSummary>;

/** A box the user drew around a face: left, top, width and height in the photo's pixels (after EXIF rotation). */
export const DrawnBox = z.tuple([z.number().finite().min(0), z.number().finite().min(0), z.number().finite().positive(), z.number().finite().positive()]);
export const DrawnFace = z.object({
  face: FaceSummary,
  /** false: a face was already marked there; `face` is that face and nothing changed. */
  added: z.boolean(),
  /** The face added is the box as drawn: Familiar found no face in it, and kept it on the user's word. */
  undetected: z.boolean(),
  /** What happened, in a sentence or two. */
  description: z.string(),
  /** The face's marking, logged as a decision: the toast's Undo passes it (undo's onlyIfLatestId). null: nothing added. */
  decisionId: z.string().nullable().optional(),
});
export type DrawnFace = z.infer<typeof DrawnFace>;

export const FacePage = z.object({ total: z.number(), faces: z.array(FaceSummary) });
export type FacePage = z.infer<typeof FacePage>;

/**
 * How a person's page orders their faces: the user's own first; least like the user's confirmed faces first; or the
 * faces Familiar placed first (least alike first among them), to check its guesses and confirm them.
 */
export const PersonFaceOrder = z.enum(['confirmed-first', 'least-alike', 'unconfirmed-first']);
export type PersonFaceOrder = z.infer<typeof PersonFaceOrder>;

export const PersonFacePage = FacePage.extend({
  /**
   * How many of the person's faces look unlike the faces the user confirmed as them (farther than the same-person
   * distance, or in a photo where the user confirmed the person on another face); 0 when none is confirmed.
   */
  unlike: z.number(),
  /** Those faces' ids (at most MAX_IDS, least alike first), for marking and selecting them. */
  unlikeFaceIds: z.array(z.string()),
  /**
   * How many faces the user confirmed look unlike the other confirmed faces (farther than the same-person distance): a
   * confirmation can be wrong too. Not in `unlike` (the People card's "to check"); they follow those faces in the order.
   */
  unlikeConfirmed: z.number(),
  /** Those faces' ids (at most MAX_IDS, least alike first). */
  unlikeConfirmedFaceIds: z.array(z.string()),
});
export type PersonFacePage = z.infer<typeof PersonFacePage>;

/**
 * A named person merged into another, or an unnamed group that joined them (named with their name, a Yes to "Is this
 * <Name>?"), who can be separated again (people.separate).
 */
export const MergedPerson = z.object({
  personId: z.string(),
  /** null: a group that joined; separating makes its faces a group of their own again, marked not this person. */
  name: z.string().nullable(),
  /** When they were merged (ISO date-time). */
  at: z.string(),
  /** How many of the faces they brought are still here (not confirmed as this person since): the faces separating gives back. */
  faceCount: z.number(),
  /** A few of those faces, to show which. */
  faces: z.array(FaceSummary),
});
export type MergedPerson = z.infer<typeof MergedPerson>;

export const PersonDetail = PersonSummary.extend({
  /** How many candidate faces wait in this person's suggestions queue. */
  suggestionsCount: z.number(),
  /**
   * With a birthday: their faces in photos taken before it, by the photo's date (a camera's, or one its path states),
   * which are someone else's (an older sibling's baby photos) or dated by a clock set wrong. Ids at most MAX_IDS.
   */
  beforeBirth: z.object({ count: z.number(), faceIds: z.array(z.string()) }).optional(),
  /** Named people merged into this one, and groups that joined them, who can be separated again, newest merge first. */
  merged: z.array(MergedPerson),
  /** The user said these faces are one person, so whether they are two is not asked (people.askAgain takes it back). */
  onePerson: z.literal(true).optional(),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

/** A group whose faces look like two people: the faces that stay and those that would split off (a few of each shown). */
export const TwoPeople = z.object({
  stays: z.object({ count: z.number(), faces: z.array(FaceSummary) }),
  leaves: z.object({ count: z.number(), faces: z.array(FaceSummary) }),
  /**
   * The person merged in (PersonDetail.merged) whose faces are the part that leaves, or null: "Separate them again"
   * gives those faces back with their name, where a split would make a nameless group of them.
   */
  mergedPersonId: z.string().nullable(),
});
export type TwoPeople = z.infer<typeof TwoPeople>;
/** A part of a group as people.twoPeople showed it, given back with the name (people.rename's shownParts). */
const ShownPart = z.strictObject({ faceIds: IdList('face'), count: z.int().min(1) });
/** How a name typed for a group shown as two people is meant: for the part like the cover, or for all of it. */
const TwoPeopleAnswer = z.enum(['cover-part', 'one-person']);

export const Suggestion = z.object({
  face: FaceSummary,
  /** Embedding distance to the person; lower is more likely. */
  distance: z.number(),
  photo: ImageRef,
});
export type Suggestion = z.infer<typeof Suggestion>;

export const PhotoSummary = z.object({
  id: z.string(),
  width: z.number(),
  height: z.number(),
  /** When the camera took it (EXIF), an ISO instant; null when the file does not say. */
  takenAt: z.string().nullable(),
  /**
   * With takenAt: the UTC offset, in minutes, of the camera's clock where it was taken (takenAt plus this is the time
   * the camera showed), which its date and month are shown in wherever the viewer is, as Apple and Google Photos do.
   * null when not known (a photo imported before Familiar kept it): shown in the viewer's own zone then.
   */
  takenOffset: z.int().min(-24 * 60).max(24 * 60).nullable(),
  /**
   * Whether the photo itself said takenOffset (EXIF OffsetTimeOriginal or a like tag): only then is it where it was taken.
   * Otherwise it is the importing machine's zone, which gives the camera's clock back as written, but says nothing of where.
   */
  takenOffsetKnown: z.boolean(),
  /**
   * Without a camera date, the date the grid sorts and groups it by instead, and says where it is from (fileDateFrom):
   * a date its file name states, a year, month or day a folder's name states, or the file's modification time (the
   * earliest of its paths'); null when it has a camera date or none of these is known ("No date").
   */
  fileDate: z.string().nullable(),
  /**
   * With fileDate, where it is from (main/api/photo-dates.ts). 'file': the file's time, an instant shown in the viewer's
   * zone; with `folder`, the folder whose year, month or day it falls in, written on the clock of the machine that read
   * it, as UTC, and shown on that clock (inside the folder's date in every zone). 'name' and 'folder': the
   * clock the file name or the folder (`folder`, "2015" or "2015/06") states, written as UTC and shown on that clock;
   * `knownTo` says how much of it is known: a photo known only to its year shows as "2015", not as a day.
   */
  fileDateFrom: z
    .object({ source: z.enum(['name', 'folder', 'file']), knownTo: z.enum(['day', 'month', 'year']), folder: z.string().nullable() })
    .nullable(),
  missing: z.boolean(),
  faceCount: z.number(),
  /** The names of the people in it, left to right, once each: what a screen reader says of the photo. */
  people: z.array(z.string()),
  preview: ImageRef,
  /**
   * Where the faces are (the middle of the box around them all, as shares of the width and height): a square
   * thumbnail of a portrait photo is cropped around them, not around the middle. null without faces.
   */
  focus: z.object({ x: z.number(), y: z.number() }).nullable(),
});
export type PhotoSummary = z.infer<typeof PhotoSummary>;

export const PhotoPage = z.object({ total: z.number(), photos: z.array(PhotoSummary) });
export type PhotoPage = z.infer<typeof PhotoPage>;

/**
 * A run of photos.list's photos taken in one month: 'YYYY-MM' on the camera's clock where the photo says its offset
 * (PhotoSummary.takenOffset), else in the time zone asked for (the renderer's, where a photo's tile says its date), else
 * the engine's; 'YYYY' for photos known only to their year (PhotoSummary.fileDateFrom), after that year's months; null
 * for the photos with no date, which come last. The runs follow the order of photos.list asked
 * with the same time zone (sorted on the same clocks), so their counts say where each month starts in it.
 */
export const TimelineMonth = z.object({
  month: z.string().regex(/^\d{4}(-\d{2})?$/).nullable(),
  count: z.int().min(1),
  /** Every photo of the run is dated by its file's time alone (a copy's date, not when it was taken): no age is said of it. */
  fileTimesOnly: z.literal(true).optional(),
});
export type TimelineMonth = z.infer<typeof TimelineMonth>;

/** A folder of the photos' (photos.folders): an id, never a path the renderer could ask for. */
export const FolderId = z.string().regex(/^[0-9a-f]{16}$/, 'A folder id is 16 hexadecimal digits, as photos.folders gives it.');

/**
 * A folder the library's photos are in, under the folders imported (main/api/folders.ts): known from the photos'
 * paths, not from the disk. A folder with no photo of its own is there when a subfolder has some.
 */
export const PhotoFolder = z.object({
  id: FolderId,
  name: z.string(),
  /** Its path from the imported folder it is in ("2020/Christmas"); '' for that folder itself. */
  path: z.string(),
  /** An imported folder's place on disk, as library.info lists it; null for the folders inside one. */
  location: z.string().nullable(),
  /** The folder it is in; null for an imported folder. */
  parentId: FolderId.nullable(),
  depth: z.int().min(0),
  /** How many folders are directly in it. */
  subfolders: z.int().min(0),
  /** Photos directly in it, and in it with its subfolders (each photo once, however many copies it has there). */
  photos: z.int().min(0),
  total: z.int().min(0),
});
export type PhotoFolder = z.infer<typeof PhotoFolder>;

/** photos.list's and photos.timeline's folder filter: the photos in one folder, with its subfolders' unless `subfolders` is false. */
const InFolder = {
  folderId: FolderId.optional(),
  subfolders: z.boolean().optional(),
};

/**
 * An IANA time zone, as `Intl.DateTimeFormat().resolvedOptions().timeZone` names the renderer's ("Europe/Paris"):
 * the photos' months are the user's, and `familiar serve` may run in another zone. Checked against the engine's Intl.
 */
export const TimeZone = z
  .string()
  .max(64, { abort: true })
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { error: (issue) => `must be a time zone such as "Europe/Paris" (${JSON.stringify(issue.input)} is not one Familiar knows)` },
  );

export const PhotoDetail = PhotoSummary.extend({
  paths: z.array(z.string()),
  format: z.string(),
  bytes: z.number(),
  image: ImageRef,
  /** The photo with more pixels than `image` holds, for zooming in on a small face; null when `image` holds them all. */
  fullImage: ImageRef.nullable(),
  faces: z.array(FaceSummary),
  /**
   * The photo this one is a copy of, resized or saved again (its faces go with that photo's: main/library/copies.ts),
   * and the photos that are copies of this one; by id and main path.
   */
  copyOf: z.object({ photoId: z.string(), path: z.string().nullable() }).nullable().optional(),
  copies: z.array(z.object({ photoId: z.string(), path: z.string().nullable() })).optional(),
});
export type PhotoDetail = z.infer<typeof PhotoDetail>;

export const WhoCandidate = z.object({ personId: z.string(), name: z.string().nullable(), distance: z.number() });
export const WhoResult = z.object({
  photoId: z.string(),
  faces: z.array(
    z.object({
      face: FaceSummary,
      /** The best named person within the threshold, or null for "unknown". */
      best: WhoCandidate.nullable(),
      candidates: z.array(WhoCandidate),
    }),
  ),
});
export type WhoResult = z.infer<typeof WhoResult>;

export const AmbiguousFace = z.object({
  face: FaceSummary,
  /** The two nearest named people, nearest first, each with its face nearest this one (shown: `person.cover`). */
  candidates: z
    .array(z.object({ person: PersonSummary, distance: z.number(), nearestFace: ImageRef }))
    .length(2),
  /** Runner-up distance minus nearest distance: the smaller, the less sure. */
  margin: z.number(),
  /** Farther than the same-person distance from both: most likely someone else, asked as "A, B or someone else?". */
  closeToNeither: z.boolean(),
});
export type AmbiguousFace = z.infer<typeof AmbiguousFace>;

/**
 * The named person an unnamed group on "Who is this?" lies close to without having been placed with them ("Is this
 * <Name>?"): nearest by the distance of most of its faces, never someone the user said it is not, never someone with a
 * face in one of its photos (main/people/group-candidates.ts).
 */
export const GroupMaybe = z.object({
  personId: z.string(),
  name: z.string(),
  /** The group-to-person distance (the median of its faces' distances to the person's nearest face). */
  distance: z.number(),
  /** The person's picture (their cover, as every screen shows them): shown beside the group's faces. */
  face: ImageRef,
});
export type GroupMaybe = z.infer<typeof GroupMaybe>;

/**
 * Whom a name typed for a group would join, when someone has it already (main/people/name-join.ts): the app asks "Is
 * this the same person?" first when the group does not look like them (`looksAlike` false), or when they appear
 * together in a photo. `face`: the person's picture (their cover), shown beside the group's `groupFace`.
 */
export const Namesake = z.object({
  personId: z.string(),
  name: z.string(),
  faceCount: z.number(),
  together: z.number(),
  looksAlike: z.boolean(),
  /**
   * The group-to-person distance "Is this <Name>?" measures; null when most faces were said not to be them (the name is
   * refused then, in its own words: nothing to ask) or the person has no face to compare.
   */
  distance: z.number().nullable(),
  face: ImageRef.nullable(),
  groupFace: ImageRef.nullable(),
});
export type Namesake = z.infer<typeof Namesake>;

/**
 * What "Who is this?" asks of a loose face (one in no group): "Is this <Name>?" when a named person's suggestions would
 * offer it, in the group's shape (`face`: the person's picture), and the named people nearest it, nearest
 * first, whom the name field lists first (main/people/face-candidates.ts).
 */
export const FaceMaybe = z.object({ maybe: GroupMaybe.nullable(), nearPersonIds: z.array(z.string()) });
export type FaceMaybe = z.infer<typeof FaceMaybe>;

/**
 * The items of "Who is this?" a named person is likely to be, each nearest first: the unnamed groups unknown.maybe asks
 * "Is this <Name>?" about and the faces in no group unknown.faceMaybe does (main/people/likely-questions.ts). The
 * screen asks about them before the groups and faces nobody named is near.
 */
export const LikelyItems = z.object({
  groups: z.array(z.object({ groupId: z.string(), personId: z.string(), distance: z.number() })),
  faces: z.array(z.object({ face: FaceSummary, personId: z.string(), distance: z.number() })),
});
export type LikelyItems = z.infer<typeof LikelyItems>;

/** A few faces of a group shown with a question, and how many it has: the answer is about those. */
const FacesShown = z.object({ faces: z.array(FaceSummary), count: z.number() });

/**
 * Two unnamed groups on "Who is this?" that look like one person ("Are these the same person?"): the other group
 * nearest this one, each way by the distance of most of its faces, never a pair the user said No about, never two
 * groups in one photo (main/people/same-person.ts).
 */
export const SamePersonMaybe = z.object({
  other: PersonSummary,
  /** The farther of the two group-to-group distances: smaller is surer. */
  distance: z.number(),
  /** A few faces of each group, the one nearest the other first: shown side by side. */
  groupFaces: FacesShown,
  otherFaces: FacesShown,
});
export type SamePersonMaybe = z.infer<typeof SamePersonMaybe>;

export const SameResult = z.object({ distance: z.number(), threshold: z.number(), same: z.boolean() });
export type SameResult = z.infer<typeof SameResult>;

export const OperationResult = z.object({
  /** One sentence saying what changed, for the undo toast. */
  description: z.string(),
  personIds: z.array(z.string()),
  faceIds: z.array(z.string()),
  /**
   * The decision logged: the toast's Undo passes it (undo's onlyIfLatestId), so it takes back this one or nothing.
   * null: the answer changed nothing ("marked not X already"), and its Undo has nothing to take back.
   */
  decisionId: z.string().nullable().optional(),
});
export type OperationResult = z.infer<typeof OperationResult>;

/**
 * undone: the decision taken back, as it was described (null when there was none); message: what came back, in words
 * for the user ("Rose Leslie" is back, with 3 faces.), which the app's toast and `familiar undo` say, followed by what
 * undo passed over (a removal of photos, decisions whose faces it took); with undone null, only that, or null.
 */
export const UndoResult = z.object({ undone: z.string().nullable(), message: z.string().nullable() });
/** redone: the decision made again, null when nothing was undone. */
export const RedoResult = z.object({
  redone: z.string().nullable(),
  /** The decision made again, as a new decision: the toast's Undo passes it (undo's onlyIfLatestId). null: nothing redone. */
  decisionId: z.string().nullable().optional(),
});

export const GeneratedImage = z.object({ image: ImageRef, label: z.string() });
export const InterpolationResult = z.object({
  frames: z.array(GeneratedImage.extend({ t: z.number() })),
  mode: z.enum(['slerp', 'lerp']),
});
export type InterpolationResult = z.infer<typeof InterpolationResult>;
export const ArithmeticResult = z.object({ base: ImageRef, result: ImageRef });
export const DenoiseResult = z.object({ original: ImageRef, noisy: ImageRef.nullable(), restored: ImageRef });

export const ModelVersion = z.object({
  version: z.string(),
  createdAt: z.string(),
  faces: z.number(),
  people: z.number(),
  metrics: ModelMetrics,
  /**
   * Recognition: the version in use when this one was trained ("raw", "v1"), measured on the same set-aside faces and
   * pairs as `metrics`, the comparison that adopted it. Each version is measured on the faces set aside at its own
   * training, so two versions' `metrics` are not comparable: v2 read 98 % against v1's 99 % though it matched 245 of 250
   * pairs where v1 matched 225 of the same (QA).
   */
  comparedWith: z.object({ version: z.string(), metrics: ModelMetrics }).optional(),
  inUse: z.boolean(),
  /** What kind of model it is, when versions can differ in it (the face studio's "variational"). */
  kind: z.string().optional(),
  /** Face studio: the passes over its faces it was trained for (few draw grey noise; the Studio says so). */
  epochs: z.number().optional(),
  /** Face studio: whether its drawings of the held-out faces were measured much alike (grey blobs); absent: not measured. */
  drawsMuchAlike: z.boolean().optional(),
});
export type ModelVersion = z.infer<typeof ModelVersion>;
/**
 * A model's last training run, cut short when Familiar closed or crashed during it (main/api/training-runs.ts): the
 * pass it was at, of the passes planned (null before its first pass), and when it started.
 */
export const InterruptedTraining = z.object({
  pass: z.number().int().nullable(),
  passes: z.number().int().nullable(),
  startedAt: z.string(),
  cause: z.enum(['closed', 'crashed']),
});
export type InterruptedTraining = z.infer<typeof InterruptedTraining>;
export const ModelsList = z.object({
  embedder: z.array(ModelVersion),
  autoencoder: z.array(ModelVersion),
  /** 'raw' when the pretrained backbone is used without a head. */
  embedderInUse: z.string(),
  /** The recognition version in use cannot be loaded (its files lost or damaged), in a sentence: a switch mends it. */
  embedderProblem: z.string().optional(),
  autoencoderInUse: z.string().nullable(),
  /** Each model whose last training was interrupted (none: absent), until it is trained again. */
  interrupted: z.object({ embedder: InterruptedTraining.optional(), autoencoder: InterruptedTraining.optional() }).optional(),
});
export type ModelsList = z.infer<typeof ModelsList>;
/**
 * How a recognition version would keep the groups nobody named that the version in use keeps as one person
 * (main/embedder/unseen-groups.ts, the check training adopts by): of `keptWhole` such groups, `torn` it would split
 * (`tornSizes`: their faces, largest first). Switching regroups every face, so each is a person nobody named torn apart.
 */
export const UnnamedGroupsCheck = z.object({
  groups: z.int().min(0),
  keptWhole: z.int().min(0),
  torn: z.int().min(0),
  tornSizes: z.array(z.int().min(1)),
});
export type UnnamedGroupsCheck = z.infer<typeof UnnamedGroupsCheck>;
export const SwitchCheck = z.object({ version: z.string(), unnamedGroups: UnnamedGroupsCheck });
export type SwitchCheck = z.infer<typeof SwitchCheck>;

/**
 * What a switch to `version` would do to the groups nobody named, in the words `familiar models use` and the Training
 * screen's Use dialog both say: "Recognition v1 would split 1 of the 34 unnamed groups the recognition in use keeps as
 * one person (a group of 10 faces)". Null when it splits none.
 */
export function unnamedGroupsSplitSentence(version: string, check: UnnamedGroupsCheck): string | null {
  if (check.torn === 0) return null;
  const sizes = check.tornSizes;
  const listed = (n: readonly number[]) => (n.length === 1 ? String(n[0]) : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`);
  const faces =
    sizes.length === 1
      ? `a group of ${plural(sizes[0], 'face')}`
      : sizes.length <= 3
        ? `groups of ${listed(sizes)} faces`
        : `${plural(sizes.reduce((sum, n) => sum + n, 0), 'face')} in all; the largest groups hold ${listed(sizes.slice(0, 3))}`;
  const what = version === 'raw' ? 'Recognition as shipped' : `Recognition ${version}`;
  return (
    `${what} would split ${check.torn} of the ${plural(check.keptWhole, 'unnamed group')} the recognition in use keeps as one person (${faces}): ` +
    `regrouping on it would tear ${check.torn === 1 ? 'that person' : 'those people'} apart.`
  );
}

const SettingValue = z.union([z.number().finite(), z.boolean(), z.string().max(1000)]);
const SettingKey = z.string().min(1).max(64).regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'Not a setting name.');
export const Settings = z.record(z.string(), SettingValue);
export type Settings = z.infer<typeof Settings>;

const FaceOrPerson = z.union([z.strictObject({ faceId: FaceId }), z.strictObject({ personId: PersonId })]);

// ---------------------------------------------------------------------------------------------------------------
// Calls. `args` validates (and normalizes) what the renderer sends; `result` describes what main answers.

const call = <A extends z.ZodType, R extends z.ZodType>(args: A, result: R, summary: string) => ({ args, result, summary });
const NoArgs = z.strictObject({}).default({});

export const calls = {
  'library.info': call(NoArgs, LibraryInfo, 'Where the library is, its counts and imported folders.'),
  'library.opening': call(NoArgs, z.object({ opening: z.boolean() }), 'Whether the library is still opening: the desktop window shows before it has, and its calls wait.'),
  'library.doctor': call(NoArgs, DoctorReport, 'Backend, model files, library checks.'),
  'dialog.chooseFolders': call(NoArgs, z.object({ paths: z.array(z.string()) }), 'Desktop only: the OS folder picker.'),

  'import.start': call(z.strictObject({ paths: z.array(AbsolutePath).min(1).max(MAX_PATHS) }), ImportStarted, 'Import folders or files.'),
  'import.check': call(
    z.strictObject({ paths: z.array(AbsolutePath).min(1).max(MAX_PATHS) }),
    z.object({ folders: z.array(z.string()) }),
    'Whether import.start would take these paths now, refused with why as it would be; imports nothing. The folders among them, as the disk spells them.',
  ),
  'library.folderRemovalPlan': call(z.strictObject({ path: AbsolutePath }), FolderRemovalPlan, 'What removing a folder from the library would take with it; changes nothing.'),
  'library.removeFolder': call(
    z.strictObject({ path: AbsolutePath }),
    JobStarted,
    'Take a folder out of the library: its photos (unless a copy is elsewhere), their faces and the names on them go, and it is no longer watched; the files stay on disk.',
  ),
  'library.stopWatching': call(
    z.strictObject({ path: AbsolutePath }),
    z.object({ folders: z.array(z.string()) }),
    'Stop watching a folder for new photos; its photos stay in the library (those missing from disk too, with their names). Answers the folders still watched.',
  ),
  'library.missingRemovalPlan': call(NoArgs, FolderRemovalPlan, 'What forgetting the photos missing from disk would take with it; changes nothing.'),
  'library.removeMissing': call(NoArgs, JobStarted, 'Forget the photos missing from disk (deleted or moved outside Familiar), their faces and the names on them.'),
  'import.lookAgain': call(NoArgs, JobStarted, 'Analyse again the photos an earlier version analysed, to find the faces it missed; faces found before keep their names.'),
  'recluster.start': call(NoArgs, JobStarted, 'Re-cluster every face, keeping every user decision.'),
  'names.export': call(
    z
      .strictObject({ to: AbsolutePath.optional(), confirmedOnly: z.boolean().default(true) })
      .default({ confirmedOnly: true }),
    JobStarted,
    'Write the names as XMP face regions beside each photo (or under `to`) for other apps; never a photo, never another app\'s sidecar. Only confirmed faces unless confirmedOnly is false.',
  ),
  'names.import': call(
    z.strictObject({ from: AbsolutePath.optional() }).default({}),
    JobStarted,
    'Name faces from the XMP face regions and people keywords other apps wrote (and a folder an export wrote to, `from`), Picasa\'s .picasa.ini files (its contacts.xml in `from`) and Google Takeout\'s people lists; one undoable decision.',
  ),
  'jobs.list': call(NoArgs, z.array(JobInfo), 'Running and recent jobs.'),
  'jobs.cancel': call(z.strictObject({ jobId: JobId }), z.object({ cancelled: z.boolean() }), 'Stop a job cleanly.'),

  'people.list': call(
    z.strictObject({ includeHidden: z.boolean().default(false), namedOnly: z.boolean().default(false) }).default({ includeHidden: false, namedOnly: false }),
    z.array(PersonSummary),
    'People and unnamed groups, largest first.',
  ),
  'people.get': call(z.strictObject({ personId: PersonId }), PersonDetail, 'One person.'),
  'people.rename': call(
    z.strictObject({
      personId: PersonId,
      name: PersonName,
      /** Faces of the group the user clicked as someone else: they leave it, marked not it, in the same decision. */
      leftOutFaceIds: IdList('face').optional(),
      /**
       * A group that looks like two people (people.twoPeople): 'cover-part' names the faces like the cover and makes
       * the others a group of their own, marked "not" nobody; 'one-person' names them all and stops the question.
       */
      twoPeople: TwoPeopleAnswer.optional(),
      /**
       * With twoPeople: the parts as people.twoPeople showed them (faces shown, and how many each had). The name is
       * refused if they are not the group's parts now, or the group changed before the decision, as unknown.answer is.
       */
      shownParts: z.strictObject({ stays: ShownPart, leaves: ShownPart }).optional(),
      /**
       * The name is someone else's and the user answered "Is this the same person?" (people.namesake: the faces do not
       * look like them) with yes: the group joins them and "may these be two people?" is answered for the person.
       */
      sameAsNamesake: z.literal(true).optional(),
    }),
    OperationResult,
    'Name or rename a person or group, less leftOutFaceIds (its faces, not all), marked not theirs: one undoable decision.',
  ),
  'people.merge': call(
    z.strictObject({ intoId: PersonId, fromIds: IdList('person') }),
    OperationResult,
    'Merge people into one; the merged keep the target\'s name.',
  ),
  'people.hide': call(
    z.strictObject({ personIds: IdList('person'), hidden: z.boolean() }),
    OperationResult,
    'Hide or show people. Several in one undoable decision, so one undo takes it all back.',
  ),
  'people.setBirthday': call(
    z.strictObject({
      personId: PersonId,
      /** As the user wrote it ("3 May 2019", "2019-05", "2019"; preload/birthdays.ts readBirthday), or null to clear it. */
      birthday: z.string().max(64).nullable(),
    }),
    OperationResult,
    'Set or clear when a person was born: a whole date, a month or a year. One undoable decision.',
  ),
  'people.setCover': call(z.strictObject({ personId: PersonId, faceId: FaceId }), OperationResult, 'Choose the cover face.'),
  'people.delete': call(
    z.strictObject({ personIds: IdList('person') }),
    OperationResult,
    'Delete people; their faces return to unknown. Several in one undoable decision, so one undo brings them all back.',
  ),
  'people.twoPeople': call(z.strictObject({ personId: PersonId }), TwoPeople.nullable(), 'Whether a group\'s faces look like two people, and how they would split; null when not.'),
  'people.split': call(z.strictObject({ personId: PersonId }), OperationResult, 'Split a group that looks like two people: the part people.twoPeople calls "leaves" becomes a new group.'),
  'people.namesake': call(
    z.strictObject({
      personId: PersonId,
      name: PersonName,
      /** As people.rename's: the faces the name would go to are judged, not those left out or the other part. */
      leftOutFaceIds: IdList('face').optional(),
      twoPeople: TwoPeopleAnswer.optional(),
    }),
    Namesake.nullable(),
    'Whom naming this group `name` would join, whether its faces look like them, and photos of both; null when nobody else has the name.',
  ),
  'people.together': call(
    // As many as a merge takes (IdList): past MAX_PAGE the check failed, and a merge of 600 went on unasked (QA).
    z.strictObject({ personIds: z.array(PersonId).min(2).max(MAX_IDS) }),
    z.object({ photos: z.number() }),
    'How many photos show faces of two or more of these people: asked before a merge, since one person is in a photo once.',
  ),
  'people.keepAsOne': call(z.strictObject({ personId: PersonId }), OperationResult, '"They are one person": a group that looked like two is not asked about again.'),
  'people.askAgain': call(
    z.strictObject({ personId: PersonId }),
    OperationResult,
    'Take back "one person" (PersonDetail.onePerson): the faces "Don\'t ask again" confirmed are guesses again, and whether they are two people is asked again.',
  ),
  'people.separate': call(
    z.strictObject({ personId: PersonId, mergedId: PersonId }),
    OperationResult,
    '"Separate again": a named person merged into this one (people.get\'s merged) gets back the faces that were theirs at the merge, however long ago; a group that joined them is a group of its own again, its faces marked not this person. Later decisions stand. Undoable.',
  ),
  'people.current': call(
    z.strictObject({ personIds: IdList('person') }),
    z.object({ personIds: z.array(z.string().nullable()) }),
    'Each person id as it stands now, in order: the same id, the person it was merged into (followed through later merges), or null for a person gone (deleted, or a group the regrouping dissolved). For links and filters that hold ids.',
  ),

  'faces.get': call(z.strictObject({ faceId: FaceId }), FaceSummary, 'One face.'),
  'faces.ofPerson': call(
    z.strictObject({ personId: PersonId, offset: Offset, limit: Limit, order: PersonFaceOrder.default('confirmed-first') }),
    PersonFacePage,
    'A page of one person\'s faces, the user\'s own first or least alike first, and which of them look unlike the person.',
  ),
  'faces.name': call(
    z.strictObject({ faceIds: IdList('face'), name: PersonName }),
    OperationResult,
    'Give faces a name: joins the person of that name, or enrols a new one.',
  ),
  'faces.move': call(z.strictObject({ faceIds: IdList('face'), personId: PersonId }), OperationResult, 'Move faces to another person.'),
  'faces.reject': call(
    z.strictObject({ faceIds: IdList('face'), personId: PersonId, alsoNotPersonIds: z.array(PersonId).max(15).optional() }),
    OperationResult,
    '"Not this person"; with alsoNotPersonIds, "neither of them" ("Which one?") in one undoable decision. Remembered forever.',
  ),
  'faces.confirm': call(z.strictObject({ faceIds: IdList('face'), personId: PersonId }), OperationResult, 'Confirm faces belong to a person.'),
  'faces.ignore': call(z.strictObject({ faceIds: IdList('face') }), OperationResult, '"Don\'t ask about these faces" (strangers, posters): unknown for good, out of "Who is this?"; undoable.'),
  'faces.notAFace': call(
    z.strictObject({ faceIds: IdList('face') }),
    OperationResult,
    '"Not a face": boxes around no face (a pattern, a pet) are shown and counted nowhere, and an analysis does not bring them back; undoable.',
  ),
  'faces.addDrawn': call(
    z.strictObject({ photoId: PhotoId, box: DrawnBox }),
    DrawnFace,
    'Look for a face the import missed inside a box the user drew, and add it to the photo (placed with the person it clearly belongs to); where no face is found, the box itself is kept as the face. An error only for a box too small or outside the photo.',
  ),
  'faces.review': call(z.strictObject({ offset: Offset, limit: Limit }), FacePage, 'Detections the autoencoder doubts are faces.'),

  'suggestions.forPerson': call(
    z.strictObject({ personId: PersonId, limit: z.int().min(1).max(MAX_PAGE).default(50) }),
    z.array(Suggestion),
    'Ranked candidate faces to confirm or reject.',
  ),
  'faces.ambiguous': call(
    z.strictObject({ limit: z.int().min(1).max(MAX_PAGE).default(50) }),
    z.object({ total: z.number(), faces: z.array(AmbiguousFace) }),
    '"Is this A or B?": faces near two named people, least sure first.',
  ),
  'unknown.queue': call(
    z.strictObject({ offset: Offset, limit: Limit }),
    z.object({ groups: z.array(PersonSummary), faces: FacePage }),
    'Unnamed groups (largest first) and unassigned faces.',
  ),
  'unknown.likely': call(
    NoArgs,
    LikelyItems,
    'The unnamed groups and faces in no group that a named person is likely to be, nearest first: "Who is this?" asks about them before the others. One scan of the library (seconds in a large one), kept until it changes.',
  ),
  'unknown.maybe': call(
    z.strictObject({ groupId: PersonId }),
    GroupMaybe.nullable(),
    '"Is this <Name>?": the named person an unnamed group may be, or null. One group at a time: each takes up to 16 index searches.',
  ),
  'unknown.faceMaybe': call(
    z.strictObject({ faceId: FaceId }),
    FaceMaybe,
    '"Is this <Name>?" about a face in no group (the named person whose suggestions would offer it, or null; answered with faces.confirm or faces.reject), and the named people nearest it, those it was said not to be last (naming it takes that back). One index search.',
  ),
  'unknown.nearPeople': call(
    z.strictObject({ groupId: PersonId }),
    z.object({ personIds: z.array(z.string()) }),
    'The named people nearest an unnamed group\'s cover face, nearest first: the name field lists them first. One index search.',
  ),
  'unknown.answer': call(
    z.strictObject({
      groupId: PersonId,
      personId: PersonId,
      same: z.boolean(),
      /** The group's faces the screen showed, and how many it had: the answer is refused if the group has changed since. */
      faceIds: IdList('face'),
      faceCount: z.int().min(1),
      /** Faces shown that the user clicked as someone else: a Yes leaves them out of the group, in the same decision. */
      leftOutFaceIds: IdList('face').optional(),
    }),
    OperationResult,
    '"Is this <Name>?" about an unnamed group, as shown (faceIds, faceCount; refused if it changed since): same joins the group to the person (a merge) less leftOutFaceIds, marked not the group\'s; not same marks its faces "not <Name>", so it is not asked again. One undoable decision.',
  ),
  'unknown.samePerson': call(
    z.strictObject({ groupId: PersonId }),
    SamePersonMaybe.nullable(),
    '"Are these the same person?": the unnamed group that looks like this unnamed group\'s person, with a few faces of each, or null. One group at a time.',
  ),
  'unknown.samePersonAnswer': call(
    z.strictObject({
      groupId: PersonId,
      otherId: PersonId,
      same: z.boolean(),
      /** The faces of each group the screen showed, and how many each had: refused if either changed since. */
      shown: z.strictObject({ group: ShownPart, other: ShownPart }),
    }),
    OperationResult,
    '"Are these the same person?" about two unnamed groups, as shown: same merges them (the smaller into the larger); not same marks the smaller group\'s faces not the larger, so the pair is not asked again. One undoable decision.',
  ),

  'photos.list': call(
    z.strictObject({
      personIds: z.array(PersonId).max(50).default([]),
      only: z.boolean().default(false),
      offset: Offset,
      limit: Limit,
      /** The renderer's, as photos.timeline's: the order is by the clock each photo's date is shown and counted on. */
      timeZone: TimeZone.optional(),
      ...InFolder,
    }),
    PhotoPage,
    'Photos with all these people (AND); with only, nobody else; with folderId, in that folder (photos.folders). Newest first, on the clock photos.timeline counts months on for the same time zone.',
  ),
  'photos.timeline': call(
    z.strictObject({ personIds: z.array(PersonId).max(50).default([]), only: z.boolean().default(false), timeZone: TimeZone.optional(), ...InFolder }),
    z.array(TimelineMonth),
    'The months of the photos photos.list gives for these people (and folder), newest first, and how many each holds: month headings and a date scrubber without fetching every photo.',
  ),
  'photos.folders': call(
    z.strictObject({ personIds: z.array(PersonId).max(50).default([]), only: z.boolean().default(false) }).default({ personIds: [], only: false }),
    z.array(PhotoFolder),
    "The folders the photos are in, under the folders imported, each before its subfolders (by name), with its photo counts: the Photos screen's folder view. With personIds (and only), the counts are of the photos photos.list gives for them; every folder is still listed.",
  ),
  'photos.get': call(
    // The zone the photo's day is read in where its camera did not say (faces' `age`), as photos.list's.
    z.strictObject({ photoId: PhotoId, timeZone: TimeZone.optional() }),
    PhotoDetail,
    'One photo with its faces.',
  ),
  'photos.showInFolder': call(
    z.strictObject({ photoId: PhotoId }),
    z.object({ path: z.string() }),
    "Desktop only: opens the system's file manager on the photo's file (the first of its paths still on disk). By id, never by path: a page cannot make the window show a file the library does not hold.",
  ),
  'photos.copyTo': call(
    z.strictObject({ personIds: z.array(PersonId).max(50).default([]), only: z.boolean().default(false), to: AbsolutePath, ...InFolder }),
    JobStarted,
    "Copy the photos photos.list gives for these people (and folder) into the folder `to`, made when missing, as they are on disk with their file dates (a CopyPhotosResult). Again into the same folder, a photo already there is not copied twice; two photos with one name become \"x.jpg\" and \"x (2).jpg\". The library's own folder is refused.",
  ),
  'photos.notCopy': call(
    z.strictObject({ photoId: PhotoId }),
    OperationResult,
    '"Not a copy": a photo taken for a resized copy of another is a photo of its own again (their faces no longer follow each other); undoable.',
  ),
  who: call(z.strictObject({ photoId: PhotoId }), WhoResult, 'Who is in this photo.'),
  same: call(z.strictObject({ faceA: FaceId, faceB: FaceId }), SameResult, 'Are these two faces the same person.'),
  undo: call(
    z
      .strictObject({
        onlyIfLatestIs: z.enum(['import-names', 'split', 'reject', 'add-face']).optional(),
        onlyIfLatestId: z.string().min(1).max(200).optional(),
      })
      .default({}),
    UndoResult,
    'Undo the most recent decision; with onlyIfLatestIs, only if it is that kind; with onlyIfLatestId, only if it is that decision (an OperationResult\'s decisionId), as another window may have decided since. Else an error, nothing undone.',
  ),
  redo: call(
    NoArgs,
    RedoResult,
    'Make the most recently undone decision again, as a new decision (undoable); refused when something was decided since that undo.',
  ),

  'studio.interpolate': call(
    z.strictObject({ from: FaceOrPerson, to: FaceOrPerson, steps: z.int().min(INTERPOLATION_STEPS.min).max(INTERPOLATION_STEPS.max).default(8) }),
    InterpolationResult,
    'The autoencoder\'s strip between two faces or people.',
  ),
  'studio.arithmetic': call(
    z.strictObject({
      base: FaceId,
      add: z.array(FaceId).min(1).max(100),
      sub: z.array(FaceId).max(100).default([]),
      strength: z.number().min(0).max(3).default(1),
    }),
    ArithmeticResult,
    'base + strength x (mean(add) - mean(sub)) in latent space.',
  ),
  'studio.denoise': call(
    z.strictObject({ faceId: FaceId, noise: z.number().min(0).max(1).default(0.1) }),
    DenoiseResult,
    'A face before and after the denoiser (noise 0 restores the crop as it is).',
  ),

  'training.embedder.start': call(
    z
      .strictObject({
        epochs: z.int().min(TRAINING_LIMITS.epochs.min).max(TRAINING_LIMITS.epochs.max).optional(),
        margin: z.number().min(TRAINING_LIMITS.margin.min).max(TRAINING_LIMITS.margin.max).optional(),
        /** Train even with nothing new since the model in use was trained (else the job says so and stops at once). */
        anyway: z.boolean().optional(),
      })
      .default({}),
    JobStarted,
    'Train the embedding head on confirmed faces.',
  ),
  'training.autoencoder.start': call(
    z
      .strictObject({
        epochs: z.int().min(TRAINING_LIMITS.epochs.min).max(TRAINING_LIMITS.epochs.max).optional(),
        variational: z.boolean().optional(),
        /**
         * Exactly `epochs` passes. Else those are the least: it adds passes while it has drawn too few faces or its
         * drawings are much alike, up to the cap (MAX_PASSES_UNTIL_DRAWN in models/autoencoder/train.ts).
         */
        exact: z.boolean().optional(),
        /** Train even when a version learnt from the same faces with the same settings (else the job says so and stops at once). */
        anyway: z.boolean().optional(),
      })
      .default({}),
    JobStarted,
    'Train the denoising autoencoder on the library\'s face crops.',
  ),
  'models.list': call(NoArgs, ModelsList, 'Model versions and the ones in use.'),
  'models.use': call(
    z.strictObject({
      kind: z.enum(['embedder', 'autoencoder']),
      version: Id,
      /** Recognition: switch even to a version that would split groups nobody named (models.checkUse says which); else refused. */
      anyway: z.boolean().optional(),
    }),
    ModelsList,
    'Adopt or roll back to a version (embedder: "raw" for no head).',
  ),
  'models.checkUse': call(
    z.strictObject({ version: Id }),
    SwitchCheck,
    'What switching recognition to a version would do to the groups nobody named, before it is asked for.',
  ),

  'settings.get': call(NoArgs, Settings, 'Current settings.'),
  'settings.set': call(
    // Any value here: the engine says which settings change and to what, so a read-only one (watchedFolders, a list)
    // is refused in its words rather than as "Invalid input".
    z.strictObject({ values: z.record(SettingKey, z.union([SettingValue, z.unknown().refine((v) => typeof v !== 'number', 'Not a finite number.')])).refine((v) => Object.keys(v).length <= 64, 'At most 64 settings at once.') }),
    Settings,
    'Change some settings; answers all of them.',
  ),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
/** What the renderer passes (defaults may be omitted). */
export type CallArgs<K extends CallName> = z.input<Calls[K]['args']>;
/** What handlers receive after validation (defaults filled in). */
export type ParsedArgs<K extends CallName> = z.output<Calls[K]['args']>;
export type CallResult<K extends CallName> = z.output<Calls[K]['result']>;
export const callNames = Object.keys(calls) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export type ErrorCode = 'invalid-argument' | 'not-found' | 'not-available' | 'busy' | 'failed' | 'unknown-call';
/**
 * The browser's own failures, never the engine's: `familiar serve` could not be reached ('unreachable': stopped, or the
 * network in between), or it no longer knows this page ('restarted': a new run has a new token, so asking again cannot work).
 */
export type ConnectionErrorCode = 'unreachable' | 'restarted';
/** An answer as a bridge hands it over: the engine's envelope, or the browser's sentence when the engine was not reached. */
export type BridgeAnswer<T> = Envelope<T> | { error: string; code: ConnectionErrorCode; result?: undefined; malformed?: undefined };
/**
 * Every answer: a result, or one sentence saying what went wrong. `malformed`: the request was no call at all (no such
 * call, arguments the contract refuses), refused before the engine was asked; the HTTP server answers it with a 4xx.
 */
export type Envelope<T> =
  | { result: T; error?: undefined; code?: undefined; malformed?: undefined }
  | { error: string; code: ErrorCode; result?: undefined; malformed?: true };

// ---------------------------------------------------------------------------------------------------------------
// Events main pushes to the renderer (IPC `webContents.send`, or Server-Sent Events in browser mode).

export const events = {
  'job.progress': z.object({ jobId: z.string(), kind: JobKind, progress: JobProgress }),
  'job.done': z.object({ job: JobInfo }),
  /**
   * Something the renderer shows changed (a job finished, another window decided): refetch what is listed. 'marks':
   * only the People cards' "may be two people" marks, worked out in the background (only the People list asks again).
   */
  'library.changed': z.object({ what: z.array(z.enum(['photos', 'faces', 'people', 'models', 'settings', 'marks'])) }),
  /** Folders chosen from the desktop app's menu (File › Add Folder…): the window imports them as it does a drop. */
  'import.requested': z.object({ paths: z.array(AbsolutePath).min(1).max(MAX_PATHS) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

// ---------------------------------------------------------------------------------------------------------------
// Transport names shared by main, preload and the browser client.

/** IPC channel of a call: one channel per capability, registered with ipcMain.handle. */
export const ipcCallChannel = (name: CallName): string => `familiar:call:${name}`;
/** IPC channel of an event. */
export const ipcEventChannel = (name: EventName): string => `familiar:event:${name}`;
/** HTTP: POST JSON args to `/api/call/<name>`; events stream from `/api/events` (SSE, event name = EventName). */
export const httpCallPath = (name: CallName): string => `/api/call/${name}`;
export const HTTP_EVENTS_PATH = '/api/events';
/** The custom protocol of the desktop app. */
export const PROTOCOL_SCHEME = 'familiar';

/**
 * The URL of an image reference: `familiar://files/<ref>` in the desktop app, `/files/<ref>` in browser mode
 * (same origin; the session cookie authorises it). The only place the renderer turns a ref into a URL.
 */
export function imageUrl(ref: ImageRef, mode: 'electron' | 'browser'): string {
  if (!ImageRef.safeParse(ref).success) throw new Error(`Not an image reference: ${String(ref).slice(0, 80)}`);
  return mode === 'electron' ? `${PROTOCOL_SCHEME}://files/${ref}` : `/files/${ref}`;
}

/** Parses `<kind>/<id>` back into its parts; undefined for anything else (traversal, encodings, other kinds). */
export function parseImageRef(ref: string): { kind: ImageKind; id: string } | undefined {
  if (!ImageRef.safeParse(ref).success) return undefined;
  const slash = ref.indexOf('/');
  return { kind: ref.slice(0, slash) as ImageKind, id: ref.slice(slash + 1) };
}

// ---------------------------------------------------------------------------------------------------------------
// The bridge the preload exposes as `window.familiar`, and that the browser client imitates.

export type CallFunctions = { [K in CallName]: (args?: CallArgs<K>) => Promise<BridgeAnswer<CallResult<K>>> };
export type EventSubscriptions = { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };

export interface FamiliarBridge {
  mode: 'electron' | 'browser';
  calls: CallFunctions;
  events: EventSubscriptions;
  /** Desktop only: the absolute path of a File dropped on the window (browsers never reveal it). */
  pathForFile?: (file: object) => string;
  /**
   * Browser only: whether `familiar serve` can be reached, told on each change (the desktop window's engine cannot go
   * away under it). The event stream tells it even while no call is made.
   */
  connection?: (listener: (state: ConnectionState) => void) => () => void;
}

export type ConnectionState = 'connected' | ConnectionErrorCode;

/** Thrown by `unwrap` so the renderer can show `message` and branch on `code`. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode | ConnectionErrorCode,
    readonly call: CallName,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** Calls through a bridge and returns the result, or throws CallError with the main process's sentence. */
export async function invoke<K extends CallName>(bridge: FamiliarBridge, name: K, args?: CallArgs<K>): Promise<CallResult<K>> {
  const fn = bridge.calls[name] as (a?: CallArgs<K>) => Promise<BridgeAnswer<CallResult<K>>>;
  const answer = await fn(args);
  if (answer.error !== undefined) throw new CallError(answer.error, answer.code, name);
  return answer.result as CallResult<K>;
}

interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
  /** 0 connecting (again), 1 open, 2 closed for good (the server refused the stream). */
  readonly readyState?: number;
}
const EVENT_SOURCE_CLOSED = 2;
type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;
type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; credentials: 'same-origin' }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** Said when `familiar serve` cannot be reached: in words, not the browser's "Failed to fetch". */
export const UNREACHABLE_SENTENCE = 'Familiar is not running or cannot be reached. If you stopped it, start “familiar serve” again and open the address it prints.';
/** Said when the server refuses this page's token: it was restarted, and only the new address it printed opens it. */
export const RESTARTED_SENTENCE = 'Familiar was restarted: open the new address “familiar serve” printed (this page’s secret token is no longer valid).';

/**
 * A call's answer read from the server's reply. The engine answers in JSON; the server's own refusals are a sentence of
 * plain text (a token it does not know: 401), and a proxy or a crashed server may answer anything (QA: "Unexpected
 * token 'O', "Open the a"... is not valid JSON" after a restart).
 */
function answerOf(status: number, body: string): BridgeAnswer<unknown> {
  if (status === 401) return { error: RESTARTED_SENTENCE, code: 'restarted' };
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed !== null && typeof parsed === 'object' && ('result' in parsed || 'error' in parsed)) return parsed as Envelope<unknown>;
  } catch {
    // Not JSON: said below, in the server's words when it gave some.
  }
  const said = body.trim().split('\n')[0].slice(0, 200);
  return { error: `Familiar's server answered with an error (${status})${said && !said.startsWith('<') ? `: ${said}` : '.'}`, code: 'failed' };
}

/**
 * The browser-mode bridge over `familiar serve`: POST `/api/call/<name>`, events from one shared EventSource.
 * Same shape as the preload's `window.familiar`, so screens do not care which one they talk to.
 */
export function httpBridge(
  options: { base?: string; fetch?: FetchLike; EventSource?: EventSourceConstructor } = {},
): FamiliarBridge {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connected';
  const tell = (state: ConnectionState) => {
    if (state === connection) return;
    connection = state;
    for (const listener of connectionListeners) listener(state);
  };
  const call = async (name: CallName, args?: unknown): Promise<BridgeAnswer<unknown>> => {
    let answer: BridgeAnswer<unknown>;
    try {
      const response = await doFetch(base + httpCallPath(name), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      });
      answer = answerOf(response.status, await response.text());
    } catch {
      // The browser says only "Failed to fetch" (or "NetworkError…", "Load failed"): nothing a user can act on.
      answer = { error: UNREACHABLE_SENTENCE, code: 'unreachable' };
    }
    if (answer.code === 'unreachable' || answer.code === 'restarted') tell(answer.code);
    return answer;
  };
  const calls = {} as Record<string, (args?: unknown) => Promise<unknown>>;
  for (const name of callNames) calls[name] = (args?: unknown) => call(name, args);
  let source: EventSourceLike | undefined;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const events = {} as Record<string, (listener: (payload: unknown) => void) => () => void>;
  for (const name of eventNames) {
    events[name] = (listener) => {
      if (!source) {
        const Source = options.EventSource ?? (globalThis as unknown as { EventSource: EventSourceConstructor }).EventSource;
        const stream = new Source(base + HTTP_EVENTS_PATH, { withCredentials: true });
        source = stream;
        stream.addEventListener('open', () => tell('connected'));
        stream.addEventListener('error', () => {
          // Connecting again: the server is gone for now (the browser keeps trying). Closed for good: the server
          // answered but refused the stream, and only a call can say why (a new token after a restart, or a refusal
          // that leaves calls working).
          if (stream.readyState !== EVENT_SOURCE_CLOSED) tell('unreachable');
          else void call('library.opening').then((answer) => tell(answer.code === 'unreachable' || answer.code === 'restarted' ? answer.code : 'connected'));
        });
      }
      let set = listeners.get(name);
      if (!set) {
        const subscribers = new Set<(payload: unknown) => void>();
        listeners.set(name, subscribers);
        set = subscribers;
        source.addEventListener(name, (event) => {
          let payload: unknown;
          try {
            payload = JSON.parse(event.data);
          } catch {
            return;
          }
          for (const fn of subscribers) fn(payload);
        });
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    };
  }
  return {
    mode: 'browser',
    calls: calls as unknown as CallFunctions,
    events: events as unknown as EventSubscriptions,
    connection: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

/** `window.familiar` in the desktop app, else the HTTP bridge of `familiar serve`. */
export function connectBridge(): FamiliarBridge {
  const exposed = (globalThis as { familiar?: FamiliarBridge }).familiar;
  return exposed ?? httpBridge();
}
