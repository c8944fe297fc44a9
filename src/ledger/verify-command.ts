import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { ledgerRepository } from './repository.js';
import { verifyLedger } from './verify-ledger.js';

/**
 * `npm run ledger:verify`: recomputes the whole ledger of a database file and prints the head, or the first broken
 * entry. Returns the exit code: 0 intact, 1 broken.
 */
export function runLedgerVerify(
  databasePath: string,
  out: { log: (line: string) => void; error: (line: string) => void },
): number {
  const db = openDatabase(databasePath);
  try {
    migrate(db);
    const check = verifyLedger(ledgerRepository(db), systemClock);
    if (check.ok) {
      out.log(
        `Buku besar utuh: ${check.entries} entri. Kepala: #${check.headSeq ?? 0} ${check.headHash ?? '(kosong)'}`,
      );
      return 0;
    }
    out.error(
      `Buku besar RUSAK mulai entri #${check.firstBadSeq}: ${check.problem} (${check.entries} entri dibaca)`,
    );
    return 1;
  } finally {
    db.close();
  }
}
