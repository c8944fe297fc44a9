import { type RawBuilder, sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';
import type { Audience, Pact, PactStatus } from './types.js';

interface PactRow {
  id: number;
  title: string;
  body: string;
  place: string;
  version: number;
  supersedes_id: number | null;
  body_sha256: string | null;
  audience: Audience;
  opens_at: string;
  deadline: string;
  status: PactStatus;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  opened_at: string | null;
  closed_at: string | null;
  ceremony_on: string | null;
  ceremony_place: string | null;
  archived: number;
}

const toPact = (row: PactRow): Pact => ({
  id: row.id,
  title: row.title,
  body: row.body,
  place: row.place,
  version: row.version,
  supersedesId: row.supersedes_id,
  bodySha256: row.body_sha256,
  audience: row.audience,
  opensAt: row.opens_at,
  deadline: row.deadline,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  openedAt: row.opened_at,
  closedAt: row.closed_at,
  ceremonyOn: row.ceremony_on,
  ceremonyPlace: row.ceremony_place,
  archived: Number(row.archived) === 1,
});

export interface PactDraft {
  title: string;
  body: string;
  place: string;
  audience: Audience;
  opensAt: string;
  deadline: string;
  archived: boolean;
  ceremonyOn: string | null;
  ceremonyPlace: string | null;
}

/** One move of a pact's deadline: from, to, why, when and by whom (their name). */
export interface DeadlineExtension {
  from: string;
  to: string;
  reason: string;
  at: string;
  byName: string | null;
}

export function pactRepository(db: Db) {
  const one = async (query: RawBuilder<PactRow>): Promise<Pact | undefined> => {
    const row = await firstRow(db, query);
    return row && toPact(row);
  };
  const many = async (query: RawBuilder<PactRow>): Promise<Pact[]> => (await allRows(db, query)).map(toPact);

  return {
    findById: (id: number) => one(sql`SELECT * FROM pacts WHERE id = ${id}`),
    list: () => many(sql`SELECT * FROM pacts ORDER BY created_at DESC, id DESC`),
    listByStatus: (status: PactStatus) =>
      many(sql`SELECT * FROM pacts WHERE status = ${status} ORDER BY deadline, id`),
    insert: async (
      draft: PactDraft & { version: number; supersedesId: number | null; createdBy: number | null },
      at: Date,
    ): Promise<number> => {
      const now = at.toISOString();
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO pacts (title, body, place, version, supersedes_id, audience, opens_at, deadline, archived,
                             ceremony_on, ceremony_place, created_by, created_at, updated_at)
          VALUES (${draft.title}, ${draft.body}, ${draft.place}, ${draft.version}, ${draft.supersedesId},
                  ${draft.audience}, ${draft.opensAt}, ${draft.deadline}, ${draft.archived ? 1 : 0},
                  ${draft.ceremonyOn}, ${draft.ceremonyPlace}, ${draft.createdBy}, ${now}, ${now})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    /** Changes a draft; false when the pact is no longer a draft (nothing changed). */
    updateDraft: async (id: number, draft: PactDraft, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE pacts SET title = ${draft.title}, body = ${draft.body}, place = ${draft.place},
                             audience = ${draft.audience}, opens_at = ${draft.opensAt}, deadline = ${draft.deadline},
                             archived = ${draft.archived ? 1 : 0}, ceremony_on = ${draft.ceremonyOn},
                             ceremony_place = ${draft.ceremonyPlace}, updated_at = ${at.toISOString()}
            WHERE id = ${id} AND status = 'draft'`,
      )) > 0,
    open: async (id: number, bodySha256: string, at: Date): Promise<boolean> => {
      const now = at.toISOString();
      return (
        (await run(
          db,
          sql`UPDATE pacts SET status = 'open', body_sha256 = ${bodySha256}, opened_at = ${now}, updated_at = ${now}
              WHERE id = ${id} AND status = 'draft'`,
        )) > 0
      );
    },
    /**
     * Publishes an archived draft straight to closed, its body frozen: open and closed as its period was (the audit
     * log says when it was entered); false when it is not an archived draft.
     */
    openAsArchive: async (id: number, bodySha256: string, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE pacts SET status = 'closed', body_sha256 = ${bodySha256}, opened_at = opens_at, closed_at = deadline,
                             updated_at = ${at.toISOString()}
            WHERE id = ${id} AND status = 'draft' AND archived = 1`,
      )) > 0,
    /** Sets (or clears) the ceremony of a pact that is not a draft; false when it is a draft (its form does). */
    setCeremony: async (
      id: number,
      ceremonyOn: string | null,
      place: string | null,
      at: Date,
    ): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE pacts SET ceremony_on = ${ceremonyOn}, ceremony_place = ${place}, updated_at = ${at.toISOString()}
            WHERE id = ${id} AND status <> 'draft'`,
      )) > 0,
    close: async (id: number, at: Date): Promise<boolean> => {
      const now = at.toISOString();
      return (
        (await run(
          db,
          sql`UPDATE pacts SET status = 'closed', closed_at = ${now}, updated_at = ${now}
              WHERE id = ${id} AND status = 'open'`,
        )) > 0
      );
    },
    /**
     * Moves an open pact's deadline later and records why; false when the pact is not open or the new deadline is
     * not later than the current one (the database refuses either too).
     */
    extendDeadline: async (extension: {
      pactId: number;
      from: string;
      to: Date;
      reason: string;
      by: number;
      at: Date;
    }): Promise<boolean> => {
      const to = extension.to.toISOString();
      const at = extension.at.toISOString();
      const moved =
        (await run(
          db,
          sql`UPDATE pacts SET deadline = ${to}, updated_at = ${at}
              WHERE id = ${extension.pactId} AND status = 'open' AND deadline = ${extension.from}
                AND deadline < ${to}`,
        )) > 0;
      if (moved) {
        await run(
          db,
          sql`INSERT INTO pact_deadline_extensions (pact_id, from_deadline, to_deadline, reason, extended_by,
                                                    extended_at)
              VALUES (${extension.pactId}, ${extension.from}, ${to}, ${extension.reason}, ${extension.by}, ${at})`,
        );
      }
      return moved;
    },
    /** A pact's deadline extensions, oldest first, with who made each. */
    deadlineExtensions: async (pactId: number): Promise<DeadlineExtension[]> =>
      (
        await allRows(
          db,
          sql<{
            from_deadline: string;
            to_deadline: string;
            reason: string;
            extended_at: string;
            extended_by_name: string | null;
          }>`
            SELECT e.from_deadline, e.to_deadline, e.reason, e.extended_at, u.full_name AS extended_by_name
            FROM pact_deadline_extensions e LEFT JOIN users u ON u.id = e.extended_by
            WHERE e.pact_id = ${pactId} ORDER BY e.extended_at, e.id`,
        )
      ).map((row) => ({
        from: row.from_deadline,
        to: row.to_deadline,
        reason: row.reason,
        at: row.extended_at,
        byName: row.extended_by_name,
      })),
    unitIds: async (pactId: number): Promise<number[]> =>
      (
        await allRows(
          db,
          sql<{ unit_id: number }>`SELECT unit_id FROM pact_units WHERE pact_id = ${pactId} ORDER BY unit_id`,
        )
      ).map((row) => row.unit_id),
    setUnits: async (pactId: number, ids: readonly number[]): Promise<void> => {
      await run(db, sql`DELETE FROM pact_units WHERE pact_id = ${pactId}`);
      for (const unitId of ids) {
        await run(db, sql`INSERT INTO pact_units (pact_id, unit_id) VALUES (${pactId}, ${unitId})`);
      }
    },
    /** The newer version that revises this pact, if any. */
    findRevision: (id: number) => one(sql`SELECT * FROM pacts WHERE supersedes_id = ${id}`),
    /**
     * Whether the pact requires this person's signature now, and if so whether as the head of their unit; undefined
     * when it does not (not in its scope, not its audience, disabled, or in an inactive unit).
     */
    requirement: async (pactId: number, userId: number): Promise<{ asHead: boolean } | undefined> => {
      // Who must sign is the view pact_required (migration 013), the one rule every reader uses.
      const row = await firstRow(
        db,
        sql<{ is_head: number }>`SELECT is_head FROM pact_required
                                 WHERE pact_id = ${pactId} AND user_id = ${userId} LIMIT 1`,
      );
      return row && { asHead: row.is_head === 1 };
    },
    /**
     * Pacts to show a user on /pakta: those they must sign now (`required`) and those they signed; the nearest
     * deadline first, so that what is due soonest heads the list of pacts to sign.
     */
    forUser: async (userId: number): Promise<{ pact: Pact; required: boolean }[]> =>
      (
        await allRows(
          db,
          // Open and closed pacts that require the user now, or that the user has signed.
          sql<PactRow & { required: number }>`
            SELECT p.*, CASE WHEN mine.pact_id IS NOT NULL THEN 1 ELSE 0 END AS required
            FROM pacts p
            LEFT JOIN (SELECT pact_id FROM pact_required WHERE user_id = ${userId}) mine ON mine.pact_id = p.id
            WHERE p.status <> 'draft'
              AND (mine.pact_id IS NOT NULL
                   OR EXISTS (SELECT 1 FROM signatures s WHERE s.pact_id = p.id AND s.user_id = ${userId}))
            ORDER BY p.deadline, p.id`,
        )
      ).map((row) => ({ pact: toPact(row), required: row.required === 1 })),
  };
}

export type PactRepository = ReturnType<typeof pactRepository>;
