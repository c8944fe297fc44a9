import type { Db } from '../db/database.js';

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
  const insert = db.prepare(
    `INSERT INTO outbox (created_at, kind, to_address, subject, body, status, error)
     VALUES (@createdAt, @kind, @to, @subject, @body, @status, @error)`,
  );
  const page = db.prepare<[number, number], OutboxRow>(
    'SELECT * FROM outbox ORDER BY id DESC LIMIT ? OFFSET ?',
  );
  const count = db.prepare<[], number>('SELECT count(*) FROM outbox').pluck();
  return {
    insert: (message: Omit<OutboxMessage, 'id'>): number => Number(insert.run(message).lastInsertRowid),
    page: (limit: number, offset: number): OutboxMessage[] => page.all(limit, offset).map(toMessage),
    count: (): number => count.get() as number,
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
