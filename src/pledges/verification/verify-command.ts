import { existsSync } from 'node:fs';
import { systemClock } from '../../core/clock.js';
import { type DatabaseLocation, openConfiguredDatabase } from '../../db/database.js';
import { ledgerRepository } from '../../ledger/repository.js';
import { scanRepository } from '../../scans/scan-repository.js';
import { defaultTranslator } from '../../web/i18n.js';
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
  const t = defaultTranslator();
  if (!location.databaseUrl && !existsSync(location.databasePath)) {
    out.error(t('ledger.verify.no_database', { path: location.databasePath }));
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
        t('ledger.verify.intact', {
          entries: check.entries,
          seq: check.headSeq ?? 0,
          hash: check.headHash ?? t('ledger.verify.empty_head'),
        }),
      );
      return 0;
    }
    const params = { seq: check.firstBadSeq ?? 0, problem: check.problem ?? '', entries: check.entries };
    out.error(t(check.firstBadSeq === null ? 'ledger.verify.broken' : 'ledger.verify.broken_at', params));
    return 1;
  } finally {
    await db.close();
  }
}
