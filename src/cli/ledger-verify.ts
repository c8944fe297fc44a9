import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { ledgerRepository } from '../ledger/repository.js';
import { verifyLedger } from '../ledger/verify-ledger.js';

// Recomputes the whole signature ledger of DATABASE_PATH. Exit 0: intact; 1: broken (the first bad entry is named).
const config = loadConfig({ ...process.env, IKRAR_DEMO: '0' });
const db = openDatabase(config.databasePath);
try {
  migrate(db);
  const check = verifyLedger(ledgerRepository(db), systemClock);
  if (check.ok) {
    console.log(
      `Buku besar utuh: ${check.entries} entri. Kepala: #${check.headSeq ?? 0} ${check.headHash ?? '(kosong)'}`,
    );
  } else {
    console.error(
      `Buku besar RUSAK mulai entri #${check.firstBadSeq}: ${check.problem} (${check.entries} entri dibaca)`,
    );
    process.exitCode = 1;
  }
} finally {
  db.close();
}
