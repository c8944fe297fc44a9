/**
 * Signing: POST /pakta/:id/tanda-tangan by logged-in signers (sessions written into the store, as a login would
 * leave them: logins are their own scenario), each signing once with the typed name, on a pact opened for the run
 * so that everyone in the directory still has to sign it. Floor: the same rows written directly (the repositories on
 * the same database, no HTTP), one durable transaction each, for as long, on a second such pact, in a child process (floor-sign.ts),
 * which then also reports the same rows written 64 to a transaction: the database's ceiling for signings.
 *
 * The sessions expire an hour ahead and the app's idle timeout is longer, so each signing moves its session's
 * expiry (rolling), as a signing minutes after the page was opened does in real use.
 */

import { sql } from 'kysely';
import { systemActor } from '../../../src/audit/record-event.js';
import { systemClock } from '../../../src/core/clock.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../../src/core/time-zone.js';
import type { Db } from '../../../src/db/database.js';
import { createPact } from '../../../src/pledges/pacts/create-pact.js';
import { openPact } from '../../../src/pledges/pacts/open-pact.js';
import { createServices } from '../../../src/services.js';
import { assertOwnDatabase, databaseArgument, runBenchChild } from '../kit/bench-kit.js';
import { loadResult, measureFormPosts, type ScenarioContext, type ScenarioResult } from './context.js';
import { writeSessions } from './sessions.js';

/** More signings a second than this would end a run early (it stops when its signers run out). */
const CEILING_PER_SECOND = 5000;
const DAY_MS = 86_400_000;

interface Person {
  id: number;
  full_name: string;
}

/** A pact for everyone in the directory, open since yesterday: nobody has signed it. */
export async function openFreshPact(db: Db, title: string): Promise<number> {
  const services = createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE));
  const now = Date.now();
  const created = await createPact(services, {
    actor: systemActor,
    input: {
      title,
      body: '1. Netral.\n2. Profesional.',
      place: 'Semarang',
      audience: 'all',
      opensAt: new Date(now - DAY_MS),
      deadline: new Date(now + DAY_MS),
      unitIds: [],
    },
  });
  if (!created.ok) throw new Error(`the bench's pact: ${JSON.stringify(created.errors)}`);
  const opened = await openPact(services, { pactId: created.pactId, actor: systemActor });
  if (!opened.ok) throw new Error(`opening the bench's pact: ${JSON.stringify(opened)}`);
  return created.pactId;
}

/** The first `limit` signers the pact requires (active, in an active unit). */
const signers = async (db: Db, limit: number): Promise<Person[]> =>
  (
    await sql<Person>`
      SELECT u.id, u.full_name FROM users u JOIN units n ON n.id = u.unit_id
      WHERE u.role = 'signer' AND u.status = 'active' AND n.active = 1 AND u.nip IS NOT NULL
      ORDER BY u.id LIMIT ${limit}`.execute(db.q)
  ).rows;

export async function runSign(ctx: ScenarioContext): Promise<ScenarioResult> {
  const pactId = await openFreshPact(ctx.db, 'Pakta uji beban');
  const warmUp = Math.max(1, Math.round(ctx.duration / 4));
  const people = await signers(
    ctx.db,
    Math.ceil(CEILING_PER_SECOND * (ctx.duration + warmUp)) + ctx.connections,
  );
  const sessions = await writeSessions(
    ctx.db,
    ctx.sessionSecret,
    people.map((person) => person.id),
  );
  ctx.log(`  ${ctx.scale}: sign (pact ${pactId}, ${people.length.toLocaleString('en')} signers at most)`);
  const run = await measureFormPosts(ctx, {
    path: `/pakta/${pactId}/tanda-tangan`,
    pool: people.length,
    expect: 303,
    post: (i) => {
      const person = people[i % people.length] as Person;
      const session = sessions[i % sessions.length] as { cookie: string; csrfToken: string };
      return {
        cookie: session.cookie,
        fields: { _csrf: session.csrfToken, consent: '1', full_name: person.full_name, signature: '' },
      };
    },
  });
  const floorWhat = `the same rows written directly on ${ctx.database.engine} (no HTTP)`;
  ctx.log(`  ${ctx.scale}: sign floor (${floorWhat})`);
  assertOwnDatabase(ctx.database);
  const floor = await runBenchChild<{
    perSecond: number;
    p50: number;
    p99: number;
    writes: number;
    seconds: number;
    grouped: { perSecond: number; writes: number };
  }>('floor-sign.js', [
    databaseArgument(ctx.database),
    String(await openFreshPact(ctx.db, 'Pakta uji beban (lantai)')),
    String(ctx.duration),
  ]);
  return loadResult(
    'sign',
    ctx.scale,
    run,
    {
      what: floorWhat,
      ...floor,
      detail: { writes: floor.writes, seconds: floor.seconds, grouped: floor.grouped },
    },
    { path: `POST /pakta/${pactId}/tanda-tangan` },
  );
}
