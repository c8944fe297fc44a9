import { type Actor, recordEvent } from '../../audit/record-event.js';
import type { AuditRepository } from '../../audit/repository.js';
import type { Clock } from '../../core/clock.js';
import { cleanFileName, type Manager, previewRoster, type Refusal } from './preview.js';
import { readRosterInWorker } from './read-in-worker.js';

export type UploadRosterResult = { ok: true; importId: number } | ({ ok: false } & Refusal);

/**
 * An uploaded roster: read (in a worker thread), decided and kept as a preview as its rows arrive, or refused, each
 * audited. The file's content is never in the log.
 */
export async function uploadRoster(
  // What the preview needs: reading the file needs nothing else.
  services: Parameters<typeof previewRoster>[0],
  options: { file: { buffer: Buffer; originalname: string }; manager: Manager; actor: Actor },
): Promise<UploadRosterResult> {
  const { file, manager, actor } = options;
  const previewed = await previewRoster(services, {
    feed: (sink) => readRosterInWorker(file.buffer, sink),
    fileName: file.originalname,
    manager,
    actor,
  });
  if (previewed.ok) return { ok: true, importId: previewed.importId };
  await refuseRosterUpload(services, { actor, file, refusal: previewed });
  return previewed;
}

/**
 * Records a refused upload: the reason with the numbers it gives (a row, a limit), and the file's name and size when
 * there is a file. Text from the file that a refusal quotes (the names of unknown columns) is left out.
 */
export async function refuseRosterUpload(
  services: { audit: AuditRepository; clock: Clock },
  options: { actor: Actor; file?: { buffer: Buffer; originalname: string }; refusal: Refusal },
): Promise<void> {
  const { file, refusal } = options;
  const numbers = Object.entries(refusal.params ?? {}).filter(([, value]) => typeof value === 'number');
  await recordEvent(services.audit, {
    actor: options.actor,
    action: 'roster.refused',
    details: {
      problem: refusal.problem,
      ...Object.fromEntries(numbers),
      ...(file ? { fileName: cleanFileName(file.originalname), bytes: file.buffer.length } : {}),
    },
    at: services.clock.now(),
  });
}
