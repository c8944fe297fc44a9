import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import type { CheckedScan } from './scan-file.js';
import type { ScanRepository } from './scan-repository.js';

/**
 * Stores a checked scan and audits it. Runs inside the caller's transaction, so that a scan is stored only with
 * the records it stands behind: a form refused for another field leaves no orphan file.
 */
export async function storeScan(
  services: { db: Db; scans: ScanRepository; audit: AuditRepository; clock: Clock },
  options: { scan: CheckedScan; actor: Actor },
): Promise<number> {
  const now = services.clock.now();
  const scanId = await services.scans.insert(options.scan, options.actor.userId, now);
  await recordEvent(services.audit, {
    actor: options.actor,
    action: 'scan.stored',
    target: { type: 'scan', id: scanId },
    details: { sha256: options.scan.sha256, mime: options.scan.mime, size: options.scan.bytes.length },
    at: now,
  });
  return scanId;
}
