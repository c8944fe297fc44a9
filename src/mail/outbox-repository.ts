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
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
