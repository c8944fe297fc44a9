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
  /** Pacts that ended (closed, or past their deadline if nobody closed them) before this instant lost their drawings. */
  endedBefore: string;
}

/** The instant `years` calendar years before `now` (29 February falls back to 28 February or 1 March as Date does). */
export function yearsBefore(now: Date, years: number): Date {
  const then = new Date(now);
  then.setUTCFullYear(then.getUTCFullYear() - years);
  return then;
}

/**
 * The retention rule for drawn signatures (UU 27/2022: kept no longer than needed): deletes the drawing of every
 * signature whose pact ended (was closed; or, left open, passed its deadline, after which nobody signs it) more than
 * the instance's `signatureRetentionYears` ago, keeping its hash, so that the
 * receipt and the ledger still verify. In transactions of `batch` signatures; the run is audited once
 * (`signature.images_removed`, by the system, with the count), in the transaction of its last batch, and only when it
 * deleted something: a second run finds nothing and records nothing. One app node at a time on PostgreSQL.
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
  const endedBefore = yearsBefore(now, years).toISOString();
  let removed = 0;
  const ran = await asTheOnlyNode(services.db, RETENTION_LOCK, async () => {
    for (let more = true; more; ) {
      await inTransaction(services.db, async () => {
        const ids = await services.signatures.imagesPastRetention(endedBefore, batch);
        removed += await services.signatures.removeImages(ids, 'retention', now);
        more = ids.length === batch;
        if (!more && removed > 0) {
          await recordEvent(services.audit, {
            actor: systemActor,
            action: 'signature.images_removed',
            details: { count: removed, years, endedBefore },
            at: now,
          });
        }
      });
    }
  });
  return { ran, removed, years, endedBefore };
}
