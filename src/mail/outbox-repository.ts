import { sql } from 'kysely';
import { allRows, countOf, type Db, firstRow } from '../db/database.js';

export type OutboxStatus = 'kept' | 'sent' | 'failed';

export interface OutboxMessage {
  id: number;
  createdAt: string;
  kind: string;
  to: string;
  subject: string;
  body: string | null;
  status: OutboxStatus;
  error: string | null;
}

interface OutboxRow {
  id: number;
  created_at: string;
  kind: string;
  to_address: string;
  subject: string;
  body: string | null;
  status: OutboxStatus;
  error: string | null;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  createdAt: row.created_at,
  kind: row.kind,
  to: row.to_address,
  subject: row.subject,
  body: row.body,
  status: row.status,
  error: row.error,
});

export function outboxRepository(db: Db) {
  return {
    insert: async (message: Omit<OutboxMessage, 'id'>): Promise<number> => {
      const row = await firstRow(
        db,
        sql<{ id: number }>`
          INSERT INTO outbox (created_at, kind, to_address, subject, body, status, error)
          VALUES (${message.createdAt}, ${message.kind}, ${message.to}, ${message.subject}, ${message.body},
                  ${message.status}, ${message.error})
          RETURNING id`,
      );
      return (row as { id: number }).id;
    },
    page: async (limit: number, offset: number): Promise<OutboxMessage[]> =>
      (
        await allRows(
          db,
          sql<OutboxRow>`SELECT * FROM outbox ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`,
        )
      ).map(toMessage),
    count: (): Promise<number> => countOf(db, sql`SELECT count(*) AS n FROM outbox`),
    /**
     * The messages to this address (in any case), newest first, without their bodies: what a person's own data page
     * lists. A body kept without SMTP may hold a password link that still works, which a downloaded copy must not.
     */
    toAddress: async (address: string): Promise<Omit<OutboxMessage, 'body' | 'error'>[]> =>
      (
        await allRows(
          db,
          sql<Omit<OutboxRow, 'body' | 'error'>>`
            SELECT id, created_at, kind, to_address, subject, status FROM outbox
            WHERE lower(to_address) = lower(${address}) ORDER BY id DESC`,
        )
      ).map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        kind: row.kind,
        to: row.to_address,
        subject: row.subject,
        status: row.status,
      })),
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
