/**
 * npm run bench:sign — signings per second over HTTP at province scale, against the floor of writing the same rows
 * with better-sqlite3 directly. Reports; asserts nothing. Setup (users, sessions) is not measured.
 *
 *   SIGNINGS (default 3000)  CONNECTIONS (default 32)  USERS (default 50000)  BENCH_PROFILE (a folder for a CPU profile)
 */
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { recordEvent, systemActor } from '../audit/record-event.js';
import { hashPassword } from '../auth/password.js';
import { systemClock } from '../clock.js';
import { type Db, inTransaction, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { appendEntry } from '../ledger/append-entry.js';
import { createPact } from '../pledges/create-pact.js';
import { signFacts } from '../pledges/ledger-facts.js';
import { openPact } from '../pledges/open-pact.js';
import { newReceiptCode } from '../pledges/receipt-code.js';
import type { NewSignature } from '../pledges/signature-repository.js';
import { personFactory, seededRandom } from '../seed/people.js';
import { loadReferenceUnits, readReferenceUnits } from '../seed/reference-units.js';
import { createServices } from '../services.js';
import { cleanUpNow, type RunningApp, runMain, startApp, stop, table, tempDir } from './bench-kit.js';

const SIGNINGS = Number(process.env.SIGNINGS ?? 3000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const USERS = Number(process.env.USERS ?? 50_000);
const SECRET = randomBytes(32).toString('hex');

interface Signer {
  cookie: string;
  body: string;
}

async function populate(db: Db): Promise<{ pactId: number; signers: Signer[] }> {
  const services = createServices(db, systemClock);
  const hash = await hashPassword('bench-password-1234');
  const person = personFactory(seededRandom(1));
  const userIds: { id: number; name: string }[] = [];
  inTransaction(db, () => {
    loadReferenceUnits(services.units, readReferenceUnits('jateng-opd'), systemClock);
    const units = services.units.listActive();
    for (let i = 0; i < USERS; i += 1) {
      const p = person({ bornFrom: 1965, bornTo: 1998 });
      const unit = units[i % units.length];
      const id = services.users.insert(
        {
          nip: p.nip,
          employeeType: 'PNS',
          email: null,
          fullName: p.fullName,
          position: 'Analis',
          unitId: unit?.id ?? null,
          role: 'signer',
          passwordHash: hash,
          mustChangePassword: false,
        },
        systemClock.now(),
      );
      userIds.push({ id, name: p.fullName });
    }
  });
  const now = Date.now();
  const created = createPact(services, {
    actor: systemActor,
    input: {
      title: 'Pakta uji beban',
      body: '1. Netral.\n2. Profesional.',
      place: 'Semarang',
      audience: 'all',
      opensAt: new Date(now - 86_400_000),
      deadline: new Date(now + 86_400_000),
      unitIds: [],
    },
  });
  if (!created.ok) throw new Error('pact');
  openPact(services, { pactId: created.pactId, actor: systemActor });

  // Logged-in sessions written straight into the store, as a login would leave them (logins are measured elsewhere).
  const signers: Signer[] = [];
  inTransaction(db, () => {
    for (const { id, name } of userIds.slice(0, SIGNINGS)) {
      const sid = randomBytes(18).toString('base64url');
      const csrf = randomBytes(32).toString('hex');
      const expires = new Date(now + 3_600_000);
      const sess = {
        cookie: {
          originalMaxAge: 3_600_000,
          expires,
          httpOnly: true,
          path: '/',
          secure: true,
          sameSite: 'lax',
        },
        passport: { user: id },
        csrfToken: csrf,
        authenticatedAt: now,
      };
      services.sessions.save(sid, JSON.stringify(sess), expires.getTime(), id);
      const signature = createHmac('sha256', SECRET).update(sid).digest('base64').replace(/=+$/, '');
      signers.push({
        cookie: `ikrar.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`,
        body: new URLSearchParams({ _csrf: csrf, consent: '1', full_name: name, signature: '' }).toString(),
      });
    }
  });
  return { pactId: created.pactId, signers };
}

async function signOverHttp(port: number, pactId: number, signers: Signer[]) {
  let next = 0;
  const statuses = new Map<number, number>();
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    amount: signers.length,
    requests: [
      {
        setupRequest: (request) => {
          const signer = signers[next++ % signers.length] as Signer;
          return {
            ...request,
            method: 'POST',
            path: `/pakta/${pactId}/tanda-tangan`,
            headers: {
              cookie: signer.cookie,
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-proto': 'https',
            },
            body: signer.body,
          };
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err, done) => (err ? reject(err) : resolve(done)));
    instance.on('response', (_client, statusCode: number) =>
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1),
    );
  });
  return { result, statuses };
}

/** The floor: the same rows (signature, ledger entry, audit event), one durable transaction each, no HTTP. */
function rawWrites(db: Db, pactId: number, count: number) {
  const services = createServices(db, systemClock);
  const users = db.prepare<[number], { id: number; full_name: string; nip: string }>(
    'SELECT id, full_name, nip FROM users ORDER BY id DESC LIMIT ?',
  );
  const rows = users.all(count);
  const latencies: number[] = [];
  const started = performance.now();
  for (const user of rows) {
    const t0 = performance.now();
    inTransaction(db, () => {
      const now = new Date();
      const signature: NewSignature = {
        pactId,
        userId: user.id,
        fullName: user.full_name,
        nip: user.nip,
        position: 'Analis',
        unitId: null,
        unitName: 'Unit',
        wasHead: false,
        signedAt: now.toISOString(),
        ip: '127.0.0.1',
        userAgent: 'bench',
        signaturePng: null,
        signatureSha256: null,
        pactBodySha256: '0'.repeat(64),
        receiptCode: newReceiptCode(),
      };
      const signatureId = services.signatures.insert(signature);
      const entry = appendEntry(services.ledger, {
        kind: 'sign',
        signatureId,
        at: now,
        facts: signFacts({ ...signature, id: signatureId }, 1),
      });
      services.signatures.setLedgerSeq(signatureId, entry.seq);
      recordEvent(services.audit, { actor: systemActor, action: 'signature.created', at: now });
    });
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: rows.length / seconds, p50: at(0.5), p99: at(0.99) };
}

async function main() {
  const dir = tempDir('ikrar-sign-bench-');
  const databasePath = join(dir, 'bench.sqlite');
  let app: RunningApp | undefined;
  try {
    const setupStarted = performance.now();
    const db = openDatabase(databasePath);
    migrate(db);
    const { pactId, signers } = await populate(db);
    db.close();
    console.log(
      `setup: ${USERS} users, ${signers.length} sessions in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    app = await startApp({
      databasePath,
      sessionSecret: SECRET,
      baseUrl: 'https://bench.invalid',
      logLevel: 'warn',
    });
    const { result, statuses } = await signOverHttp(app.port, pactId, signers);
    await stop(app.child);
    app = undefined;

    const floorDb = openDatabase(databasePath);
    const floor = rawWrites(floorDb, pactId, signers.length);
    floorDb.close();

    const httpPerSecond = (statuses.get(303) ?? 0) / result.duration;
    const rows = [
      ['scenario', 'per second', 'p50 ms', 'p99 ms', 'errors'],
      [
        'sign over HTTP',
        httpPerSecond.toFixed(0),
        String(result.latency.p50),
        String(result.latency.p99),
        String(result.errors + result.non2xx - (statuses.get(303) ?? 0)),
      ],
      [
        'raw better-sqlite3 (floor)',
        floor.perSecond.toFixed(0),
        floor.p50.toFixed(2),
        floor.p99.toFixed(2),
        '0',
      ],
    ];
    console.log(table(rows));
    console.log(
      `ratio HTTP / floor: ${(httpPerSecond / floor.perSecond).toFixed(2)}  (status codes: ${JSON.stringify(Object.fromEntries(statuses))})`,
    );
    console.log(
      JSON.stringify({
        bench: 'sign',
        users: USERS,
        signings: signers.length,
        connections: CONNECTIONS,
        http: {
          perSecond: httpPerSecond,
          p50: result.latency.p50,
          p99: result.latency.p99,
          statuses: Object.fromEntries(statuses),
        },
        floor,
      }),
    );
  } finally {
    if (app) await stop(app.child);
    cleanUpNow();
  }
}

runMain(main);
