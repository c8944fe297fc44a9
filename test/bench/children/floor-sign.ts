/**
 * The floor of the signing scenario, run by the bench as a child process: the rows a signing writes (signature,
 * ledger entry, audit event) written by the repositories directly, one durable transaction each, for `seconds`,
 * by people who have not signed the pact; then, for as long, the same rows 64 to a transaction, each in a savepoint,
 * as the app's group commit writes them (the database's ceiling for signings, not a floor). Prints one line of JSON
 * ({ perSecond, p50, p99, writes, seconds, grouped: { perSecond, writes } }).
 *
 *   node dist-bench/test/bench/children/floor-sign.js <SQLite file | PostgreSQL URL> <pactId> <seconds>
 */

import { sql } from 'kysely';
import { recordEvent, systemActor } from '../../../src/audit/record-event.js';
import { systemClock } from '../../../src/core/clock.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../../src/core/time-zone.js';
import { inTransaction, openDatabase } from '../../../src/db/database.js';
import { openPostgres } from '../../../src/db/postgres-database.js';
import { appendEntry } from '../../../src/ledger/append-entry.js';
import { newPersonSalt, signFacts } from '../../../src/pledges/ledger-facts.js';
import { newReceiptCode } from '../../../src/pledges/receipt-code.js';
import type { NewSignature } from '../../../src/pledges/signature-repository.js';
import { createServices } from '../../../src/services.js';

/** No more people are read than this many a second would need. */
const CEILING_PER_SECOND = 5000;
/** Nor more than this many a second in the grouped phase. */
const GROUPED_CEILING_PER_SECOND = 20_000;
/** Signings per transaction in the grouped phase: the group commit's batch limit. */
const GROUP = 64;

const [database, pactArg, secondsArg] = process.argv.slice(2) as [string, string, string];
const pactId = Number(pactArg);
const seconds = Number(secondsArg);
const db = database.startsWith('postgres') ? openPostgres(database, { poolSize: 1 }) : openDatabase(database);
const services = createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE));
const limit = Math.ceil(CEILING_PER_SECOND * seconds) + Math.ceil(GROUPED_CEILING_PER_SECOND * seconds);
const { rows: people } = await sql<{ id: number; full_name: string; nip: string }>`
  SELECT u.id, u.full_name, u.nip FROM users u JOIN units n ON n.id = u.unit_id
  WHERE u.role = 'signer' AND u.status = 'active' AND n.active = 1 AND u.nip IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.pact_id = ${pactId} AND s.user_id = u.id)
  ORDER BY u.id DESC LIMIT ${limit}`.execute(db.q);

/** The rows of one signing: signature, ledger entry, audit event. */
async function writeSigning(person: { id: number; full_name: string; nip: string }): Promise<void> {
  const now = new Date();
  const signature: NewSignature = {
    pactId,
    userId: person.id,
    fullName: person.full_name,
    nip: person.nip,
    position: 'Analis',
    pangkat: null,
    unitId: null,
    unitName: 'Unit',
    wasHead: false,
    headKind: null,
    signedAt: now.toISOString(),
    ip: '127.0.0.1',
    userAgent: 'bench',
    signaturePng: null,
    signatureSha256: null,
    pactBodySha256: '0'.repeat(64),
    receiptCode: newReceiptCode(),
    method: 'online',
    paper: null,
    personSalt: newPersonSalt(),
  };
  const signatureId = await services.signatures.insert(signature);
  const entry = await appendEntry(services.ledger, {
    kind: 'sign',
    signatureId,
    at: now,
    facts: signFacts({ ...signature, id: signatureId }, 1),
  });
  await services.signatures.setLedgerSeq(signatureId, entry.seq);
  await recordEvent(services.audit, { actor: systemActor, action: 'signature.created', at: now });
}

const latencies: number[] = [];
const started = performance.now();
const until = started + seconds * 1000;
let next = 0;
for (; next < people.length; next += 1) {
  const t0 = performance.now();
  if (t0 >= until) break;
  const person = people[next] as (typeof people)[number];
  await inTransaction(db, () => writeSigning(person));
  latencies.push(performance.now() - t0);
}
const elapsed = (performance.now() - started) / 1000;

const groupStarted = performance.now();
let grouped = 0;
while (next < people.length && performance.now() < groupStarted + seconds * 1000) {
  const batch = people.slice(next, next + GROUP);
  next += batch.length;
  await inTransaction(db, async () => {
    for (const person of batch) await db.transaction(() => writeSigning(person));
  });
  grouped += batch.length;
}
const groupedSeconds = (performance.now() - groupStarted) / 1000;
await db.close();
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
  JSON.stringify({
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    writes: latencies.length,
    seconds: elapsed,
    grouped: { perSecond: grouped / groupedSeconds, writes: grouped },
  }),
);
