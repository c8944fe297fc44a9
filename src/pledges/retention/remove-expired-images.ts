import { recordEvent, systemActor } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { type Db, inTransaction } from '../../db/database.js';
import { asTheOnlyNode } from '../../db/node-lock.js';
import { readInstanceSettings } from '../../settings/instance.js';
import type { SettingsRepository } from '../../settings/repository.js';
import type { SignatureRepository } from '../signature-repository.js';

/** Drawings deleted per transaction: a short write at a time, whatever the number due (50,000 after a big year). */
export const RETENTION_BATCH = 500;

/** The advisory lock key of the retention job (PostgreSQL): "IKRR" in ASCII, and the schema's hash. */
const RETENTION_LOCK = 0x494b5252;

export interface RetentionRun {
  /** False when another app node was running the job (PostgreSQL): this call did nothing. */
  ran: boolean;
  /** Drawings deleted by this run. */
  removed: number;
  /** The setting the run applied, in years after a pact closes. */
  years: number;
  /** Pacts closed before this instant lost their drawings. */
  closedBefore: string;
}

/** The instant `years` calendar years before `now` (29 February falls back to 28 February or 1 March as Date does). */
export function yearsBefore(now: Date, years: number): Date {
  const then = new Date(now);
  then.setUTCFullYear(then.getUTCFullYear() - years);
  return then;
}

/**
 * The retention rule for drawn signatures (UU 27/2022: kept no longer than needed): deletes the drawing of every
 * signature whose pact was closed more than the instance's `signatureRetentionYears` ago, keeping its hash, so that
 * the receipt and the ledger still verify. A pact still open is not counted from its deadline: it may yet be
 * extended and signed. In transactions of `batch` signatures, each audited in its own transaction
 * (`signature.images_removed`, by the system, with that batch's count), so that no deletion that was committed goes
 * unrecorded, whenever a run stops; a batch that deleted nothing records nothing, so a second run is silent. One app
 * node at a time on PostgreSQL.
 */
export async function removeExpiredImages(
  services: {
    db: Db;
    audit: AuditRepository;
    clock: Clock;
    settings: SettingsRepository;
    signatures: SignatureRepository;
  },
  batch = RETENTION_BATCH,
): Promise<RetentionRun> {
  const now = services.clock.now();
  const years = (await readInstanceSettings(services.settings)).signatureRetentionYears;
  const closedBefore = yearsBefore(now, years).toISOString();
  let removed = 0;
  const ran = await asTheOnlyNode(services.db, RETENTION_LOCK, async () => {
    for (let more = true; more; ) {
      removed += await inTransaction(services.db, async () => {
        const ids = await services.signatures.imagesPastRetention(closedBefore, batch);
        more = ids.length === batch;
        const count = await services.signatures.removeImages(ids, 'retention', now);
        if (count > 0) {
          await recordEvent(services.audit, {
            actor: systemActor,
            action: 'signature.images_removed',
            details: { count, years, closedBefore },
            at: now,
          });
        }
        return count;
      });
    }
  });
  return { ran, removed, years, closedBefore };
}
