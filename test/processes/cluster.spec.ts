import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../browser/support/app.js';
import { freePort } from '../helpers/app-process.js';
import { pngDataUrl, signaturePng } from '../helpers/pacts.js';
import { ALL_ASN_PACT, logInAndSign, type Signer } from './sign-over-http.js';

const HEADS_PACT = 1;
const SIGNERS = 24;
const VERIFY_RATE_LIMIT = 10;

/** Demo ASN who have not signed the all-ASN pact (read straight from the app's file, which the app owns). */
function unsignedSigners(databasePath: string, count: number): Signer[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db
      .prepare<[number, number], Signer>(
        `SELECT email, full_name AS fullName FROM users u
         WHERE role = 'signer' AND status = 'active' AND email IS NOT NULL AND unit_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.user_id = u.id AND s.pact_id = ?)
         ORDER BY id LIMIT ?`,
      )
      .all(ALL_ASN_PACT, count);
  } finally {
    db.close();
  }
}

/** A GET on a connection of its own, so that node:cluster may hand it to either worker; resolves its status. */
function freshGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

// Cluster mode (WORKERS=2): two processes on one SQLite file, as production runs on a two-core machine.
describe('two worker processes on one database', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ WORKERS: '2', LOG_LEVEL: 'info', VERIFY_RATE_LIMIT: String(VERIFY_RATE_LIMIT) });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('sign at once through both processes, and the ledger stays gapless and valid', async () => {
    const signers = unsignedSigners(app.databasePath, SIGNERS);
    expect(signers).toHaveLength(SIGNERS);
    // Every other signer draws: the drawing crosses to the primary, which writes every signing.
    const drawing = signaturePng();
    const drawn = signers.filter((_, i) => i % 2 === 0);
    const statuses = await Promise.all(
      signers.map((signer) =>
        logInAndSign(app.url, signer, { drawing: drawn.includes(signer) ? pngDataUrl(drawing) : '' }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses).toEqual(signers.map(() => 303));

    // Both processes served signings (each logs its requests with its worker number).
    const workers = new Set(
      app
        .output()
        .split('\n')
        .filter(
          (line) => line.includes('"method":"POST"') && line.includes(`/pakta/${ALL_ASN_PACT}/tanda-tangan`),
        )
        .map((line) => (JSON.parse(line) as { worker?: number }).worker),
    );
    expect([...workers].sort()).toEqual([0, 1]);

    const db = new Database(app.databasePath, { readonly: true });
    try {
      const seqs = db.prepare('SELECT seq FROM ledger ORDER BY seq').pluck().all() as number[];
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      const signed = db
        .prepare(
          `SELECT count(*) FROM signatures WHERE pact_id = ? AND user_id IN (SELECT id FROM users WHERE email IN (${signers.map(() => '?').join(',')}))`,
        )
        .pluck()
        .get(ALL_ASN_PACT, ...signers.map((s) => s.email));
      expect(signed).toBe(SIGNERS);
      const images = db
        .prepare<[number], { email: string; png: Buffer | null; sha256: string | null }>(
          `SELECT u.email, s.signature_png AS png, s.signature_sha256 AS sha256
           FROM signatures s JOIN users u ON u.id = s.user_id WHERE s.pact_id = ?`,
        )
        .all(ALL_ASN_PACT);
      for (const signer of signers) {
        const image = images.find((row) => row.email === signer.email);
        if (drawn.includes(signer)) {
          expect(image?.png?.equals(drawing), signer.email).toBe(true);
          expect(image?.sha256).toBe(createHash('sha256').update(drawing).digest('hex'));
        } else {
          expect(image).toMatchObject({ png: null, sha256: null });
        }
      }
    } finally {
      db.close();
    }
    // The ledger check the operators run: every hash recomputed, every link followed.
    const verified = execFileSync(process.execPath, ['dist/cli/ledger-verify.js'], {
      // Not the runner's environment: Vite's BASE_URL ('/') there is no URL the app would accept.
      env: { PATH: process.env.PATH, DATABASE_PATH: app.databasePath },
      encoding: 'utf8',
    });
    expect(verified).toMatch(/^Buku besar utuh: \d+ entri, semua tanda tangan cocok/);
  });

  it('refuse, as one process would, a signing the primary finds not meant for the signer, writing nothing', async () => {
    const [signer] = unsignedSigners(app.databasePath, SIGNERS + 1).slice(SIGNERS);
    expect(signer).toBeDefined();
    const headSeq = () => {
      const db = new Database(app.databasePath, { readonly: true });
      try {
        return db.prepare('SELECT max(seq) FROM ledger').pluck().get();
      } finally {
        db.close();
      }
    };
    const before = headSeq();
    // An ASN member posting to the heads pact: the form never offers it, the primary's re-check refuses it.
    expect((await logInAndSign(app.url, signer as Signer, { pactId: HEADS_PACT })).status).toBe(403);
    expect(headSeq()).toBe(before);
  });

  it("count one address's requests across both processes", async () => {
    const statuses = [];
    for (let i = 0; i <= VERIFY_RATE_LIMIT; i++) statuses.push(await freshGet(`${app.url}/verifikasi`));
    // Counted per process, two workers taking turns would allow twice the limit before refusing.
    expect(statuses).toEqual([...Array(VERIFY_RATE_LIMIT).fill(200), 429]);
  });
});

describe('the primary stopped while its workers are still starting', () => {
  it('stops, with its workers, instead of taking the signal and running on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ikrar-cluster-stop-'));
    const port = await freePort();
    // The runner's environment without Vite's BASE_URL ('/'), which the app would read as its own.
    const { BASE_URL: _base, ...inherited } = process.env;
    const primary = spawn(process.execPath, ['dist/main.js'], {
      env: {
        ...inherited,
        NODE_ENV: 'development',
        WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        BASE_URL: `http://127.0.0.1:${port}`,
        DATABASE_PATH: join(dir, 'ikrar.sqlite'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        primary.once('exit', (code, signal) => resolve({ code, signal })),
      );
      // The demo seed is the primary's last step before it forks the workers: stop it right then.
      await new Promise<void>((resolve) => {
        let output = '';
        primary.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('demo data seeded')) resolve();
        });
      });
      primary.kill('SIGTERM');
      const outcome = await Promise.race([
        exited,
        new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
      ]);
      expect(outcome).not.toBe('still running');
      expect(outcome).not.toMatchObject({ code: 1 });
      // Nothing serves the port: no worker was left behind.
      const listening = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        }).on('error', () => resolve(false));
      });
      expect(listening).toBe(false);
    } finally {
      primary.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
