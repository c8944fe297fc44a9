import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';

/** One letter to an A4 page, or two A5 letters side by side on a landscape A4 sheet (cut in half). */
export const LETTER_LAYOUTS = ['a4', 'a5'] as const;
export type LetterLayout = (typeof LETTER_LAYOUTS)[number];

export type LetterBatchStatus = 'prepared' | 'printing' | 'done' | 'failed';

/** A print run of activation letters, from its preview to its last page. */
export interface LetterBatch {
  id: number;
  createdBy: number;
  createdAt: string;
  /** Whom it is for, as the preview said: 'Dinas Kesehatan dan sub-unitnya'. */
  description: string;
  layout: LetterLayout;
  /** Whether people who already have a password get a letter too (a reset letter; admins only). */
  resets: boolean;
  /** The people confirmed on the preview, in print order. */
  recipientIds: number[];
  total: number;
  printed: number;
  status: LetterBatchStatus;
  startedAt: string | null;
  finishedAt: string | null;
}

interface LetterBatchRow {
  id: number;
  created_by: number;
  created_at: string;
  description: string;
  layout: LetterLayout;
  resets: number;
  recipient_ids: string;
  total: number;
  printed: number;
  status: LetterBatchStatus;
  started_at: string | null;
  finished_at: string | null;
}

const toBatch = (row: LetterBatchRow): LetterBatch => ({
  id: row.id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  description: row.description,
  layout: row.layout,
  resets: row.resets === 1,
  recipientIds: JSON.parse(row.recipient_ids) as number[],
  total: row.total,
  printed: row.printed,
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

export function letterBatchRepository(db: Db) {
  return {
    insert: async (batch: {
      createdBy: number;
      createdAt: Date;
      description: string;
      layout: LetterLayout;
      resets: boolean;
      recipientIds: readonly number[];
    }): Promise<number> =>
      (
        (await firstRow(
          db,
          sql<{ id: number }>`
            INSERT INTO activation_letter_batches (created_by, created_at, description, layout, resets, recipient_ids,
                                                   total)
            VALUES (${batch.createdBy}, ${batch.createdAt.toISOString()}, ${batch.description}, ${batch.layout},
                    ${batch.resets ? 1 : 0}, ${JSON.stringify(batch.recipientIds)}, ${batch.recipientIds.length})
            RETURNING id`,
        )) as { id: number }
      ).id,
    findById: async (id: number): Promise<LetterBatch | undefined> => {
      const row = await firstRow(
        db,
        sql<LetterBatchRow>`SELECT * FROM activation_letter_batches WHERE id = ${id}`,
      );
      return row && toBatch(row);
    },
    /** The newest runs of one person (the list on the letters page), without their recipient lists. */
    recentOf: async (createdBy: number, limit: number): Promise<Omit<LetterBatch, 'recipientIds'>[]> =>
      (
        await allRows(
          db,
          sql<LetterBatchRow>`
            SELECT id, created_by, created_at, description, layout, resets, '[]' AS recipient_ids, total, printed,
                   status, started_at, finished_at
            FROM activation_letter_batches WHERE created_by = ${createdBy}
            ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
        )
      ).map(toBatch),
    /**
     * Takes a run for printing: one that is prepared, failed, or printing since before `staleBefore` (its process
     * died). False when another request is printing it or it is done, so that two clicks never print it twice.
     */
    claim: async (id: number, at: Date, staleBefore: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE activation_letter_batches SET status = 'printing', printed = 0, started_at = ${at.toISOString()},
                                                 finished_at = NULL
            WHERE id = ${id} AND (status IN ('prepared', 'failed')
                                  OR (status = 'printing' AND started_at < ${staleBefore.toISOString()}))`,
      )) > 0,
    /** How many letters of a run are on their way to the printer (read by the progress bar). */
    setPrinted: async (id: number, printed: number): Promise<void> => {
      await run(db, sql`UPDATE activation_letter_batches SET printed = ${printed} WHERE id = ${id}`);
    },
    /** Ends a run. A run done never prints again: its list of people is dropped (a failed one keeps it). */
    finish: async (id: number, status: 'done' | 'failed', printed: number, at: Date): Promise<void> => {
      await run(
        db,
        sql`UPDATE activation_letter_batches SET status = ${status}, printed = ${printed},
                                                 finished_at = ${at.toISOString()}
                                                 ${status === 'done' ? sql`, recipient_ids = '[]'` : sql``}
            WHERE id = ${id}`,
      );
    },
  };
}

export type LetterBatchRepository = ReturnType<typeof letterBatchRepository>;
