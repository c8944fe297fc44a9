/**
 * Login: POST /masuk by distinct people (by NIP, the demo password every generated account shares), each with the
 * session a visit to the login form would have left (its CSRF token), each from an address of its own. Distinct
 * people, so no account lockout queues them; the app's per-IP limit counts failures only and is raised for the run
 * anyway (LOGIN_RATE_LIMIT). Floor: argon2 verifications per second with the app's parameters, in a child process,
 * at the same concurrency.
 */
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../../../src/seed/demo.js';
import { runBenchChild } from '../kit/bench-kit.js';
import {
  type Floor,
  loadResult,
  measureFormPosts,
  readerAddress,
  type ScenarioContext,
  type ScenarioResult,
} from './context.js';
import { writeSessions } from './sessions.js';

/** More logins a second than this would end a run early (it stops when its people run out); argon2 allows ~50/core. */
const CEILING_PER_SECOND = 500;

export async function runLogin(ctx: ScenarioContext): Promise<ScenarioResult> {
  const pool =
    Math.ceil(CEILING_PER_SECOND * (ctx.duration + Math.max(1, Math.round(ctx.duration / 4)))) +
    ctx.connections;
  const { rows: people } = await sql<{ id: number; nip: string }>`
    SELECT id, nip FROM users
    WHERE role = 'signer' AND status = 'active' AND nip IS NOT NULL AND password_hash IS NOT NULL
    ORDER BY id DESC LIMIT ${pool}`.execute(ctx.db.q);
  const visits = await writeSessions(
    ctx.db,
    ctx.sessionSecret,
    people.map(() => null),
  );
  ctx.log(`  ${ctx.scale}: login (${people.length.toLocaleString('en')} people at most)`);
  const run = await measureFormPosts(ctx, {
    path: '/masuk',
    pool: people.length,
    expect: 302,
    post: (i) => {
      const person = people[i % people.length] as { nip: string };
      const visit = visits[i % visits.length] as { cookie: string; csrfToken: string };
      return {
        cookie: visit.cookie,
        headers: { 'x-forwarded-for': readerAddress() },
        fields: { _csrf: visit.csrfToken, username: person.nip, password: DEMO_PASSWORD, next: '' },
      };
    },
  });
  return loadResult('login', ctx.scale, run, await argon2Floor(ctx), { path: 'POST /masuk' });
}

/** argon2 verifications per second in a child process, `connections` at a time, as long as a load run. */
async function argon2Floor(ctx: ScenarioContext): Promise<Floor> {
  const result = await runBenchChild<{ perSecond: number; p50: number; p99: number; verifications: number }>(
    'floor-argon2.js',
    [String(ctx.connections), String(ctx.duration)],
  );
  return { what: 'argon2 verify', ...result, detail: { verifications: result.verifications } };
}
