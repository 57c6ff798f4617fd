// people.journal: what a transaction changed in people.json, appended instead of rewriting it (schema version 5).
// Every decision writes people.json (its decision log, the people it touched); written whole, a few megabytes with
// thousands of people and decisions, that was most of what a decision cost (bench:decisions).
//
// One line a transaction: {"people": {"put": [...], "remove": [...]}, "decisions": {...}, "fields": {...}}: the people
// and the decisions changed, added and taken out, as faces.journal's lines hold faces (a put takes its id's place or
// goes last), and the document's other fields (regroupPending, upgrades...), all of them, when one changed. The file,
// its generations, the replay on reading, compaction at an eighth of people.json, and what a crash or a failed write
// leaves are faces.journal's (main/store/faces-journal.ts, LibraryDocument). What a line cannot say (the people in a
// new order: undo puts a person back where they were) rewrites people.json whole.
import {
  JOURNAL_SHARE_OF_BASE,
  JournalFile,
  lineJson,
  ListReplay,
  recordsChangeOf,
  WrittenRecords,
  zodWords,
  type JournalHeader,
  type JournalRecord,
  type RecordsChange,
  type RecordsReplay,
} from './faces-journal.js';
import { personRecordSchema } from './schema.js';
import type { PeopleDocument, PersonRecord } from './types.js';

export interface PeopleChange {
  people: RecordsChange<PersonRecord>;
  decisions: RecordsChange<JournalRecord>;
  /** The document's other fields, all of them as they now are, when one changed. */
  fields?: Record<string, unknown>;
}

/** The keys of people.json a line says nothing of (schemaVersion) or holds as lists. */
const NOT_FIELDS = new Set(['schemaVersion', 'people', 'decisions']);

function fieldsOf(doc: PeopleDocument): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!NOT_FIELDS.has(key) && value !== undefined) fields[key] = value;
  return fields;
}

const hasId = (value: unknown): value is JournalRecord => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';

/** The decisions as records with ids (the store keeps them verbatim); null when one is none. */
function decisionsOf(doc: PeopleDocument): JournalRecord[] | null {
  return doc.decisions.every(hasId) ? (doc.decisions as JournalRecord[]) : null;
}

const checkPerson = (value: unknown) => zodWords(personRecordSchema.safeParse(value));
const checkDecision = (value: unknown) => (hasId(value) ? null : 'unexpected shape: no id');

export class PeopleJournal extends JournalFile {
  readonly shareOfBase = JOURNAL_SHARE_OF_BASE;
  private readonly people = new WrittenRecords<PersonRecord>();
  private readonly decisions = new WrittenRecords<JournalRecord>();
  /** The other fields as last written, as JSON. */
  private fields = '{}';

  /** Records `doc` as what disk holds, with `journalBytes` of journal on top of people.json. */
  remember(doc: PeopleDocument, journalBytes: number): void {
    this.people.remember(doc.people);
    this.decisions.remember(decisionsOf(doc) ?? []);
    this.fields = JSON.stringify(fieldsOf(doc));
    this.bytes = journalBytes;
  }

  /**
   * What `doc` changed since it was last written, or null when that is no line: people or decisions in a new order,
   * an id twice, a decision without an id.
   */
  diff(doc: PeopleDocument): PeopleChange | null {
    const decisions = decisionsOf(doc);
    const people = this.people.diff(doc.people);
    const logged = decisions && this.decisions.diff(decisions);
    if (!people || !logged) return null;
    const fields = fieldsOf(doc);
    return {
      people: { put: people.put, remove: people.remove },
      decisions: { put: logged.put, remove: logged.remove },
      ...(JSON.stringify(fields) !== this.fields ? { fields } : {}),
    };
  }

  /** Whether `change` changes nothing. */
  static isEmpty(change: PeopleChange): boolean {
    const { people, decisions, fields } = change;
    return people.put.length + people.remove.length + decisions.put.length + decisions.remove.length === 0 && fields === undefined;
  }

  /** The journal line for `change`. */
  line(change: PeopleChange): string {
    return `${JSON.stringify(change)}\n`;
  }

  /** Appends `line` durably (see JournalFile.appendLine); `doc`: people.json's document, as `change` left it. */
  async append(line: string, doc: PeopleDocument, change: PeopleChange, header: JournalHeader): Promise<void> {
    await this.appendLine(line, header);
    this.people.appended(doc.people, change.people);
    this.decisions.appended(decisionsOf(doc) ?? [], change.decisions);
    if (change.fields) this.fields = JSON.stringify(change.fields);
  }
}

/** `line` read as a change of people.json, or why it is none. */
function parsePeopleLine(line: string): PeopleChange | string {
  const value = lineJson(line);
  if (typeof value === 'string') return value;
  const { people, decisions, fields } = (value.json ?? {}) as Partial<Record<keyof PeopleChange, unknown>>;
  const persons = recordsChangeOf<PersonRecord>(people, checkPerson, 'a person', 'people');
  if (typeof persons === 'string') return persons;
  const logged = recordsChangeOf<JournalRecord>(decisions, checkDecision, 'a decision', 'decisions');
  if (typeof logged === 'string') return logged;
  if (fields === undefined) return { people: persons, decisions: logged };
  const isFields = typeof fields === 'object' && fields !== null && !Array.isArray(fields) && !Object.keys(fields).some((key) => NOT_FIELDS.has(key));
  if (!isFields) return 'fields that are not the fields of people.json';
  return { people: persons, decisions: logged, fields: fields as Record<string, unknown> };
}

/** Null when `line` reads as a change of people.json, else why not. */
export function peopleLineProblem(line: string): string | null {
  const change = parsePeopleLine(line);
  return typeof change === 'string' ? change : null;
}

/** Applies complete people.journal lines to `doc` (not modified); a damaged line stops there. */
export function replayPeople(doc: PeopleDocument, complete: readonly string[]): Omit<RecordsReplay<JournalRecord>, 'records'> & { doc: PeopleDocument } {
  const people = new ListReplay(doc.people);
  const decisions = new ListReplay(doc.decisions as JournalRecord[]);
  let fields = fieldsOf(doc);
  const replayed = (): PeopleDocument => ({ schemaVersion: doc.schemaVersion, people: people.records, decisions: decisions.records, ...fields });
  for (let n = 0; n < complete.length; n++) {
    const change = parsePeopleLine(complete[n]);
    if (typeof change === 'string') return { doc: replayed(), applied: n, damaged: { line: n + 1, lines: complete.length, detail: change } };
    people.apply(change.people);
    decisions.apply(change.decisions);
    if (change.fields) fields = change.fields;
  }
  return { doc: replayed(), applied: complete.length };
}
