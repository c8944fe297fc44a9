import type { Db } from '../db/database.js';
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
});

export interface PactDraft {
  title: string;
  body: string;
  place: string;
  audience: Audience;
  opensAt: string;
  deadline: string;
}

export function pactRepository(db: Db) {
  const byId = db.prepare<[number], PactRow>('SELECT * FROM pacts WHERE id = ?');
  const all = db.prepare<[], PactRow>('SELECT * FROM pacts ORDER BY created_at DESC, id DESC');
  const byStatus = db.prepare<[PactStatus], PactRow>(
    'SELECT * FROM pacts WHERE status = ? ORDER BY deadline, id',
  );
  const insert = db.prepare(
    `INSERT INTO pacts (title, body, place, version, supersedes_id, audience, opens_at, deadline, created_by,
                        created_at, updated_at)
     VALUES (@title, @body, @place, @version, @supersedesId, @audience, @opensAt, @deadline, @createdBy, @now, @now)`,
  );
  const updateDraft = db.prepare(
    `UPDATE pacts SET title = @title, body = @body, place = @place, audience = @audience, opens_at = @opensAt,
                      deadline = @deadline, updated_at = @now
     WHERE id = @id AND status = 'draft'`,
  );
  const open = db.prepare(
    `UPDATE pacts SET status = 'open', body_sha256 = @sha, opened_at = @now, updated_at = @now
     WHERE id = @id AND status = 'draft'`,
  );
  const close = db.prepare(
    "UPDATE pacts SET status = 'closed', closed_at = @now, updated_at = @now WHERE id = @id AND status = 'open'",
  );
  const unitIds = db
    .prepare<[number], number>('SELECT unit_id FROM pact_units WHERE pact_id = ? ORDER BY unit_id')
    .pluck();
  const clearUnits = db.prepare('DELETE FROM pact_units WHERE pact_id = ?');
  const addUnit = db.prepare('INSERT INTO pact_units (pact_id, unit_id) VALUES (?, ?)');
  const revision = db.prepare<[number], PactRow>('SELECT * FROM pacts WHERE supersedes_id = ?');
  // Who must sign is the view pact_required (migration 013), the one rule every reader uses.
  const requirement = db.prepare<{ pactId: number; userId: number }, { is_head: number }>(
    'SELECT is_head FROM pact_required WHERE pact_id = @pactId AND user_id = @userId LIMIT 1',
  );
  /** Open and closed pacts that require the user now, or that the user has signed. */
  const forUser = db.prepare<{ userId: number }, PactRow & { required: number }>(
    `SELECT p.*, (mine.pact_id IS NOT NULL) AS required
     FROM pacts p
     LEFT JOIN (SELECT pact_id FROM pact_required WHERE user_id = @userId) mine ON mine.pact_id = p.id
     WHERE p.status <> 'draft'
       AND (mine.pact_id IS NOT NULL
            OR EXISTS (SELECT 1 FROM signatures s WHERE s.pact_id = p.id AND s.user_id = @userId))
     ORDER BY p.deadline DESC, p.id DESC`,
  );

  return {
    findById: (id: number): Pact | undefined => {
      const row = byId.get(id);
      return row && toPact(row);
    },
    list: (): Pact[] => all.all().map(toPact),
    listByStatus: (status: PactStatus): Pact[] => byStatus.all(status).map(toPact),
    insert: (
      draft: PactDraft & { version: number; supersedesId: number | null; createdBy: number | null },
      at: Date,
    ): number => Number(insert.run({ ...draft, now: at.toISOString() }).lastInsertRowid),
    /** Changes a draft; false when the pact is no longer a draft (nothing changed). */
    updateDraft: (id: number, draft: PactDraft, at: Date): boolean =>
      updateDraft.run({ id, ...draft, now: at.toISOString() }).changes > 0,
    open: (id: number, bodySha256: string, at: Date): boolean =>
      open.run({ id, sha: bodySha256, now: at.toISOString() }).changes > 0,
    close: (id: number, at: Date): boolean => close.run({ id, now: at.toISOString() }).changes > 0,
    unitIds: (pactId: number): number[] => unitIds.all(pactId),
    setUnits: (pactId: number, ids: readonly number[]): void => {
      clearUnits.run(pactId);
      for (const unitId of ids) addUnit.run(pactId, unitId);
    },
    /** The newer version that revises this pact, if any. */
    findRevision: (id: number): Pact | undefined => {
      const row = revision.get(id);
      return row && toPact(row);
    },
    /**
     * Whether the pact requires this person's signature now, and if so whether as the head of their unit; undefined
     * when it does not (not in its scope, not its audience, disabled, or in an inactive unit).
     */
    requirement: (pactId: number, userId: number): { asHead: boolean } | undefined => {
      const row = requirement.get({ pactId, userId });
      return row && { asHead: row.is_head === 1 };
    },
    /** Pacts to show a user on /pakta: those they must sign now (`required`) and those they signed. */
    forUser: (userId: number): { pact: Pact; required: boolean }[] =>
      forUser.all({ userId }).map((row) => ({ pact: toPact(row), required: row.required === 1 })),
  };
}

export type PactRepository = ReturnType<typeof pactRepository>;
