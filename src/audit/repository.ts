import type { Db } from '../db/database.js';
import type { AuditAction } from './actions.js';

export interface AuditEventInput {
  at: string;
  actorUserId: number | null;
  ip: string | null;
  userAgent: string | null;
  action: AuditAction;
  targetType: string | null;
  targetId: string | null;
  details: string;
}

export interface AuditEvent extends Omit<AuditEventInput, 'details'> {
  id: number;
  actorName: string | null;
  details: Record<string, unknown>;
}

/** What the audit log page and its export narrow the events by; every part is optional. */
export interface AuditFilter {
  /** Events by any of these users; an empty list matches nothing. */
  actorIds?: readonly number[];
  /** Only events without a user (the system, or a failed login for an unknown account). */
  systemActor?: boolean;
  action?: AuditAction;
  targetType?: string;
  targetId?: string;
  /** UTC ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** A position in the newest-first order, for reading an export in chunks. */
export interface AuditCursor {
  at: string;
  id: number;
}

/** A user an admin may mean by a search in the audit log's actor filter. */
export interface ActorCandidate {
  id: number;
  fullName: string;
  email: string | null;
  nip: string | null;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The SQL that picks the ids of the filtered events (after `after`, if given), newest first: `at`, then `id`. Every
 * audit index ends in `at` and carries the rowid, so a single filter is answered from its index alone. The text is
 * built only from the fixed fragments below, never from input; values are bound parameters.
 */
function idQuery(
  filter: AuditFilter,
  after: AuditCursor | null,
  tail: string,
): { sql: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.actorIds) {
    const names = filter.actorIds.map((id, i) => {
      params[`actor${i}`] = id;
      return `@actor${i}`;
    });
    conditions.push(names.length === 0 ? '0' : `actor_user_id IN (${names.join(', ')})`);
  }
  if (filter.systemActor) conditions.push('actor_user_id IS NULL');
  const equal = { action: 'action', targetType: 'target_type', targetId: 'target_id' } as const;
  for (const [key, column] of Object.entries(equal) as [keyof typeof equal, string][]) {
    if (filter[key] === undefined) continue;
    conditions.push(`${column} = @${key}`);
    params[key] = filter[key];
  }
  if (filter.from !== undefined) {
    conditions.push('at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    conditions.push('at < @to');
    params.to = filter.to;
  }
  if (after) {
    conditions.push('(at, id) < (@afterAt, @afterId)');
    params.afterAt = after.at;
    params.afterId = after.id;
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return { sql: `SELECT id FROM audit_events ${where} ORDER BY at DESC, id DESC ${tail}`, params };
}

interface AuditEventRow {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_name: string | null;
  ip: string | null;
  user_agent: string | null;
  action: AuditAction;
  target_type: string | null;
  target_id: string | null;
  details: string;
}

export function auditRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit_events (at, actor_user_id, ip, user_agent, action, target_type, target_id, details)
     VALUES (@at, @actorUserId, @ip, @userAgent, @action, @targetType, @targetId, @details)`,
  );
  const recent = db.prepare<[number], AuditEventRow>(
    `SELECT a.*, u.full_name AS actor_name FROM audit_events a
     LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.id DESC LIMIT ?`,
  );
  const forTarget = db.prepare<[string, string], AuditEventRow>(
    `SELECT a.*, u.full_name AS actor_name FROM audit_events a
     LEFT JOIN users u ON u.id = a.actor_user_id WHERE a.target_type = ? AND a.target_id = ? ORDER BY a.id`,
  );
  const toEvent = (row: AuditEventRow): AuditEvent => ({
    id: row.id,
    at: row.at,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    ip: row.ip,
    userAgent: row.user_agent,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  });
  const actorCandidates = db.prepare<Record<string, unknown>, ActorCandidate>(
    `SELECT id, full_name AS fullName, email, nip FROM users
     WHERE full_name LIKE @like ESCAPE '\\' OR email LIKE @like ESCAPE '\\'
        OR (@nipPrefix IS NOT NULL AND nip LIKE @nipPrefix)
     LIMIT @limit`,
  );
  // Filters combine freely, so this statement is prepared per call (a fraction of a millisecond). Only the ids
  // of the rows shown are picked by the filter; then just those rows are read and joined to their actor.
  const rowsFor = (ids: { sql: string; params: Record<string, unknown> }): AuditEvent[] =>
    db
      .prepare<Record<string, unknown>, AuditEventRow>(
        `SELECT a.*, u.full_name AS actor_name FROM audit_events a
         LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE a.id IN (${ids.sql}) ORDER BY a.at DESC, a.id DESC`,
      )
      .all(ids.params)
      .map(toEvent);
  return {
    insert: (event: AuditEventInput): void => {
      insert.run(event);
    },
    recent: (limit: number): AuditEvent[] => recent.all(limit).map(toEvent),
    forTarget: (targetType: string, targetId: string): AuditEvent[] =>
      forTarget.all(targetType, targetId).map(toEvent),
    /** One page of the filtered events, newest first. */
    search: (filter: AuditFilter, page: { limit: number; offset: number }): AuditEvent[] => {
      const ids = idQuery(filter, null, 'LIMIT @limit OFFSET @offset');
      return rowsFor({ sql: ids.sql, params: { ...ids.params, ...page } });
    },
    /** The next `limit` filtered events after `after` (newest first): an export reads all of them in chunks. */
    searchAfter: (filter: AuditFilter, after: AuditCursor | null, limit: number): AuditEvent[] => {
      const ids = idQuery(filter, after, 'LIMIT @limit');
      return rowsFor({ sql: ids.sql, params: { ...ids.params, limit } });
    },
    /** Users whose name or email contains `text`, or whose NIP starts with its digits; at most `limit`. */
    actorCandidates: (text: string, limit: number): ActorCandidate[] => {
      const digits = text.replace(/\s+/g, '');
      return actorCandidates.all({
        like: `%${escapeLike(text)}%`,
        nipPrefix: /^\d{4,18}$/.test(digits) ? `${digits}%` : null,
        limit,
      });
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
