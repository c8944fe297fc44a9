import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { type RunningApp, startApp } from '../browser/support/app.js';
import { logInOverHttp } from '../browser/support/http-session.js';
import { makePostgresTestDatabase } from '../helpers/template-database.js';
import { expectBoardToCountSigning } from './board-stream.js';
import { ALL_ASN_PACT, logInAndSign, type Signer } from './sign-over-http.js';

const LOGIN_RATE_LIMIT = 5;

let addresses = 0;
/** A client address of its own for each login: many people signing at once must not share one login limit. */
const freshAddress = () => {
  addresses += 1;
  return `10.0.${addresses >> 8}.${addresses & 255}`;
};

/** Signs the all-ASN pact on `base`, logged in from an address of its own. */
const signOn = (base: string, signer: Signer) =>
  logInAndSign(base, signer, { headers: { 'X-Forwarded-For': freshAddress() } });

// Two app processes (not node:cluster) on one PostgreSQL database, as a deployment behind a load balancer runs.
describe('two app nodes on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof makePostgresTestDatabase>>;
  let sql: pg.Pool;
  let a: RunningApp;
  let b: RunningApp;
  const env = () => ({
    DATABASE_URL: database.url,
    LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT),
    // Each test comes from an address of its own (X-Forwarded-For from this machine), so that their logins are
    // counted apart.
    TRUST_PROXY: 'loopback',
    REMINDERS: 'false',
  });
  /** Demo ASN who have not signed the all-ASN pact (yet: each test signs some), `count` of them after `skip`. */
  const unsigned = async (skip: number, count: number): Promise<Signer[]> =>
    (
      await sql.query<Signer>(
        `SELECT email, full_name AS "fullName" FROM users u
         WHERE role = 'signer' AND status = 'active' AND email IS NOT NULL AND unit_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.user_id = u.id AND s.pact_id = $1)
         ORDER BY id OFFSET $2 LIMIT $3`,
        [ALL_ASN_PACT, skip, count],
      )
    ).rows;

  beforeAll(async () => {
    database = await makePostgresTestDatabase();
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    // end() resolves before its last connection has closed; dropping the database then ends that connection from
    // the server side, which the pool reports as an error: expected at teardown, not a failure.
    sql.on('error', () => {});
    // The first node migrates and seeds the demo; the second finds it done.
    a = await startApp(env());
    b = await startApp(env());
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await sql?.end();
    await database?.drop();
  });

  it('lets a person log in on one node and go on on the other', async () => {
    const { cookie } = await logInOverHttp(a.url, 'kepala@ikrar.test', {
      headers: { 'X-Forwarded-For': '198.51.100.1' },
    });
    const onB = await fetch(`${b.url}/akun`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('Bambang Setiawan');
  });

  it('keeps one gapless ledger that verifies when 200 signings go through both nodes at once', async () => {
    const signers = await unsigned(0, 200);
    expect(signers).toHaveLength(200);
    const results: { status: number; receipt: string | null }[] = [];
    // Twenty at a time, every other one through each node.
    for (let start = 0; start < signers.length; start += 20) {
      results.push(
        ...(await Promise.all(
          signers.slice(start, start + 20).map((signer, i) => signOn(i % 2 ? a.url : b.url, signer)),
        )),
      );
    }
    expect(results.map((r) => r.status)).toEqual(signers.map(() => 303));
    const seqs = (await sql.query<{ seq: number }>('SELECT seq FROM ledger ORDER BY seq')).rows.map(
      (r) => r.seq,
    );
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const lines: string[] = [];
    const location = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    expect(await runLedgerVerify(location, { log: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(
      0,
    );
    expect(lines.join('\n')).toContain('semua tanda tangan cocok');
  });

  it('limits a password guessed on both nodes once across them', async () => {
    const from = { 'X-Forwarded-For': '198.51.100.77' };
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_RATE_LIMIT; i++) {
      const { response } = await logInOverHttp(i % 2 ? a.url : b.url, 'kepala@ikrar.test', {
        password: `tebakan-salah-${i}`,
        headers: from,
      });
      statuses.push(response.status);
    }
    // Each node alone would have allowed five failures: together they allow five.
    expect(statuses).toEqual([...Array(LOGIN_RATE_LIMIT).fill(401), 429]);
  });

  it('shows a signing made on one node on the other node’s open live board', async () => {
    const [signer] = await unsigned(0, 1);
    await expectBoardToCountSigning(b.url, () => signOn(a.url, signer as Signer));
  });

  it('loses no acknowledged signing when a node is killed under load', async () => {
    const signers = await unsigned(0, 40);
    expect(signers).toHaveLength(40);
    const acknowledged: string[] = [];
    const attempts = signers.map((signer) =>
      signOn(a.url, signer).then(
        (result) => {
          if (result.status === 303 && result.receipt) acknowledged.push(result.receipt);
        },
        () => {
          // The node died under this request: not acknowledged, so nothing is promised.
        },
      ),
    );
    // Killed while signings are under way: after the first few were answered.
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(3);
    await a.kill();
    await Promise.all(attempts);
    const stored = new Set(
      (
        await sql.query<{ receipt_code: string }>(
          'SELECT receipt_code FROM signatures WHERE receipt_code = ANY($1)',
          [acknowledged],
        )
      ).rows.map((r) => r.receipt_code),
    );
    expect(acknowledged.filter((code) => !stored.has(code))).toEqual([]);
    // The other node goes on, and the ledger is still one valid line.
    const [next] = await unsigned(0, 1);
    expect((await signOn(b.url, next as Signer)).status).toBe(303);
    const location = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    expect(await runLedgerVerify(location, { log: () => {}, error: () => {} })).toBe(0);
  });
});
