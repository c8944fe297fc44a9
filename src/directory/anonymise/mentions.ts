import { formatNip, normaliseNip } from '../nip.js';
import type { ChangedField, RosterColumn, StoredRow } from '../roster/types.js';

/**
 * What a person was called by in Ikrar: their names, email addresses and NIPs, now and before (a record's history in
 * the audit log keeps the old ones). What anonymising looks for, as whole values, in the records about them.
 */
export interface Identity {
  names: string[];
  emails: string[];
  nips: string[];
}

/**
 * The form two writings of one value are compared in: a NIP by its 18 digits (however it was grouped), anything else
 * trimmed, its spaces collapsed and its case folded ("sukma@uji.test " is the address "Sukma@uji.test").
 */
export function comparable(text: string): string {
  const compact = normaliseNip(text);
  return /^[0-9]{18}$/.test(compact) ? compact : text.trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** Whether a text, as a whole, is one of `values` (compared as `comparable`); never for an empty one. */
export function wholeValueOf(values: readonly string[]): (text: string) => boolean {
  const wanted = new Set(values.map(comparable).filter((value) => value !== ''));
  return (text) => wanted.has(comparable(text));
}

/**
 * A JSON value with each string that `isTheirs` says is theirs (as a whole) replaced by `replacement`, at any depth
 * (object keys are never touched); undefined when nothing was. "Sri" is replaced, "Sri Mulyani" is not.
 */
export function replaceValues(
  value: unknown,
  isTheirs: (text: string) => boolean,
  replacement: string,
): unknown | undefined {
  if (typeof value === 'string') return isTheirs(value) ? replacement : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  let changed = false;
  const next = (item: unknown): unknown => {
    const replaced = replaceValues(item, isTheirs, replacement);
    if (replaced === undefined) return item;
    changed = true;
    return replaced;
  };
  const result = Array.isArray(value)
    ? value.map(next)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, next(item)]));
  return changed ? result : undefined;
}

/** The fields of a person's record whose old and new values the audit log keeps (`user.created`, `user.updated`). */
const IDENTITY_FIELDS = { fullName: 'names', email: 'emails', nip: 'nips' } as const;

/**
 * `current` with what the person's own record was called before, as the events about that record say
 * (`user.created`: the NIP and email it was made with; `user.updated`: each name, email and NIP it changed from or
 * to). Only events whose target is the person's record are passed in.
 */
export function withFormerValues(
  current: Identity,
  events: readonly { action: string; details: Record<string, unknown> }[],
): Identity {
  const found: Identity = { names: [...current.names], emails: [...current.emails], nips: [...current.nips] };
  const add = (kind: keyof Identity, value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') found[kind].push(value);
  };
  for (const { action, details } of events) {
    for (const [field, kind] of Object.entries(IDENTITY_FIELDS) as [string, keyof Identity][]) {
      const value = details[field];
      if (action === 'user.created') add(kind, value);
      if (action === 'user.updated' && value !== null && typeof value === 'object') {
        add(kind, (value as { from?: unknown }).from);
        add(kind, (value as { to?: unknown }).to);
      }
    }
  }
  const distinct = (values: string[]) => [...new Map(values.map((v) => [comparable(v), v])).values()];
  return { names: distinct(found.names), emails: distinct(found.emails), nips: distinct(found.nips) };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A text with each mention of one of `values` replaced: as whole words only (never inside a longer word or number:
 * "Sri" in "Srikandi" stays), in any case, the longest first. For a reason typed about the person while anonymising
 * them; a NIP is looked for as stored and as printed.
 */
export function replaceMentions(text: string, values: readonly string[], replacement: string): string {
  const written = values.flatMap((value) => [value.trim(), formatNip(value.trim())]).filter((v) => v !== '');
  if (written.length === 0) return text;
  const alternatives = [...new Set(written)].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(pattern, replacement);
}

/** The roster columns that say who a row's person is; the unit, the type and the head mark say nothing of them. */
const PERSONAL_COLUMNS: ReadonlySet<RosterColumn> = new Set<RosterColumn>([
  'nip',
  'nama',
  'jabatan',
  'pangkat',
  'email',
  'gelar_depan',
  'gelar_belakang',
]);
const PERSONAL_CHANGES: ReadonlySet<ChangedField> = new Set<ChangedField>([
  'fullName',
  'position',
  'pangkat',
  'email',
]);

/**
 * A kept roster import row about the person (its NIP is theirs), with what says who they are gone: the name cell
 * reads `name`, their NIP, email, position, pangkat and titles are emptied, and the changes the preview showed for
 * them say the same. The row's line, unit and decision stay (a re-check then decides it anew).
 */
export function anonymiseRosterRow(
  columns: readonly RosterColumn[],
  stored: StoredRow,
  name: string,
): StoredRow {
  const cells = stored.row.cells.map((cell, index) => {
    const column = columns[index];
    if (column === undefined || !PERSONAL_COLUMNS.has(column)) return cell;
    return column === 'nama' ? name : '';
  });
  const changes = stored.outcome.changes?.map((change) =>
    PERSONAL_CHANGES.has(change.field)
      ? change.field === 'fullName'
        ? { ...change, from: change.from === null ? null : name, to: change.to === null ? null : name }
        : { ...change, from: null, to: null }
      : change,
  );
  return {
    row: { ...stored.row, cells },
    outcome: changes === undefined ? stored.outcome : { ...stored.outcome, changes },
  };
}
