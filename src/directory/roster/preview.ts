import { setImmediate } from 'node:timers/promises';
import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import type { TimeZone } from '../../core/time-zone.js';
import type { PasswordLinkRepository } from '../../credentials/password-link-repository.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { EMPLOYEE_TYPES, type EmployeeType, normaliseNip } from '../nip.js';
import type { Unit, User } from '../types.js';
import type { UnitRepository } from '../unit-repository.js';
import type { UserRepository } from '../user-repository.js';
import { canManageUser, checkUserInput, normaliseUserInput, type UserInput } from '../users/input.js';
import { MAX_STORED_BYTES } from './grid.js';
import type { RosterImport, RosterImportRepository } from './repository.js';
import {
  cellOf,
  IMPORTED_ROLE,
  type RosterRow,
  type RosterSheet,
  type RosterSummary,
  type RowChange,
  type RowOutcome,
  type RowReason,
  type StoredRoster,
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
};
export type Manager = Pick<User, 'id' | 'role' | 'unitId'>;

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

const reject = (line: number, key: string, params?: RowReason['params']): ClassifiedRow => ({
  outcome: { line, status: 'rejected', reason: params ? { key, params } : { key } },
});

/**
 * Decides every row of a roster against the directory as it is now, as `manager` (an admin: any unit; an operator:
 * only units of their subtree and only signers there). Upserts by NIP: a NIP not in the directory is a new person
 * (role signer, no password), a known one is changed or unchanged. An empty optional cell (jabatan, email, jenis)
 * keeps what the directory has; `kepala = tidak` or empty leaves the unit's head as it is. Each rejected row gets
 * one reason, the first in this order: the row itself (extra cells, a NIP Excel turned into a number), jenis,
 * kepala, the NIP (via the NIP module), a NIP already on an earlier row, the unit, the manager's scope, a person
 * the manager may not manage, the email (invalid, someone else's, on an earlier row), name, position, a second
 * head for one unit. Reads only; used by the preview and again, inside its transaction, by the apply.
 */
export function classifyRoster(
  services: ClassifyServices,
  sheet: RosterSheet,
  manager: Manager,
): ClassifiedRow[] {
  return sheet.rows.map(rowClassifier(services, sheet, manager));
}

// How long classifying may hold the event loop before it lets other requests in: 100,000 rows took 2 s in one go.
const SLICE_MS = 20;

/**
 * The same decisions as classifyRoster, made in slices of SLICE_MS with other work let in between, for the preview.
 * The directory may change between two slices; applying decides every row again in one transaction, and refuses
 * to write if any decision differs from what the preview showed.
 */
export async function classifyRosterInSlices(
  services: ClassifyServices,
  sheet: RosterSheet,
  manager: Manager,
): Promise<ClassifiedRow[]> {
  const classify = rowClassifier(services, sheet, manager);
  const classified: ClassifiedRow[] = [];
  let sliceStart = performance.now();
  for (const row of sheet.rows) {
    classified.push(classify(row));
    if (performance.now() - sliceStart > SLICE_MS) {
      await setImmediate();
      sliceStart = performance.now();
    }
  }
  return classified;
}

/** The classifier of one roster: each row, in order (it remembers the NIPs, emails and heads of earlier rows). */
function rowClassifier(
  services: ClassifyServices,
  sheet: RosterSheet,
  manager: Manager,
): (row: RosterRow) => ClassifiedRow {
  const unitByCode = memo((code: string) => services.units.findByCode(code));
  // checkUserInput and canManageUser ask for units by id and walk up the tree: once per unit is enough.
  const checking: ClassifyServices = {
    users: services.users,
    passwordLinks: services.passwordLinks,
    clock: services.clock,
    timeZone: services.timeZone,
    units: {
      ...services.units,
      findById: memo(services.units.findById),
      ancestorIds: memo(services.units.ancestorIds),
    },
  };
  const cell = (row: RosterSheet['rows'][number], column: Parameters<typeof cellOf>[2]) =>
    cellOf(sheet, row, column);

  // The first row of each NIP, so that a later row can say which row it repeats (the same NIP twice is ambiguous
  // whatever became of the first). Emails and heads are claimed only by rows that are accepted: a rejected row must
  // not get a later, valid row rejected.
  const firstNip = new Map<string, number>();
  for (const row of sheet.rows) {
    const nip = normaliseNip(cell(row, 'nip'));
    if (nip !== '' && !firstNip.has(nip)) firstNip.set(nip, row.line);
  }
  const claimedEmail = new Map<string, number>();
  const claimedHead = new Map<number, number>();

  return (row): ClassifiedRow => {
    const { line } = row;
    if (row.problem === 'extra_cells') return reject(line, 'admin.import.reason.extra_cells');
    if (row.problem === 'nip_number') return reject(line, 'admin.import.reason.nip_number');
    const jenis = cell(row, 'jenis').toUpperCase();
    if (jenis !== '' && !(EMPLOYEE_TYPES as readonly string[]).includes(jenis)) {
      return reject(line, 'admin.import.reason.jenis_invalid', { value: cell(row, 'jenis') });
    }
    const kepala = cell(row, 'kepala').toLowerCase();
    if (kepala !== '' && kepala !== 'ya' && kepala !== 'tidak') {
      return reject(line, 'admin.import.reason.kepala_invalid', { value: cell(row, 'kepala') });
    }
    const nip = normaliseNip(cell(row, 'nip'));
    if (nip === '') return reject(line, 'admin.import.reason.nip_required');
    const existing = /^\d{18}$/.test(nip) ? services.users.findByNip(nip) : undefined;
    const code = cell(row, 'kode_unit');
    const unit = code === '' ? undefined : unitByCode(code);
    const fileEmail = cell(row, 'email');
    const input = normaliseUserInput({
      nip,
      employeeType: (jenis || existing?.employeeType || 'PNS') as EmployeeType,
      email: fileEmail || existing?.email || null,
      fullName: cell(row, 'nama'),
      position: cell(row, 'jabatan') || existing?.position || '',
      unitId: unit?.id ?? null,
      role: existing?.role ?? IMPORTED_ROLE,
    });
    const errors = checkUserInput(checking, input, { actor: manager, existing });
    if (errors.nip) return reject(line, errors.nip);
    const first = firstNip.get(nip);
    if (first !== line) return reject(line, 'admin.import.reason.nip_duplicate', { row: first ?? line });
    if (code === '') return reject(line, 'admin.import.reason.unit_required');
    if (!unit?.active) return reject(line, 'admin.import.reason.unit_unknown', { code });
    if (errors.unit_id) return reject(line, errors.unit_id);
    if (existing && !canManageUser(checking, manager, existing)) {
      return reject(line, 'admin.import.reason.not_manageable');
    }
    if (errors.email) return reject(line, errors.email);
    const emailFirst = fileEmail === '' ? undefined : claimedEmail.get(fileEmail.toLowerCase());
    if (emailFirst !== undefined)
      return reject(line, 'admin.import.reason.email_duplicate', { row: emailFirst });
    const other = errors.full_name ?? errors.position ?? errors.role ?? Object.values(errors)[0];
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
    const changes = changesOf(checking, existing, input);
    if (makesHead) changes.push({ field: 'head', from: null, to: unit.code });
    if (changes.length === 0) return { outcome: { line, status: 'unchanged' } };
    return { outcome: { line, status: 'changed', changes }, input, existing, ...headOf };
  };
}

/** The fields of a person a row changes, shown as people read them (a unit by its code). */
function changesOf(services: { units: UnitRepository }, user: User, input: UserInput): RowChange[] {
  const changes: RowChange[] = [];
  const text = (field: RowChange['field'], from: string | null, to: string | null) => {
    if (from !== to) changes.push({ field, from, to });
  };
  text('fullName', user.fullName, input.fullName);
  text('position', user.position, input.position);
  text('email', user.email, input.email);
  text('employeeType', user.employeeType, input.employeeType);
  if (user.unitId !== input.unitId) {
    const codeOf = (id: number | null) => (id === null ? null : (services.units.findById(id)?.code ?? null));
    changes.push({ field: 'unit', from: codeOf(user.unitId), to: codeOf(input.unitId) });
  }
  return changes;
}

export function summarise(outcomes: readonly RowOutcome[]): RosterSummary {
  const summary: RosterSummary = { total: outcomes.length, new: 0, changed: 0, unchanged: 0, rejected: 0 };
  for (const outcome of outcomes) summary[outcome.status] += 1;
  return summary;
}

export type PreviewRosterResult =
  | { ok: true; importId: number; summary: RosterSummary }
  | { ok: false; problem: 'too_much_text'; params: { max: number } };

/**
 * Checks a roster and keeps it, with the decision on every row, until its creator confirms it (within the hour),
 * unless that takes more than MAX_STORED_BYTES. Nothing in the directory is written; the audit log records the
 * preview (`roster.previewed`: the file's name and the counts). Imports older than a day lose their rows here.
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
  },
  options: { sheet: RosterSheet; fileName: string; manager: Manager; actor: Actor },
): Promise<PreviewRosterResult> {
  const classified = await classifyRosterInSlices(services, options.sheet, options.manager);
  const outcomes = classified.map((row) => row.outcome);
  const summary = summarise(outcomes);
  const stored: StoredRoster = { sheet: options.sheet, outcomes };
  const rows = JSON.stringify(stored);
  if (Buffer.byteLength(rows) > MAX_STORED_BYTES) {
    return { ok: false, problem: 'too_much_text', params: { max: MAX_STORED_BYTES / (1024 * 1024) } };
  }
  const imports = services.rosterImports;
  const fileName = cleanFileName(options.fileName);
  return inTransaction(services.db, () => {
    const now = services.clock.now();
    imports.pruneRows(new Date(now.getTime() - ROWS_KEPT_MS));
    const importId = imports.insert({
      createdBy: options.manager.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PREVIEW_LIFETIME_MS),
      fileName,
      summary,
      rows,
    });
    recordEvent(services.audit, {
      actor: options.actor,
      action: 'roster.previewed',
      target: { type: 'roster_import', id: importId },
      details: { fileName, ...summary },
      at: now,
    });
    return { ok: true, importId, summary };
  });
}

/** A file name as shown on the pages: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f\ufffd]/g, '').trim();
  return clean.slice(0, 200) || 'roster';
}

export type ReadRosterImport =
  | { ok: true; record: RosterImport; stored: StoredRoster | null }
  | { ok: false; reason: 'not_found' };

/** An import as its creator sees it (anyone else: not found), with its rows unless they were pruned. */
export function readRosterImport(
  services: { rosterImports: RosterImportRepository },
  options: { importId: number; viewer: Pick<User, 'id'>; withRows?: boolean },
): ReadRosterImport {
  const imports = services.rosterImports;
  const record = imports.findById(options.importId);
  if (!record || record.createdBy !== options.viewer.id) return { ok: false, reason: 'not_found' };
  if (options.withRows === false || !record.hasRows) return { ok: true, record, stored: null };
  const json = imports.rows(record.id);
  return { ok: true, record, stored: json === null ? null : (JSON.parse(json) as StoredRoster) };
}

/** Whether a preview can no longer be confirmed. */
export const isExpired = (record: RosterImport, now: Date): boolean =>
  record.status === 'previewed' && (record.expiresAt <= now.toISOString() || !record.hasRows);
