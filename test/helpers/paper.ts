import { systemActor } from '../../src/audit/record-event.js';
import type { User } from '../../src/directory/types.js';
import { recordPaperSignings } from '../../src/paper/record-paper-signings.js';
import type { Pact } from '../../src/pledges/types.js';
import { checkScan } from '../../src/scans/scan-file.js';
import type { Services } from '../../src/services.js';

/** A one-page PDF as a scanner writes one: header, body, trailer. */
export const SCANNED_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
    'trailer <</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/**
 * Records through the operation that these people signed the pact on paper today (or on `signedOn`), with one scan
 * behind them, as an admin; returns each person's receipt code by name.
 */
export async function signOnPaper(
  services: Services,
  pact: Pick<Pact, 'id'>,
  people: readonly Pick<User, 'id' | 'fullName'>[],
  signedOn = services.timeZone.dayOf(services.clock.now()),
): Promise<Map<string, string>> {
  const scan = await checkScan(SCANNED_PDF, 'lembar.pdf');
  if (!scan.ok) throw new Error(`the test scan is refused: ${scan.problem}`);
  const done = await recordPaperSignings(services, {
    pactId: pact.id,
    userIds: people.map((person) => person.id),
    sheet: { signedOn, place: 'Aula Gradhika', witness: 'Kepala BKD', scan },
    recorder: { id: -1, role: 'admin', unitId: null },
    actor: systemActor,
  });
  if (!done.ok) throw new Error(`paper signing refused: ${done.reason}`);
  const byId = new Map(done.recorded.map((r) => [r.userId, r.receiptCode]));
  return new Map(people.filter((p) => byId.has(p.id)).map((p) => [p.fullName, byId.get(p.id) as string]));
}
