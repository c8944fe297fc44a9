import { type Db, inTransaction } from './database.js';

/** Runs write work in shared transactions; each caller hears back only after the commit that holds its work. */
export interface GroupCommit {
  run<T>(work: () => Promise<T>): Promise<T>;
}

interface Waiting {
  work: () => Promise<unknown>;
  resolve: (value: never) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit: every durable commit (synchronous=FULL) waits for the disk, about a millisecond here, and one
 * transaction a commit caps a process near a thousand writes a second however little each write does. Work handed
 * to run() waits for the current turn of the event loop to end; then everything that arrived meanwhile (at most
 * `maxBatch`) runs in one IMMEDIATE transaction, each piece inside its own savepoint, and is committed once. A
 * piece that throws is rolled back alone and its caller gets the error; the others still commit. If the commit
 * itself fails, or an error ends the whole transaction (a full disk), every caller of that batch gets the error and
 * nothing of the batch is written. No caller waits for
 * a timer: an idle server commits a lone write on the next turn, and a busy one gathers what arrived while the last
 * commit was on its way to the disk.
 */
export function groupCommit(db: Db, { maxBatch = 64 }: { maxBatch?: number } = {}): GroupCommit {
  const queue: Waiting[] = [];
  let scheduled = false;
  // One batch in flight at a time: what arrives while it commits waits for the next, which takes it all at once.
  // On PostgreSQL a transaction awaits the server many times; a second batch started meanwhile would only queue at
  // the ledger's lock, and the batches would shrink to a signing each, every one waiting for its own WAL flush.
  let flushing = false;

  const flush = async () => {
    scheduled = false;
    flushing = true;
    try {
      await commitBatch(queue.splice(0, maxBatch));
    } finally {
      flushing = false;
      if (queue.length > 0) schedule();
    }
  };

  const commitBatch = async (batch: Waiting[]) => {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await inTransaction(db, async () => {
        for (const waiting of batch) {
          try {
            // Inside the outer transaction this is a savepoint.
            outcomes.push({ ok: true, value: await inTransaction(db, waiting.work) });
          } catch (error) {
            // Some errors (a full disk, out of memory) make SQLite roll back the whole transaction, not just the
            // savepoint (then rolling back to the savepoint fails too, and that error ends the batch): what
            // follows would run and commit on its own, outside the lock. Fail the whole batch.
            if (db.sqlite && !db.sqlite.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) waiting.resolve(outcome.value as never);
      else waiting.reject(outcome?.error);
    });
  };

  const schedule = () => {
    if (scheduled || flushing) return;
    scheduled = true;
    setImmediate(() => void flush());
  };

  return {
    run: <T>(work: () => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: never) => void, reject });
        schedule();
      }),
  };
}
