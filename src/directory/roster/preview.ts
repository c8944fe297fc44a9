import { setImmediate } from 'node:timers/promises';
import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { SettingsRepository } from '../../settings/repository.js';
import { EMPLOYEE_TYPES, type EmployeeType, normaliseNip } from '../nip.js';
import { anonymisedByNip } from '../nip-key.js';
import type { Unit, User } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserRepository } from '../user-repository.js';
import { canManageUser, checkUserInput, normaliseUserInput, type UserInput } from '../users/input.js';
import { MAX_STORED_BYTES } from './grid.js';
import type { RowsSink } from './read-in-worker.js';
import type { RosterImport, RosterImportRepository } from './repository.js';
import { composeFullName, employeeTypeOf, type UnitNameMatch, unitNameMatcher } from './siasn.js';
import {
  cellOf,
  IMPORTED_ROLE,
  ROSTER_COLUMNS,
  type RosterHeader,
  type RosterRow,
  type RosterSummary,
  type RowChange,
  type RowOutcome,
  type RowReason,
  type RowStatus,
  type StoredRow,
} from './types.js';

/** How long a preview can be confirmed. */
export const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;
/** How long the rows of an import are kept (for its pages and the CSV of rejected rows). */
export const ROWS_KEPT_MS = 24 * 60 * 60 * 1000;

type ClassifyServices = {
  users: UserRepository;
  units: UnitRepository;
  clock: Clock;
  timeZone: TimeZone;
  passwordLinks: Pick<PasswordLinkRepository, 'latestCreatedAt'>;
  settings: Pick<SettingsRepository, 'get'>;
};
export type Manager = Pick<User, 'id' | 'role' | 'unitId'>;

// How long deciding rows may hold the event loop before it lets other requests in: 100,000 rows took 2 s in one go.
const SLICE_MS = 10;

/** The decision on one row, with what applying it writes. */
export interface ClassifiedRow {
  outcome: RowOutcome;
  /** For a new or changed row: the record to write. */
  input?: UserInput;
  /** For a changed row: the person the row's NIP names. */
  existing?: User;
  /** The unit the row makes the person head of, when that changes anything. */
  headOf?: Unit;
}

/** Remembers a lookup's answers for one run (units are few; rows are many). */
function memo<K, V>(lookup: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    if (!answers.has(key)) answers.set(key, lookup(key));
    return answers.get(key) as V;
  };
}

/** The person's name as the row gives it, with the titles a SIASN export keeps in columns of their own. */
const fullNameOf = (header: Pick<RosterHeader, 'columns'>, row: RosterRow): string =>
  composeFullName(
    cellOf(header, row, 'gelar_depan'),
    cellOf(header, row, 'nama'),
    cellOf(header, row, 'gelar_belakang'),
  );

/** The names a row gives its unit by (a SIASN export has no unit codes): its work unit, then that unit's parent. */
const unitNamesOf = (header: Pick<RosterHeader, 'columns'>, row: RosterRow): string[] =>
  [cellOf(header, row, 'unit_nama'), cellOf(header, row, 'unit_induk_nama')].filter((name) => name !== '');

const reject = (line: number, key: string, params?: RowReason['params']): ClassifiedRow => ({
  outcome: { line, status: 'rejected', reason: params ? { key, params } : { key } },
});

/**
 * The classifier of one roster: decides each row, given in file order, against the directory as it is now, as
 * `manager` (an admin: any unit; an operator: only units of their subtree and only signers there). It remembers the
 * NIPs, emails and heads of the rows before, so that it needs no row twice. Upserts by NIP: a NIP not in the
 * directory is a new person (role signer, no password), a known one is changed or unchanged. An empty optional cell
 * (jabatan, email, jenis) keeps what the directory has; `kepala = tidak` or empty leaves the unit's head as it is.
 * Each rejected row gets one reason, the first in this order: the row itself (extra cells, a NIP Excel turned into
 * a number), jenis, kepala, the NIP (via the NIP module), a NIP already on an earlier row, the unit, the manager's
 * scope, a person the manager may not manage, the email (invalid, someone else's, on an earlier row), name,
 * position, a second head for one unit. Reads only; used by the preview and again, inside its transaction, by the
 * apply.
 */
/** Decides rows one by one (see rowClassifier); `prefetch` looks the people of the next rows up at once. */
export type RowClassifier = ((row: RosterRow) => Promise<ClassifiedRow>) & {
  prefetch: (rows: readonly RosterRow[]) => Promise<void>;
};

export function rowClassifier(
  services: ClassifyServices,
  header: Pick<RosterHeader, 'columns'>,
  manager: Manager,
): RowClassifier {
  const unitByCode = memo((code: string) => services.units.findByCode(code));
  // Units by name (SIASN exports): the active units read once, when the first row names its unit so, and each pair
  // of names matched once (a roster names a few hundred units for tens of thousands of rows).
  let byName: Promise<(workUnit: string, parent: string) => UnitNameMatch> | null = null;
  const matchNames = memo(async (names: string): Promise<UnitNameMatch> => {
    byName ??= services.units.listActive().then(unitNameMatcher);
    const [workUnit, parent] = JSON.parse(names) as [string, string];
    return (await byName)(workUnit, parent);
  });
  const unitByNames = (row: RosterRow): Promise<UnitNameMatch> =>
    matchNames(JSON.stringify([cellOf(header, row, 'unit_nama'), cellOf(header, row, 'unit_induk_nama')]));
  // The people of the rows, looked up a batch at a time (prefetch) rather than one query per row and check: on
  // PostgreSQL each query is a round trip. Nothing is written while rows are decided (the preview only reads; the
  // apply decides every row before it writes), so what was looked up stays true.
  const byNip = new Map<string, User | undefined>();
  const byEmail = new Map<string, User | undefined>();
  // Anonymised people by the keyed hash of their NIP (nip-key.ts): a row naming one is refused (checkUserInput).
  const anonymisedByHash = new Map<string, User | undefined>();
  const users: ClassifyServices['users'] = {
    ...services.users,
    findAnonymisedByNipHmacs: async (hashes) => {
      const missing = hashes.filter((hash) => !anonymisedByHash.has(hash));
      if (missing.length > 0) {
        const found = await services.users.findAnonymisedByNipHmacs(missing);
        for (const hash of missing) anonymisedByHash.set(hash, found.get(hash));
      }
      return new Map(
        hashes.flatMap((hash) => {
          const user = anonymisedByHash.get(hash);
          return user ? [[hash, user] as const] : [];
        }),
      );
    },
    findByNip: async (nip) => (byNip.has(nip) ? byNip.get(nip) : services.users.findByNip(nip)),
    findByEmail: async (email) => {
      const key = email.toLowerCase();
      return byEmail.has(key) ? byEmail.get(key) : services.users.findByEmail(email);
    },
  };
  // checkUserInput and canManageUser ask for units by id and walk up the tree: once per unit is enough.
  const checking: ClassifyServices = {
    users,
    passwordLinks: services.passwordLinks,
    clock: services.clock,
    timeZone: services.timeZone,
    settings: { get: memo(services.settings.get) },
    units: {
      ...services.units,
      findById: memo(services.units.findById),
      ancestorIds: memo(services.units.ancestorIds),
    },
  };
  const cell = (row: RosterRow, column: Parameters<typeof cellOf>[2]) => cellOf(header, row, column);

  // The first row of each NIP, so that a later row can say which row it repeats (the same NIP twice is ambiguous
  // whatever became of the first, so every row counts, rejected or not). Emails and heads are claimed only by rows
  // that are accepted: a rejected row must not get a later, valid row rejected.
  const firstNip = new Map<string, number>();
  const claimedEmail = new Map<string, number>();
  const claimedHead = new Map<number, number>();

  const prefetch = async (rows: readonly RosterRow[]): Promise<void> => {
    const nips = new Set<string>();
    const emails = new Set<string>();
    for (const row of rows) {
      const nip = normaliseNip(cell(row, 'nip'));
      if (/^\d{18}$/.test(nip) && !byNip.has(nip)) nips.add(nip);
      const email = cell(row, 'email').trim().toLowerCase();
      if (email !== '' && !byEmail.has(email)) emails.add(email);
    }
    for (const nip of nips) byNip.set(nip, undefined);
    for (const email of emails) byEmail.set(email, undefined);
    for (const user of await services.users.findByNips([...nips])) byNip.set(user.nip as string, user);
    await anonymisedByNip(checking, [...nips]);
    for (const user of await services.users.findByEmails([...emails])) {
      byEmail.set((user.email as string).toLowerCase(), user);
    }
  };

  const classify = async (row: RosterRow): Promise<ClassifiedRow> => {
    const { line } = row;
    const nip = normaliseNip(cell(row, 'nip'));
    if (nip !== '' && !firstNip.has(nip)) firstNip.set(nip, line);
    if (row.problem === 'extra_cells') return reject(line, 'admin.import.reason.extra_cells');
    if (row.problem === 'nip_number') return reject(line, 'admin.import.reason.nip_number');
    const jenis = employeeTypeOf(cell(row, 'jenis'));
    if (jenis !== '' && !(EMPLOYEE_TYPES as readonly string[]).includes(jenis)) {
      return reject(line, 'admin.import.reason.jenis_invalid', { value: cell(row, 'jenis') });
    }
    const kepala = cell(row, 'kepala').toLowerCase();
    if (kepala !== '' && kepala !== 'ya' && kepala !== 'tidak') {
      return reject(line, 'admin.import.reason.kepala_invalid', { value: cell(row, 'kepala') });
    }
    if (nip === '') return reject(line, 'admin.import.reason.nip_required');
    const existing = /^\d{18}$/.test(nip) ? await users.findByNip(nip) : undefined;
    const code = cell(row, 'kode_unit');
    const named = unitNamesOf(header, row);
    const byNameMatch = code === '' && named.length > 0 ? await unitByNames(row) : undefined;
    const unit =
      code !== ''
        ? await unitByCode(code)
        : byNameMatch && 'unit' in byNameMatch
          ? byNameMatch.unit
          : undefined;
    const fileEmail = cell(row, 'email');
    const input = normaliseUserInput({
      nip,
      employeeType: (jenis || existing?.employeeType || 'PNS') as EmployeeType,
      email: fileEmail || existing?.email || null,
      fullName: fullNameOf(header, row),
      position: cell(row, 'jabatan') || existing?.position || '',
      pangkat: cell(row, 'pangkat') || existing?.pangkat || null,
      unitId: unit?.id ?? null,
      role: existing?.role ?? IMPORTED_ROLE,
    });
    const errors = await checkUserInput(checking, input, { actor: manager, existing });
    if (errors.nip) return reject(line, errors.nip);
    const first = firstNip.get(nip);
    if (first !== line) return reject(line, 'admin.import.reason.nip_duplicate', { row: first ?? line });
    if (code === '' && named.length === 0) return reject(line, 'admin.import.reason.unit_required');
    if (byNameMatch && 'problem' in byNameMatch) {
      return reject(line, `admin.import.reason.unit_name_${byNameMatch.problem}`, {
        name: named.join(' / '),
      });
    }
    if (!unit?.active) return reject(line, 'admin.import.reason.unit_unknown', { code });
    if (errors.unit_id) return reject(line, errors.unit_id);
    if (existing && !(await canManageUser(checking, manager, existing))) {
      return reject(line, 'admin.import.reason.not_manageable');
    }
    if (errors.email) return reject(line, errors.email);
    const emailFirst = fileEmail === '' ? undefined : claimedEmail.get(fileEmail.toLowerCase());
    if (emailFirst !== undefined)
      return reject(line, 'admin.import.reason.email_duplicate', { row: emailFirst });
    const other =
      errors.full_name ?? errors.position ?? errors.pangkat ?? errors.role ?? Object.values(errors)[0];
    if (other) return reject(line, other);
    const makesHead = kepala === 'ya' && (!existing || unit.headUserId !== existing.id);
    if (kepala === 'ya') {
      const headFirst = claimedHead.get(unit.id);
      if (headFirst !== undefined) {
        return reject(line, 'admin.import.reason.head_duplicate', { row: headFirst, code: unit.code });
      }
      if (existing && existing.status !== 'active') return reject(line, 'admin.import.reason.head_disabled');
    }
    if (fileEmail !== '') claimedEmail.set(fileEmail.toLowerCase(), line);
    if (kepala === 'ya') claimedHead.set(unit.id, line);
    const headOf = makesHead ? { headOf: unit } : {};
    if (!existing) return { outcome: { line, status: 'new' }, input, ...headOf };
    const changes = await changesOf(checking, existing, input);
    if (makesHead) changes.push({ field: 'head', from: null, to: unit.code });
    if (changes.length === 0) return { outcome: { line, status: 'unchanged' } };
    return { outcome: { line, status: 'changed', changes }, input, existing, ...headOf };
  };
  return Object.assign(classify, { prefetch });
}

/** The fields of a person a row changes, shown as people read them (a unit by its code). */
async function changesOf(
  services: { units: UnitRepository },
  user: User,
  input: UserInput,
): Promise<RowChange[]> {
  const changes: RowChange[] = [];
  const text = (field: RowChange['field'], from: string | null, to: string | null) => {
    if (from !== to) changes.push({ field, from, to });
  };
  text('fullName', user.fullName, input.fullName);
  text('position', user.position, input.position);
  text('pangkat', user.pangkat, input.pangkat);
  text('email', user.email, input.email);
  text('employeeType', user.employeeType, input.employeeType);
  if (user.unitId !== input.unitId) {
    const codeOf = async (id: number | null) =>
      id === null ? null : ((await services.units.findById(id))?.code ?? null);
    changes.push({ field: 'unit', from: await codeOf(user.unitId), to: await codeOf(input.unitId) });
  }
  return changes;
}

/** How a feed of rows ended: read to the end, or refused (a problem of the file; see grid.ts). */
export type FeedEnd = { ok: true } | ({ ok: false } & Refusal);
/** Why an upload or a re-check made no preview (a problem of the file, see grid.ts, or of the upload itself), with
 * the numbers the message shows. */
export interface Refusal {
  problem: string;
  params?: Record<string, string | number>;
}
/** The rows of a roster, given to `sink` in file order: read from an upload, or those of an import made before. */
export type RowFeed = (sink: RowsSink) => Promise<FeedEnd>;

export type PreviewRosterResult =
  | { ok: true; importId: number; summary: RosterSummary }
  | ({ ok: false } & Refusal);

/** Thrown by the preview's sink to stop the feed: what the rows need to be kept is more than an import may keep. */
class TooMuchText extends Error {}

/**
 * Checks a roster as its rows arrive and keeps them, with the decision on each, until its creator confirms it
 * (within the hour), a slice at a time: only the batches the feed has handed over are held (a reader thread keeps
 * at most a few ahead), whatever the file's size. Refused: what the feed refuses, and rows that need more than
 * MAX_STORED_BYTES; a refused import leaves nothing behind. Nothing in the directory is written; the audit log
 * records the preview (`roster.previewed`: the file's name and the counts). Imports older than a day lose their
 * rows here.
 */
export async function previewRoster(
  services: {
    db: Db;
    users: UserRepository;
    units: UnitRepository;
    audit: AuditRepository;
    clock: Clock;
    rosterImports: RosterImportRepository;
    timeZone: TimeZone;
    passwordLinks: PasswordLinkRepository;
    settings: Pick<SettingsRepository, 'get'>;
  },
  options: { feed: RowFeed; fileName: string; manager: Manager; actor: Actor },
): Promise<PreviewRosterResult> {
  const imports = services.rosterImports;
  const fileName = cleanFileName(options.fileName);
  await pruneImports(services, keptSince(services.clock.now()));
  const importId = await imports.begin({
    createdBy: options.manager.id,
    createdAt: services.clock.now(),
    fileName,
  });
  const summary: RosterSummary = { total: 0, new: 0, changed: 0, unchanged: 0, rejected: 0 };
  let header: RosterHeader | null = null;
  let classify: RowClassifier | null = null;
  let stored = 0;
  // Each slice decides rows for up to SLICE_MS and writes them, then lets other requests in: 5,000 rows written in
  // one transaction held the event loop for 30 to 70 ms. A slice goes on across batches that follow each other at
  // once (those waiting for their turn do, without a turn of the event loop in between); a batch that comes after
  // a pause starts a new one.
  let sliceStart = 0;
  let keptAt = Number.NEGATIVE_INFINITY;
  const keep = async (rows: RosterRow[]) => {
    if (!classify) throw new Error('roster rows before their header');
    if (performance.now() - keptAt > SLICE_MS) sliceStart = performance.now();
    await classify.prefetch(rows);
    let decided: StoredRow[] = [];
    const write = async () => {
      if (decided.length === 0) return;
      const bytes = await inTransaction(services.db, () => imports.addRows(importId, decided));
      stored += bytes;
      if (stored > MAX_STORED_BYTES) throw new TooMuchText();
      decided = [];
    };
    for (const row of rows) {
      const { outcome } = await classify(row);
      summary.total += 1;
      summary[outcome.status] += 1;
      decided.push({ row, outcome });
      if (performance.now() - sliceStart > SLICE_MS) {
        await write();
        await setImmediate();
        sliceStart = performance.now();
      }
    }
    await write();
    keptAt = performance.now();
  };
  let fed: FeedEnd;
  try {
    fed = await options.feed({
      header: (read) => {
        header = read;
        classify = rowClassifier(services, read, options.manager);
      },
      rows: keep,
    });
  } catch (err) {
    await discard(services, importId);
    if (!(err instanceof TooMuchText)) throw err;
    return { ok: false, problem: 'too_much_text', params: { max: MAX_STORED_BYTES / (1024 * 1024) } };
  }
  const read = header as RosterHeader | null;
  if (!fed.ok || !read || summary.total === 0) {
    await discard(services, importId);
    return fed.ok ? { ok: false, problem: 'no_rows' } : fed;
  }
  return inTransaction(services.db, async () => {
    const now = services.clock.now();
    await imports.finish(importId, {
      header: read,
      summary,
      expiresAt: new Date(now.getTime() + PREVIEW_LIFETIME_MS),
    });
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'roster.previewed',
      target: { type: 'roster_import', id: importId },
      details: { fileName, ...summary },
      at: now,
    });
    return { ok: true, importId, summary };
  });
}

// Rows deleted at a time: 100,000 at once held every request for almost half a second.
const DELETE_BATCH = 5000;

/** The oldest an import may be made and still have its rows. */
const keptSince = (now: Date): Date => new Date(now.getTime() - ROWS_KEPT_MS);

/**
 * Imports made before `before` lose their rows: each is marked gone first (so that no page, re-check or confirm
 * reads half of them), then its rows are deleted. Uploads that never became a preview (the process stopped while
 * the rows were being written) go altogether.
 */
async function pruneImports(
  services: { rosterImports: RosterImportRepository },
  before: Date,
): Promise<void> {
  const imports = services.rosterImports;
  for (const id of await imports.withRowsBefore(before)) {
    await imports.dropHeader(id);
    await deleteRowsOf(services, id);
  }
  for (const id of await imports.unfinishedBefore(before)) await discard(services, id);
}

/** Deletes the rows of an import a batch at a time, letting other requests in between. */
async function deleteRowsOf(
  services: { rosterImports: RosterImportRepository },
  importId: number,
): Promise<void> {
  while ((await services.rosterImports.deleteRows(importId, DELETE_BATCH)) > 0) await setImmediate();
}

/** An import that will not be a preview, gone with its rows. */
async function discard(services: { rosterImports: RosterImportRepository }, importId: number): Promise<void> {
  await deleteRowsOf(services, importId);
  await services.rosterImports.remove(importId);
}

/** A file name as shown on the pages: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f\ufffd]/g, '').trim();
  return clean.slice(0, 200) || 'roster';
}

export type ReadRosterImport = { ok: true; record: RosterImport } | { ok: false; reason: 'not_found' };

/** An import as its creator sees it (anyone else: not found). */
export async function readRosterImport(
  services: { rosterImports: RosterImportRepository },
  options: { importId: number; viewer: Pick<User, 'id'> },
): Promise<ReadRosterImport> {
  const record = await services.rosterImports.findById(options.importId);
  if (!record || record.createdBy !== options.viewer.id) return { ok: false, reason: 'not_found' };
  return { ok: true, record };
}

/** A row of an import as its pages show it: the value under each roster column, its number and its decision. */
export type RowView = Record<(typeof ROSTER_COLUMNS)[number], string> & { line: number; outcome: RowOutcome };

/** A page of an import's rows with one decision, in file order, under the import's header. */
export async function importRows(
  services: { rosterImports: RosterImportRepository },
  importId: number,
  header: RosterHeader,
  status: RowStatus,
  page: { offset: number; limit: number },
): Promise<RowView[]> {
  return (await services.rosterImports.rowsWithStatus(importId, status, page)).map(({ row, outcome }) => ({
    ...(Object.fromEntries(ROSTER_COLUMNS.map((column) => [column, cellOf(header, row, column)])) as Record<
      (typeof ROSTER_COLUMNS)[number],
      string
    >),
    nama: fullNameOf(header, row),
    kode_unit: cellOf(header, row, 'kode_unit') || unitNamesOf(header, row).join(' / '),
    line: row.line,
    outcome,
  }));
}

/** How many rows the re-check and the confirm read at a time. */
export const STORED_BATCH = 2000;

/**
 * The rows of an import made before, for a re-check: the same file, decided again. Refused as `gone` when the
 * rows are pruned meanwhile (fewer come back than the import has).
 */
export function storedRowsFeed(
  services: { rosterImports: RosterImportRepository },
  record: RosterImport,
): RowFeed {
  return async (sink) => {
    const header = await services.rosterImports.header(record.id);
    if (!header) return { ok: false, problem: 'gone' };
    sink.header(header);
    let count = 0;
    for await (const batch of services.rosterImports.rowBatches(record.id, STORED_BATCH)) {
      count += batch.length;
      await sink.rows(batch.map((stored) => stored.row));
    }
    return count === record.summary.total ? { ok: true } : { ok: false, problem: 'gone' };
  };
}

/** Whether an import's rows are gone: pruned, or older than they are kept (pruned with the next upload). */
export const isGone = (record: RosterImport, now: Date): boolean =>
  !record.hasRows || record.createdAt < keptSince(now).toISOString();

/** The file's header of an import whose rows are kept, or null once they are gone. */
export const keptHeader = async (
  services: { rosterImports: RosterImportRepository },
  record: RosterImport,
  now: Date,
): Promise<RosterHeader | null> => (isGone(record, now) ? null : services.rosterImports.header(record.id));

/** Whether a preview can no longer be confirmed. */
export const isExpired = (record: RosterImport, now: Date): boolean =>
  record.status === 'previewed' && (record.expiresAt <= now.toISOString() || isGone(record, now));
