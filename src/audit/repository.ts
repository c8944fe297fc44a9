import { type RawBuilder, sql } from 'kysely';
import { allRows, type Db, insertRows } from '../db/database.js';
import { inTexts, likeAnyCase } from '../db/dialect.js';
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

/** The records an event may name by id, whose names the audit log shows instead of the id. */
export const LABEL_KINDS = ['user', 'pact', 'unit', 'agreement', 'signature', 'post'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** The ids of each kind that a page of events names: one lookup per kind, whatever the number of rows. */
export type LabelRequest = Record<LabelKind, number[]>;

/** What the lookups found: a name or title per id; a signature as its signer and the pact's title. */
export interface Labels {
  user: Map<number, string>;
  pact: Map<number, string>;
  unit: Map<number, string>;
  agreement: Map<number, string>;
  post: Map<number, string>;
  signature: Map<number, { name: string; pact: string }>;
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

/** One time someone was shown a person's drawn signature (`signature.image_viewed`), as that person's data page lists it. */
export interface SignatureView {
  at: string;
  signatureId: number;
  /** The viewer as they are now; null when the account no longer exists. */
  viewerName: string | null;
  viewerRole: string | null;
  details: Record<string, unknown>;
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
  tail: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [];
  if (filter.actorIds) {
    conditions.push(
      filter.actorIds.length === 0 ? sql`1 = 0` : sql`actor_user_id IN (${sql.join(filter.actorIds)})`,
    );
  }
  if (filter.systemActor) conditions.push(sql`actor_user_id IS NULL`);
  const equal = { action: 'action', targetType: 'target_type', targetId: 'target_id' } as const;
  for (const [key, column] of Object.entries(equal) as [keyof typeof equal, string][]) {
    if (filter[key] === undefined) continue;
    conditions.push(sql`${sql.id(column)} = ${filter[key]}`);
  }
  if (filter.from !== undefined) conditions.push(sql`at >= ${filter.from}`);
  if (filter.to !== undefined) conditions.push(sql`at < ${filter.to}`);
  if (after) conditions.push(sql`(at, id) < (${after.at}, ${after.id})`);
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  return sql`SELECT id FROM audit_events ${where} ORDER BY at DESC, id DESC ${tail}`;
}

interface NamedRow {
  id: number;
  label: string;
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
  const events = async (query: RawBuilder<AuditEventRow>): Promise<AuditEvent[]> =>
    (await allRows(db, query)).map(toEvent);
  // Filters combine freely, so this statement is built per call. Only the ids of the rows shown are picked by the
  // filter; then just those rows are read and joined to their actor.
  const rowsFor = (ids: RawBuilder<unknown>): Promise<AuditEvent[]> =>
    events(
      sql<AuditEventRow>`SELECT a.*, u.full_name AS actor_name FROM audit_events a
                         LEFT JOIN users u ON u.id = a.actor_user_id
                         WHERE a.id IN (${ids}) ORDER BY a.at DESC, a.id DESC`,
    );
  return {
    /** Writes events in their order, a hundred to a statement. */
    insert: async (...events: AuditEventInput[]): Promise<void> => {
      await insertRows(
        db,
        sql`INSERT INTO audit_events (at, actor_user_id, ip, user_agent, action, target_type, target_id, details)`,
        events.map(
          (event) => sql`(${event.at}, ${event.actorUserId}, ${event.ip}, ${event.userAgent}, ${event.action},
                          ${event.targetType}, ${event.targetId}, ${event.details})`,
        ),
      );
    },
    recent: (limit: number): Promise<AuditEvent[]> =>
      events(
        sql<AuditEventRow>`SELECT a.*, u.full_name AS actor_name FROM audit_events a
                           LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.id DESC LIMIT ${limit}`,
      ),
    forTarget: (targetType: string, targetId: string): Promise<AuditEvent[]> =>
      events(
        sql<AuditEventRow>`SELECT a.*, u.full_name AS actor_name FROM audit_events a
                           LEFT JOIN users u ON u.id = a.actor_user_id
                           WHERE a.target_type = ${targetType} AND a.target_id = ${targetId} ORDER BY a.id`,
      ),
    /** One page of the filtered events, newest first. */
    search: (filter: AuditFilter, page: { limit: number; offset: number }): Promise<AuditEvent[]> =>
      rowsFor(idQuery(filter, null, sql`LIMIT ${page.limit} OFFSET ${page.offset}`)),
    /** The next `limit` filtered events after `after` (newest first): an export reads all of them in chunks. */
    searchAfter: (filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditEvent[]> =>
      rowsFor(idQuery(filter, after, sql`LIMIT ${limit}`)),
    /**
     * The names of the records a page of events names, one statement per kind of record (never one per row): people,
     * pacts, units, unit agreements and posts by name or title, signatures by signer and pact. Ids that no longer
     * exist are left out.
     */
    labelsFor: async (request: LabelRequest): Promise<Labels> => {
      const named = async (ids: number[], query: (ids: RawBuilder<unknown>) => RawBuilder<NamedRow>) =>
        new Map(
          ids.length === 0
            ? []
            : (await allRows(db, query(sql.join(ids)))).map((row) => [Number(row.id), row.label] as const),
        );
      const signatures =
        request.signature.length === 0
          ? []
          : await allRows(
              db,
              sql<{
                id: number;
                name: string;
                pact: string;
              }>`SELECT s.id, s.full_name AS name, p.title AS pact
                 FROM signatures s JOIN pacts p ON p.id = s.pact_id WHERE s.id IN (${sql.join(request.signature)})`,
            );
      return {
        user: await named(
          request.user,
          (ids) => sql`SELECT id, full_name AS label FROM users WHERE id IN (${ids})`,
        ),
        pact: await named(
          request.pact,
          (ids) => sql`SELECT id, title AS label FROM pacts WHERE id IN (${ids})`,
        ),
        unit: await named(
          request.unit,
          (ids) => sql`SELECT id, name AS label FROM units WHERE id IN (${ids})`,
        ),
        agreement: await named(
          request.agreement,
          (ids) => sql`SELECT id, title AS label FROM unit_agreements WHERE id IN (${ids})`,
        ),
        post: await named(
          request.post,
          (ids) => sql`SELECT id, title AS label FROM posts WHERE id IN (${ids})`,
        ),
        signature: new Map(signatures.map((row) => [Number(row.id), { name: row.name, pact: row.pact }])),
      };
    },
    /**
     * The latest `limit` events one person did (actor) or that were about them (their account, or one of their
     * signatures), newest first. Each of the three is read from its index, `limit` at most, before they are merged.
     */
    aboutPerson: (userId: number, signatureIds: readonly number[], limit: number): Promise<AuditEvent[]> => {
      const latest = (where: RawBuilder<unknown>) =>
        sql`SELECT id FROM (SELECT id FROM audit_events WHERE ${where} ORDER BY at DESC, id DESC LIMIT ${limit}) latest`;
      const arms = [
        latest(sql`actor_user_id = ${userId}`),
        latest(sql`target_type = 'user' AND target_id = ${String(userId)}`),
        ...(signatureIds.length === 0
          ? []
          : [
              latest(
                sql`target_type = 'signature' AND ${inTexts(db, sql`target_id`, signatureIds.map(String))}`,
              ),
            ]),
      ];
      return events(
        sql<AuditEventRow>`SELECT a.*, u.full_name AS actor_name FROM audit_events a
                           LEFT JOIN users u ON u.id = a.actor_user_id
                           WHERE a.id IN (${sql.join(arms, sql` UNION `)})
                           ORDER BY a.at DESC, a.id DESC LIMIT ${limit}`,
      );
    },
    /** Each time one of these signatures' drawn image was shown to someone other than its signer, newest first. */
    signatureViews: async (signatureIds: readonly number[]): Promise<SignatureView[]> =>
      signatureIds.length === 0
        ? []
        : (
            await allRows(
              db,
              sql<{
                at: string;
                target_id: string;
                details: string;
                viewer_name: string | null;
                viewer_role: string | null;
              }>`SELECT a.at, a.target_id, a.details, u.full_name AS viewer_name, u.role AS viewer_role
                 FROM audit_events a LEFT JOIN users u ON u.id = a.actor_user_id
                 WHERE a.target_type = 'signature'
                   AND ${inTexts(db, sql`a.target_id`, signatureIds.map(String))}
                   AND a.action = 'signature.image_viewed'
                 ORDER BY a.at DESC, a.id DESC`,
            )
          ).map((row) => ({
            at: row.at,
            signatureId: Number(row.target_id),
            viewerName: row.viewer_name,
            viewerRole: row.viewer_role,
            details: JSON.parse(row.details) as Record<string, unknown>,
          })),
    /** Users whose name or email contains `text`, or whose NIP starts with its digits; at most `limit`. */
    actorCandidates: (text: string, limit: number): Promise<ActorCandidate[]> => {
      const digits = text.replace(/\s+/g, '');
      const like = `%${escapeLike(text)}%`;
      const nipPrefix = /^\d{4,18}$/.test(digits) ? `${digits}%` : null;
      return allRows(
        db,
        sql<ActorCandidate>`SELECT id, full_name AS "fullName", email, nip FROM users
                            WHERE full_name ${likeAnyCase(db)} ${like} ESCAPE '\\' OR email LIKE ${like} ESCAPE '\\'
                               ${nipPrefix === null ? sql`` : sql`OR nip LIKE ${nipPrefix}`}
                            LIMIT ${limit}`,
      );
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
