import { existsSync } from 'node:fs';
import { systemClock } from '../../core/clock.js';
import { type DatabaseLocation, openConfiguredDatabase } from '../../db/database.js';
import { ledgerRepository } from '../../ledger/repository.js';
import { scanRepository } from '../../scans/scan-repository.js';
import { pactRepository } from '../pact-repository.js';
import { signatureRepository } from '../signature-repository.js';
import { checkRecords } from './check-records.js';

/**
 * `npm run ledger:verify`: checks the ledger chain and every signature against it in the configured database (the
 * SQLite file or PostgreSQL), read-only, and prints the head or the first problem. Returns the exit code: 0 intact,
 * 1 broken (or no such database).
 */
export async function runLedgerVerify(
  location: DatabaseLocation,
  out: { log: (line: string) => void; error: (line: string) => void },
): Promise<number> {
  if (!location.databaseUrl && !existsSync(location.databasePath)) {
    out.error(`Basis data tidak ditemukan: ${location.databasePath}`);
    return 1;
  }
  const db = await openConfiguredDatabase(location, { readOnly: true });
  try {
    const check = await checkRecords(
      {
        ledger: ledgerRepository(db),
        pacts: pactRepository(db),
        scans: scanRepository(db),
        signatures: signatureRepository(db),
      },
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
    await db.close();
  }
}
