/**
 * npm run bench:public — the public pages (/, /berita, /berita/:slug) at province scale, each against the floor of
 * a bare Express app sending the same bytes with the same content type. Reports; asserts nothing.
 *
 * The data (not measured): the demo seed (units, people, pacts, demo posts), then people up to USERS with about
 * four in five of them signing the all-ASN pact, and POSTS published posts with a long rendered body. The app runs
 * as production runs it (dist/main.js in a child process, NODE_ENV=production); the floor runs in a second child
 * (this file with --floor); autocannon runs here, as an anonymous browser behind the TLS proxy, so that post views
 * are counted and batched as real traffic's are.
 *
 *   --duration S (default 8)  --connections N (default 10)  --quick (2 s each, for a smoke run)
 *   USERS (default 50000)  POSTS (default 1000)  BENCH_PROFILE (a folder for a CPU profile of the app)
 *
 * Target (issue): every public page ≥ 50% of its floor's requests per second.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { systemActor } from '../audit/record-event.js';
import { hashPassword } from '../auth/password.js';
import { systemClock } from '../clock.js';
import { type Db, inTransaction, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { slugFromTitle, uniqueSlug } from '../news/slug.js';
import type { PostCategory } from '../news/types.js';
import { signPact } from '../pledges/sign-pact.js';
import { DEMO_PASSWORD, seedDemo } from '../seed/demo.js';
import { DEMO_POSTS } from '../seed/demo-posts.js';
import { personFactory, STAFF_POSITIONS, seededRandom } from '../seed/people.js';
import { readReferenceUnits } from '../seed/reference-units.js';
import { seedDemoPosts } from '../seed/seed-demo-posts.js';
import { createServices, type Services } from '../services.js';
import { htmlText, renderMarkdown } from '../web/markdown.js';
import {
  cleanUpNow,
  describeMachine,
  fetchPage,
  type Measured,
  machine,
  measure,
  runMain,
  startApp,
  stop,
  stopAll,
  table,
  tempDir,
  track,
  waitForLine,
} from './bench-kit.js';

const USERS = Number(process.env.USERS ?? 50_000);
const POSTS = Number(process.env.POSTS ?? 1000);
/** Of the people added beyond the demo, this share signs the all-ASN pact (≈ 40k signatures at 50k people). */
const SIGNING_SHARE = 0.8;
const TARGET_RATIO = 0.5;
const HOUR_MS = 3_600_000;

interface DataSizes {
  units: number;
  users: number;
  signatures: number;
  pacts: number;
  posts: number;
  visiblePosts: number;
  postsWithCover: number;
  databaseMb: number;
  setupSeconds: number;
  setupSteps: Record<string, number>;
}

/** What the floor child serves: each path's bytes (in a file) with its content type. */
interface FloorPage {
  path: string;
  contentType: string;
  file: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Data

const TITLES = [
  'Sosialisasi Netralitas ASN Digelar di',
  'Pemprov Jateng Perkuat Pengawasan Netralitas Pegawai di',
  'Apel Kesiapsiagaan Pemilihan Serentak Berlangsung di',
  'Rapat Koordinasi Forkopimda Bahas Pengamanan Tahapan Pemilihan di',
  'Bimbingan Teknis Operator Ikrar untuk Perangkat Daerah di',
  'Ribuan ASN Tandatangani Pakta Integritas Netralitas di',
  'Pendidikan Politik bagi Pemilih Pemula Menyapa Pelajar di',
  'Bawaslu dan Pemprov Jateng Tindak Lanjuti Laporan Masyarakat di',
];
const EXCERPTS = [
  'Kegiatan ini menegaskan kembali larangan bagi ASN untuk berpihak kepada peserta pemilihan, termasuk di media sosial.',
  'Pemerintah Provinsi mengajak seluruh pegawai menjaga pelayanan publik tetap adil bagi semua warga selama tahapan pemilihan.',
  'Para peserta menerima penjelasan tentang tata cara penandatanganan pakta secara daring dan saluran pelaporan pelanggaran.',
];

interface Signer {
  id: number;
  fullName: string;
}

/** People beyond the demo, in OPD units (kabupaten/kota are tracked by their head only); returns those who sign. */
function addPeople(services: Services, passwordHash: string): Signer[] {
  const { users, units, clock } = services;
  const person = personFactory(seededRandom(2024));
  const random = seededRandom(7);
  const opd = readReferenceUnits('jateng-opd')
    .map((ref) => units.findByCode(ref.code)?.id)
    .filter((id) => id !== undefined);
  const toAdd = Math.max(0, USERS - users.count());
  const signers: Signer[] = [];
  for (let i = 0; i < toAdd; i += 1) {
    let id: number | undefined;
    let fullName = '';
    // Two person factories (the demo's and this one) may, rarely, make the same NIP: then make another person.
    while (id === undefined) {
      const p = person({ bornFrom: 1965, bornTo: 2000 });
      fullName = p.fullName;
      try {
        id = users.insert(
          {
            nip: p.nip,
            employeeType: i % 10 === 0 ? 'PPPK' : 'PNS',
            email: null,
            fullName,
            position: STAFF_POSITIONS[i % STAFF_POSITIONS.length] as string,
            unitId: opd[i % opd.length] ?? null,
            role: 'signer',
            passwordHash,
            mustChangePassword: false,
          },
          clock.now(),
        );
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      }
    }
    if (random() < SIGNING_SHARE) signers.push({ id, fullName });
  }
  return signers;
}

/** The all-ASN pact signed by each of `signers`. */
function sign(services: Services, signers: Signer[]): void {
  const pact = services.pacts.listByStatus('open').find((p) => p.audience === 'all');
  if (!pact) throw new Error('the demo seed has no all-ASN pact');
  const opensAt = new Date(pact.opensAt).getTime();
  const now = services.clock.now().getTime();
  // Through the real operation (signature, ledger entry, audit event), at times spread over the days the pact has
  // been open and in time order, so that the ledger reads like the real thing.
  signers.forEach(({ id, fullName }, i) => {
    const at = new Date(opensAt + ((i + 1) / (signers.length + 1)) * (now - opensAt));
    const result = signPact(
      { ...services, clock: { now: () => at } },
      {
        pactId: pact.id,
        userId: id,
        consent: true,
        typedName: fullName,
        signatureDataUrl: '',
        actor: { ...systemActor, userId: id },
      },
    );
    if (!result.ok) throw new Error(`signing for user ${id}: ${result.reason}`);
  });
}

/**
 * POSTS published posts, one every ~26 hours back from two hours ago (so the newest is newer than every demo
 * post), with one long body rendered once; every fifth with one of the demo covers.
 */
function addPosts(services: Services): void {
  const { posts, units, users, db } = services;
  const admin = users.findByEmail('admin@ikrar.test');
  if (!admin) throw new Error('the demo seed has no admin');
  const longest = DEMO_POSTS.filter((p) => p.status === 'published')
    .sort((a, b) => b.body.length - a.body.length)
    .slice(0, 2)
    .map((p) => p.body);
  const body = longest.join('\n\n');
  const bodyHtml = renderMarkdown(body);
  const bodyText = htmlText(bodyHtml);
  const places = readReferenceUnits('jateng-kabkota').map((ref) => ref.name);
  const publishers = readReferenceUnits('jateng-opd')
    .map((ref) => units.findByCode(ref.code)?.id)
    .filter((id) => id !== undefined);
  const covers = db.prepare<[], number>('SELECT id FROM post_images ORDER BY id').pluck().all();
  const now = services.clock.now().getTime();
  for (let i = 0; i < POSTS; i += 1) {
    const n = POSTS - i;
    const title = `${TITLES[n % TITLES.length]} ${places[n % places.length]} (${n})`;
    const category: PostCategory = n % 4 === 0 ? 'pengumuman' : 'berita';
    const coverId = n % 5 === 0 && covers.length > 0 ? (covers[n % covers.length] as number) : null;
    const publishedAt = new Date(now - 2 * HOUR_MS - i * 26 * HOUR_MS);
    posts.insert(
      {
        slug: uniqueSlug(slugFromTitle(title), (slug) => posts.slugOwner(slug) !== undefined),
        title,
        category,
        excerpt: EXCERPTS[n % EXCERPTS.length] as string,
        body,
        bodyHtml,
        bodyText,
        status: 'published',
        publishedAt: publishedAt.toISOString(),
        pinned: false,
        coverId,
        coverAlt: coverId === null ? '' : 'Ilustrasi kegiatan netralitas ASN',
      },
      { authorId: admin.id, unitId: publishers[n % publishers.length] ?? null },
      publishedAt,
    );
  }
}

/** Fills the database; returns how long each step took, in seconds. */
async function populate(db: Db): Promise<Record<string, number>> {
  const services = createServices(db, systemClock);
  const seconds: Record<string, number> = {};
  let started = performance.now();
  const lap = (step: string) => {
    seconds[step] = (performance.now() - started) / 1000;
    started = performance.now();
  };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  seedDemo(services, passwordHash);
  await seedDemoPosts(services);
  lap('demo seed');
  const signers = inTransaction(db, () => addPeople(services, passwordHash));
  lap('people');
  inTransaction(db, () => sign(services, signers));
  lap('signatures');
  inTransaction(db, () => addPosts(services));
  lap('posts');
  return seconds;
}

function countData(db: Db): Omit<DataSizes, 'databaseMb' | 'setupSeconds' | 'setupSteps'> {
  const count = (sql: string, ...params: string[]) =>
    db
      .prepare<string[], number>(sql)
      .pluck()
      .get(...params) as number;
  return {
    units: count('SELECT count(*) FROM units WHERE active = 1'),
    users: count("SELECT count(*) FROM users WHERE status = 'active'"),
    signatures: count("SELECT count(*) FROM signatures WHERE status = 'valid'"),
    pacts: count("SELECT count(*) FROM pacts WHERE status = 'open'"),
    posts: count('SELECT count(*) FROM posts'),
    visiblePosts: count(
      "SELECT count(*) FROM posts WHERE status = 'published' AND published_at <= ?",
      new Date().toISOString(),
    ),
    postsWithCover: count('SELECT count(*) FROM posts WHERE cover_id IS NOT NULL'),
  };
}

/** The newest post the public can see: the one a reader coming from the home page opens. */
function recentSlug(db: Db): string {
  const [post] = createServices(db, systemClock).posts.pageVisible(new Date(), null, 1, 0);
  if (!post) throw new Error('no visible post');
  return post.slug;
}

// ---------------------------------------------------------------------------------------------------------------
// The floor

/** This file with --floor: a bare Express app serving the pages' bytes. */
async function startFloor(manifestPath: string): Promise<{ child: ChildProcess; port: number }> {
  const child = track(
    spawn(process.execPath, [fileURLToPath(import.meta.url), '--floor', manifestPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const [, port] = await waitForLine(child, /listening (\d+)/, 'the floor');
  return { child, port: Number(port) };
}

/** In the floor child: the same bytes and content type per path, and nothing else. */
function serveFloor(manifestPath: string): void {
  const pages = JSON.parse(readFileSync(manifestPath, 'utf8')) as FloorPage[];
  const app = express();
  for (const page of pages) {
    const bytes = readFileSync(page.file);
    app.get(page.path, (_req, res) => {
      res.type(page.contentType).send(bytes);
    });
  }
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`listening ${(server.address() as AddressInfo).port}`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string', default: '10' },
      quick: { type: 'boolean', default: false },
    },
  });
  const duration = Number(values.duration ?? (values.quick ? 2 : 8));
  const connections = Number(values.connections);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--duration and --connections must be positive');

  const info = machine();
  const dir = tempDir('ikrar-public-bench-');

  try {
    const databasePath = join(dir, 'bench.sqlite');
    const setupStarted = performance.now();
    const db = openDatabase(databasePath);
    migrate(db);
    const setupSteps = await populate(db);
    const counts = countData(db);
    const slug = recentSlug(db);
    db.close(); // checkpoints the WAL into the file
    const data: DataSizes = {
      ...counts,
      databaseMb: statSync(databasePath).size / 1024 ** 2,
      setupSeconds: (performance.now() - setupStarted) / 1000,
      setupSteps,
    };

    console.log(describeMachine(info));
    console.log(
      `data: ${data.units} units, ${data.users} active users, ${data.signatures} valid signatures, ` +
        `${data.pacts} open pacts, ${data.posts} posts (${data.visiblePosts} visible, ${data.postsWithCover} with a cover), ` +
        `database ${data.databaseMb.toFixed(1)} MB; set up in ${data.setupSeconds.toFixed(1)} s (` +
        Object.entries(setupSteps)
          .map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`)
          .join(', ') +
        ')',
    );
    console.log(
      `run: ${connections} connections, ${duration} s per page and per floor (after an unrecorded warm-up), ` +
        'autocannon in this process, app and floor in child processes',
    );

    const app = await startApp({ databasePath });
    const paths = ['/', '/berita', `/berita/${slug}`];
    const floorPages: FloorPage[] = [];
    const sizes = new Map<string, number>();
    for (const [i, path] of paths.entries()) {
      const { bytes, contentType } = await fetchPage(app.port, path);
      const file = join(dir, `page-${i}.bin`);
      writeFileSync(file, bytes);
      floorPages.push({ path, contentType, file });
      sizes.set(path, bytes.length);
    }
    const manifestPath = join(dir, 'floor.json');
    writeFileSync(manifestPath, JSON.stringify(floorPages));
    const floor = await startFloor(manifestPath);

    const results: { path: string; bytes: number; page: Measured; floor: Measured; ratio: number }[] = [];
    for (const path of paths) {
      const page = await measure(`http://127.0.0.1:${app.port}${path}`, app.child, connections, duration);
      const bare = await measure(`http://127.0.0.1:${floor.port}${path}`, floor.child, connections, duration);
      results.push({
        path,
        bytes: sizes.get(path) ?? 0,
        page,
        floor: bare,
        ratio: page.perSecond / bare.perSecond,
      });
    }
    await stop(app.child);
    await stop(floor.child);

    const cpu = (ms: number | null) => (ms === null ? '-' : ms.toFixed(2));
    const shortPath = (path: string) => (path.length > 40 ? `${path.slice(0, 39)}…` : path);
    console.log('');
    console.log(
      table([
        [
          'page',
          'KB',
          'req/s',
          'p50 ms',
          'p99 ms',
          'requests',
          'errors/non-2xx',
          'floor req/s',
          'floor p99',
          'ratio',
          '≥ 50%',
          'CPU ms/req',
          'floor CPU',
          'CPU ratio',
        ],
        ...results.map((r) => [
          shortPath(r.path),
          (r.bytes / 1024).toFixed(1),
          r.page.perSecond.toFixed(0),
          String(r.page.p50),
          String(r.page.p99),
          String(r.page.requests),
          `${r.page.errors}/${r.page.non2xx}`,
          r.floor.perSecond.toFixed(0),
          String(r.floor.p99),
          `${(r.ratio * 100).toFixed(1)}%`,
          r.ratio >= TARGET_RATIO ? 'yes' : 'NO',
          cpu(r.page.cpuMsPerRequest),
          cpu(r.floor.cpuMsPerRequest),
          r.page.cpuMsPerRequest && r.floor.cpuMsPerRequest
            ? `${((100 * r.floor.cpuMsPerRequest) / r.page.cpuMsPerRequest).toFixed(1)}%`
            : '-',
        ]),
      ]),
    );
    console.log(
      "ratio = page req/s ÷ floor req/s (the target). CPU ms/req = the server process's CPU time per page; " +
        'CPU ratio = floor CPU ÷ page CPU, the same comparison but much less sensitive to other work on the machine.',
    );
    console.log('');
    console.log(
      JSON.stringify({ bench: 'public', machine: info, data, connections, duration, slug, results }),
    );
  } finally {
    await stopAll();
    cleanUpNow();
  }
}

if (process.argv[2] === '--floor') {
  serveFloor(process.argv[3] as string);
} else {
  runMain(main);
}
