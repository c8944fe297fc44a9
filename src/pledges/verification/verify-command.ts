import { existsSync } from 'node:fs';
import { systemClock } from '../../core/clock.js';
import { openDatabaseReadOnly } from '../../db/database.js';
import { ledgerRepository } from '../../ledger/repository.js';
import { pactRepository } from '../pact-repository.js';
import { signatureRepository } from '../signature-repository.js';
import { checkRecords } from './check-records.js';

/**
 * `npm run ledger:verify`: checks the ledger chain and every signature against it in a database file, read-only, and
 * prints the head or the first problem. Returns the exit code: 0 intact, 1 broken (or no such database).
 */
export function runLedgerVerify(
  databasePath: string,
  out: { log: (line: string) => void; error: (line: string) => void },
): number {
  if (!existsSync(databasePath)) {
    out.error(`Basis data tidak ditemukan: ${databasePath}`);
    return 1;
  }
  const db = openDatabaseReadOnly(databasePath);
  try {
    const check = checkRecords(
      { ledger: ledgerRepository(db), pacts: pactRepository(db), signatures: signatureRepository(db) },
      systemClock,
      { record: false },
    );
    if (check.ok) {
      out.log(
        `Buku besar utuh: ${check.entries} entri, semua tanda tangan cocok. Kepala: #${check.headSeq ?? 0} ${check.headHash ?? '(kosong)'}`,
      );
      return 0;
    }
    const where = check.firstBadSeq === null ? '' : ` mulai entri #${check.firstBadSeq}`;
    out.error(`Buku besar RUSAK${where}: ${check.problem} (${check.entries} entri dibaca)`);
    return 1;
  } finally {
    db.close();
  }
}
