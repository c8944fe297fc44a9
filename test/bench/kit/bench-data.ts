/**
 * The databases of `npm run bench`: a province (the Jawa Tengah demo: 52 OPD and 35 kabupaten/kota, people up to
 * 50k in the OPD, 1,000 published posts) and the nation (the same units plus 37 more provinces and their 479
 * kabupaten/kota: 603 units, 4.3M people, ~3M signatures; no posts, as the issue defines it), generated in SQL and
 * cached between runs.
 *
 * Generation starts from the demo seed through the real operations (settings, the admin, both open pacts, a few
 * hundred real signings with their ledger entries), then adds units, people and signatures with INSERT … SELECT
 * from a recursive counter: one precomputed argon2 hash (of DEMO_PASSWORD) for everyone, names from the demo's person
 * factory, valid unique NIPs (a bijection of the row number, with sequence numbers 500–998 that the demo never
 * uses), units by a weighted draw. Signatures are written straight into the table — a bench database needs no ledger
 * entry for them — and the count triggers of migration 011 run on every row, so unit_member_counts, pact_unit_signed
 * and pact_hourly_signings are the triggers' work; one query then compares them with a fresh aggregate. While
 * generating, the file has no journal, no fsync, a big page cache and no foreign-key checks; the secondary indexes of
 * users and signatures are dropped and built again at the end from their own CREATE statements, so the schema is the
 * one the migrations made. The finished file is WAL, like every database the app opens.
 *
 * Cached under BENCH_CACHE_DIR (default <os tmpdir>/ikrar-bench-cache/), keyed on the scale, the migration files
 * (names and contents) and GENERATOR_VERSION; a cached file older than MAX_AGE_DAYS is made again (the demo pacts'
 * periods are relative to the day of generation). Each run gets a fresh copy in its own temp folder.
 */

import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { systemClock } from '../../../src/core/clock.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../../src/core/time-zone.js';
import { hashPassword } from '../../../src/credentials/password.js';
import { type Db, inTransaction, openDatabase } from '../../../src/db/database.js';
import { migrate, migrationsDir, readMigrations } from '../../../src/db/migrate.js';
import { readReferenceUnits } from '../../../src/directory/units/reference-units.js';
import { slugFromTitle, uniqueSlug } from '../../../src/news/slug.js';
import type { PostCategory } from '../../../src/news/types.js';
import { DEMO_PASSWORD, seedDemo } from '../../../src/seed/demo.js';
import { readDemoPosts } from '../../../src/seed/demo-posts.js';
import { personFactory, STAFF_POSITIONS, seededRandom } from '../../../src/seed/people.js';
import { seedDemoPosts } from '../../../src/seed/seed-demo-posts.js';
import { createServices, type Services } from '../../../src/services.js';
import { htmlText, renderMarkdown } from '../../../src/web/markdown.js';
import { removeTempDir, tempDir } from './bench-kit.js';
import type { ScaleName } from './bench-options.js';

/** Bump when the generated data changes, so that cached databases are made again. */
export const GENERATOR_VERSION = 2;
const MAX_AGE_DAYS = 3;
export const CACHE_DIR = process.env.BENCH_CACHE_DIR || join(tmpdir(), 'ikrar-bench-cache');

export interface ScaleSpec {
  name: ScaleName;
  /** Active people in all (the demo's ~690 included). */
  users: number;
  /** The 37 other provinces and their 479 kabupaten/kota, besides Jawa Tengah's 87 units. */
  nationalUnits: boolean;
  /** Of the people generated, this share signs the all-ASN pact. */
  allShare: number;
  /** Of the heads generated (units without a demo head), this share signs the heads pact. */
  headsShare: number;
  /** People put in one unit (Dinas Pendidikan dan Kebudayaan: the teachers) before the rest are spread; 0: none. */
  bigUnitMembers: number;
  /**
   * Published posts besides the demo's (which come with them); absent: no posts at all. Optional, and absent from
   * the national spec, so that its JSON — part of the cache key — is what it was before posts existed here.
   */
  posts?: number;
}

/** The scales of the issue; `quick` makes the nation a tenth of its size (a smoke run of the same shape). */
export function scaleSpec(name: ScaleName, quick: boolean): ScaleSpec {
  if (name === 'province') {
    return {
      name: 'province',
      users: 50_000,
      nationalUnits: false,
      allShare: 0.8,
      headsShare: 0.9,
      bigUnitMembers: 0,
      posts: 1000,
    };
  }
  return {
    name: 'national',
    users: quick ? 430_000 : 4_300_000,
    nationalUnits: true,
    allShare: 0.7,
    headsShare: 0.9,
    bigUnitMembers: 50_000,
  };
}

export interface DataInfo {
  scale: ScaleName;
  spec: ScaleSpec;
  cacheKey: string;
  createdAt: string;
  activeUnits: number;
  activeUsers: number;
  validSignatures: { heads: number; all: number };
  pacts: { heads: number; all: number };
  /** Published posts (absent in files cached before posts were generated: none). */
  posts?: number;
  required: { heads: number; all: number };
  biggestUnit: { id: number; code: string; name: string; members: number };
  databaseMb: number;
  generationSeconds: number;
  steps: Record<string, number>;
  /** Rows where the trigger-maintained counts differ from a fresh aggregate (all zero when they agree). */
  countCheck: { members: number; signed: number; hourly: number; seconds: number };
}

// ---------------------------------------------------------------------------------------------------------------
// The nation: BPS province codes and how many kabupaten/kota each has (2023); Jawa Tengah (33) comes from the demo.

const PROVINCES: readonly [string, string, number][] = [
  ['11', 'Aceh', 23],
  ['12', 'Sumatera Utara', 33],
  ['13', 'Sumatera Barat', 19],
  ['14', 'Riau', 12],
  ['15', 'Jambi', 11],
  ['16', 'Sumatera Selatan', 17],
  ['17', 'Bengkulu', 10],
  ['18', 'Lampung', 15],
  ['19', 'Kepulauan Bangka Belitung', 7],
  ['21', 'Kepulauan Riau', 7],
  ['31', 'DKI Jakarta', 6],
  ['32', 'Jawa Barat', 27],
  ['34', 'DI Yogyakarta', 5],
  ['35', 'Jawa Timur', 38],
  ['36', 'Banten', 8],
  ['51', 'Bali', 9],
  ['52', 'Nusa Tenggara Barat', 10],
  ['53', 'Nusa Tenggara Timur', 22],
  ['61', 'Kalimantan Barat', 14],
  ['62', 'Kalimantan Tengah', 14],
  ['63', 'Kalimantan Selatan', 13],
  ['64', 'Kalimantan Timur', 10],
  ['65', 'Kalimantan Utara', 5],
  ['71', 'Sulawesi Utara', 15],
  ['72', 'Sulawesi Tengah', 13],
  ['73', 'Sulawesi Selatan', 24],
  ['74', 'Sulawesi Tenggara', 17],
  ['75', 'Gorontalo', 6],
  ['76', 'Sulawesi Barat', 6],
  ['81', 'Maluku', 11],
  ['82', 'Maluku Utara', 10],
  ['91', 'Papua', 9],
  ['92', 'Papua Barat', 7],
  ['93', 'Papua Selatan', 4],
  ['94', 'Papua Tengah', 8],
  ['95', 'Papua Pegunungan', 8],
  ['96', 'Papua Barat Daya', 6],
];

const BIG_UNIT_CODE = 'DISDIKBUD';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const TWO_32 = 4_294_967_296;
/** NIP sequence numbers 500–998, birth dates 1964–1999: 499 × 2 × 28 × 12 × 36 distinct NIPs. */
const NIP_SPACE = 499 * 2 * 28 * 12 * 36;

// ---------------------------------------------------------------------------------------------------------------
// Posts

const HOUR_MS = 3_600_000;
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

/**
 * `count` published posts after the demo's, one every ~26 hours back from two hours ago (so the newest is newer than
 * every demo post), with one long body (the two longest demo posts) rendered once; every fifth with a demo cover.
 */
async function addPosts(services: Services, count: number): Promise<void> {
  const { posts, units, users } = services;
  const raw = sqliteHandle(services.db);
  const admin = await users.findByEmail('admin@ikrar.test');
  if (!admin) throw new Error('the demo seed has no admin');
  const body = readDemoPosts()
    .filter((p) => p.status === 'published')
    .sort((a, b) => b.body.length - a.body.length)
    .slice(0, 2)
    .map((p) => p.body)
    .join('\n\n');
  const bodyHtml = renderMarkdown(body);
  const bodyText = htmlText(bodyHtml);
  const places = readReferenceUnits('jateng-kabkota').map((ref) => ref.name);
  const publishers: number[] = [];
  for (const ref of readReferenceUnits('jateng-opd')) {
    const id = (await units.findByCode(ref.code))?.id;
    if (id !== undefined) publishers.push(id);
  }
  const covers = raw.prepare<[], number>('SELECT id FROM post_images ORDER BY id').pluck().all();
  const now = services.clock.now().getTime();
  for (let i = 0; i < count; i += 1) {
    const n = count - i;
    const title = `${TITLES[n % TITLES.length]} ${places[n % places.length]} (${n})`;
    const category: PostCategory = n % 4 === 0 ? 'pengumuman' : 'berita';
    const coverId = n % 5 === 0 && covers.length > 0 ? (covers[n % covers.length] as number) : null;
    const publishedAt = new Date(now - 2 * HOUR_MS - i * 26 * HOUR_MS);
    await posts.insert(
      {
        slug: await uniqueSlug(
          slugFromTitle(title),
          async (slug) => (await posts.slugOwner(slug)) !== undefined,
        ),
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

/** The newest post the public can see (the one a reader coming from the home page opens), if any. */
export async function newestPostSlug(db: Db): Promise<string | null> {
  const [post] = await createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE)).posts.pageVisible(
    new Date(),
    null,
    1,
    0,
  );
  return post?.slug ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Cache

function cacheKey(spec: ScaleSpec): string {
  const migrations = readMigrations(migrationsDir('sqlite')).map((m) => `${m.version}_${m.name}:${m.sql}`);
  return createHash('sha256')
    .update(JSON.stringify({ GENERATOR_VERSION, spec, migrations }))
    .digest('hex')
    .slice(0, 12);
}

export interface Prepared {
  info: DataInfo;
  /** Whether the cached file was used (generation not run this time). */
  cached: boolean;
  /** The cached file itself: read it, never run the app on it. */
  cacheFile: string;
  copySeconds: number;
}

/**
 * Copies the scale's database to `targetPath` (null: no copy, for a PostgreSQL run, which loads from the cached
 * file), generating (and caching) it first unless a fresh cached copy exists. `log` hears progress.
 */
export async function prepareDatabase(
  spec: ScaleSpec,
  targetPath: string | null,
  log: (line: string) => void,
): Promise<Prepared> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const key = cacheKey(spec);
  const stem = `compliance-${spec.name}-${spec.users}-`;
  const file = join(CACHE_DIR, `${stem}${key}.sqlite`);
  const metaFile = `${file}.json`;
  let info: DataInfo | null = null;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as DataInfo;
    const ageDays = (Date.now() - Date.parse(meta.createdAt)) / 86_400_000;
    if (ageDays < MAX_AGE_DAYS) info = meta;
    else log(`${spec.name}: cached database is ${ageDays.toFixed(1)} days old: making it again`);
  }
  const cached = info !== null;
  if (!info) {
    // Older versions of this scale (other keys, or unfinished) are of no further use.
    for (const name of readdirSync(CACHE_DIR)) {
      if (name.startsWith(stem)) rmSync(join(CACHE_DIR, name), { force: true });
    }
    // Made in a temp folder of this run (removed if the run is stopped), then moved into the cache.
    const work = tempDir(`ikrar-bench-generate-${spec.name}-`);
    const partial = join(work, 'generating.sqlite');
    info = await generate(spec, partial, key, log);
    renameSync(partial, file);
    removeTempDir(work);
    writeFileSync(metaFile, JSON.stringify(info, null, 2));
  }
  const started = performance.now();
  if (targetPath !== null) copyFileSync(file, targetPath);
  return { info, cached, cacheFile: file, copySeconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

/** SQLite's own handle: the data is generated with better-sqlite3's bulk statements, pragmas and scripts. */
function sqliteHandle(db: Db): Database.Database {
  if (!db.sqlite) throw new Error('the bench data is generated on SQLite only');
  return db.sqlite;
}

const count = (db: Database.Database, sql: string, params: Record<string, unknown> = {}): number =>
  Number(db.prepare(sql).pluck().get(params));

/** `x` in base 32 over the receipt alphabet, `digits` symbols, as an SQL expression. */
const base32 = (x: string, digits: number): string =>
  Array.from({ length: digits }, (_, i) => `substr('${ALPHABET}', ((${x}) >> ${5 * i}) % 32 + 1, 1)`).join(
    ' || ',
  );

/** Secondary indexes of the bulk-loaded tables: dropped while loading, built again from their own SQL. */
function dropIndexes(db: Database.Database): string[] {
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('users', 'signatures')",
    )
    .all();
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  return indexes.map((index) => index.sql);
}

async function generate(
  spec: ScaleSpec,
  path: string,
  key: string,
  log: (line: string) => void,
): Promise<DataInfo> {
  rmSync(path, { force: true });
  const started = performance.now();
  const steps: Record<string, number> = {};
  let lapStarted = performance.now();
  const lap = (step: string) => {
    steps[step] = (performance.now() - lapStarted) / 1000;
    log(`  ${spec.name}: ${step} ${steps[step]?.toFixed(1)} s`);
    lapStarted = performance.now();
  };
  log(`${spec.name}: generating ${spec.users.toLocaleString('en')} people (cached afterwards)`);

  const app = openDatabase(path);
  const db = sqliteHandle(app);
  await migrate(app);
  const services = createServices(app, systemClock, timeZone(DEFAULT_TIME_ZONE));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await seedDemo(services, passwordHash);
  lap('demo seed');
  if (spec.posts !== undefined) {
    await seedDemoPosts(services);
    await inTransaction(app, () => addPosts(services, spec.posts ?? 0));
    lap('posts');
  }

  // Generation only: nothing here has to survive a crash, and nobody else has the file open.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -4000000');
  db.pragma('temp_store = MEMORY');
  db.pragma('locking_mode = EXCLUSIVE');

  const now = new Date();
  const nowIso = now.toISOString();
  const units = services.units;
  if (spec.nationalUnits) {
    await inTransaction(app, async () => {
      for (const [code, name, kabkota] of PROVINCES) {
        const root = await units.insert(
          {
            code: `PROV-${code}`,
            name: `Sekretariat Daerah Provinsi ${name}`,
            kind: 'sekretariat',
            parentId: null,
          },
          now,
        );
        // About one in five a kota, numbered from 71 as BPS numbers them.
        const kota = Math.ceil(kabkota / 5);
        for (let i = 1; i <= kabkota - kota; i += 1) {
          const n = String(i).padStart(2, '0');
          await units.insert(
            { code: `${code}.${n}`, name: `Kabupaten ${name} ${n}`, kind: 'kabupaten', parentId: root },
            now,
          );
        }
        for (let i = 1; i <= kota; i += 1) {
          await units.insert(
            { code: `${code}.${70 + i}`, name: `Kota ${name} ${i}`, kind: 'kota', parentId: root },
            now,
          );
        }
      }
    });
    lap('units');
  }

  // Names as the demo makes them, by gender; positions as the demo's staff have them.
  const person = personFactory(seededRandom(4_300_000));
  const names: [string[], string[]] = [[], []];
  for (let i = 0; i < 6000; i += 1) {
    const p = person({ bornFrom: 1965, bornTo: 2000 });
    names[p.gender === 'male' ? 0 : 1].push(p.fullName);
  }
  db.exec(`CREATE TEMP TABLE bench_names (gender INTEGER NOT NULL, i INTEGER NOT NULL, full_name TEXT NOT NULL,
             PRIMARY KEY (gender, i)) WITHOUT ROWID;
           CREATE TEMP TABLE bench_positions (i INTEGER PRIMARY KEY, name TEXT NOT NULL);
           CREATE TEMP TABLE bench_slots (slot INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL);`);
  const insertName = db.prepare('INSERT INTO bench_names VALUES (?, ?, ?)');
  for (const [gender, list] of names.entries()) {
    for (const [i, fullName] of list.entries()) insertName.run(gender, i, fullName);
  }
  const insertPosition = db.prepare('INSERT INTO bench_positions VALUES (?, ?)');
  for (const [i, position] of STAFF_POSITIONS.entries()) insertPosition.run(i, position);

  // Where people go. Province: the OPD in turn (kabupaten/kota are tracked by their head only). Nation: every
  // active unit, with weights 1–3 so that units differ in size.
  const insertSlot = db.prepare('INSERT INTO bench_slots VALUES (?, ?)');
  let slots = 0;
  if (spec.nationalUnits) {
    const random = seededRandom(603);
    for (const unit of await units.listActive()) {
      if (spec.bigUnitMembers > 0 && unit.code === BIG_UNIT_CODE) continue;
      const weight = 10 + Math.floor(random() * 21);
      for (let i = 0; i < weight; i += 1) insertSlot.run(slots++, unit.id);
    }
  } else {
    for (const ref of readReferenceUnits('jateng-opd')) {
      insertSlot.run(slots++, (await units.findByCode(ref.code))?.id);
    }
  }
  const bigUnit = await units.findByCode(BIG_UNIT_CODE);
  if (!bigUnit) throw new Error(`no unit ${BIG_UNIT_CODE}`);

  const existing = count(db, 'SELECT count(*) FROM users');
  const firstId = count(db, 'SELECT max(id) FROM users') + 1;
  const toAdd = Math.max(0, spec.users - existing);
  if (toAdd > NIP_SPACE) throw new Error(`at most ${NIP_SPACE} people can be generated`);
  const indexSql = dropIndexes(db);
  const addPeople = db.prepare(
    `WITH RECURSIVE seq(k) AS (SELECT @from UNION ALL SELECT k + 1 FROM seq WHERE k + 1 < @to),
     p AS (
       SELECT k,
              (k * 1000003 + 7777) % ${NIP_SPACE} AS b,
              (k * 2654435761 + 97) % ${TWO_32} AS h1,
              (k * 2246822519 + 13) % ${TWO_32} AS h2,
              (k * 3266489917 + 5) % ${TWO_32} AS h3
       FROM seq
     ),
     q AS (
       SELECT k, h1, h2, h3, 500 + b % 499 AS nseq, (b / 499) % 2 AS female, 1 + (b / 998) % 28 AS day,
              1 + (b / 27944) % 12 AS month, 1964 + b / 335328 AS year
       FROM p
     )
     INSERT INTO users (nip, employee_type, email, full_name, position, unit_id, role, password_hash, status,
                        must_change_password, created_at, updated_at)
     SELECT printf('%04d%02d%02d%04d%02d%d%03d', year, month, day, min(year + 22 + (h1 >> 8) % 9, 2023),
                   1 + (h1 >> 12) % 12, female + 1, nseq),
            CASE WHEN (h2 >> 8) % 10 = 0 THEN 'PPPK' ELSE 'PNS' END,
            NULL,
            (SELECT full_name FROM bench_names n
             WHERE n.gender = q.female AND n.i = (h2 >> 4) % (CASE female WHEN 1 THEN @female ELSE @male END)),
            (SELECT name FROM bench_positions WHERE i = (h3 >> 8) % @positions),
            CASE WHEN k < @big THEN @bigUnit
                 ELSE (SELECT unit_id FROM bench_slots
                       WHERE slot = CASE WHEN @roundRobin THEN k % @slots ELSE (h3 >> 4) % @slots END) END,
            'signer', @hash, 'active', 0, @now, @now
     FROM q`,
  );
  const chunk = 500_000;
  for (let from = 0; from < toAdd; from += chunk) {
    db.transaction(() =>
      addPeople.run({
        from,
        to: Math.min(toAdd, from + chunk),
        male: names[0].length,
        female: names[1].length,
        positions: STAFF_POSITIONS.length,
        big: spec.bigUnitMembers,
        bigUnit: bigUnit.id,
        roundRobin: spec.nationalUnits ? 0 : 1,
        slots,
        hash: passwordHash,
        now: nowIso,
      }),
    )();
    if (toAdd > chunk) log(`    ${Math.min(toAdd, from + chunk).toLocaleString('en')} people`);
  }
  lap('people');

  // Units without a head (the generated ones): their first member heads them.
  db.exec('CREATE INDEX IF NOT EXISTS bench_users_unit ON users(unit_id)');
  db.prepare(
    `UPDATE units SET updated_at = @now,
       head_user_id = (SELECT min(id) FROM users WHERE unit_id = units.id AND status = 'active')
     WHERE head_user_id IS NULL AND active = 1`,
  ).run({ now: nowIso });
  db.prepare(
    `UPDATE users SET updated_at = @now,
       position = (SELECT CASE WHEN u.kind IN ('kabupaten', 'kota') THEN 'Sekretaris Daerah ' || u.name
                               ELSE 'Sekretaris Daerah' END
                   FROM units u WHERE u.head_user_id = users.id)
     WHERE id >= @firstId AND id IN (SELECT head_user_id FROM units)`,
  ).run({ now: nowIso, firstId });
  db.exec('DROP INDEX bench_users_unit');
  lap('heads');

  const pacts = db
    .prepare<[], { id: number; audience: 'heads' | 'all'; opens_at: string; body_sha256: string }>(
      "SELECT id, audience, opens_at, body_sha256 FROM pacts WHERE status = 'open'",
    )
    .all();
  const pactOf = (audience: 'heads' | 'all') => {
    const pact = pacts.find((p) => p.audience === audience);
    if (!pact) throw new Error(`the demo has no open ${audience} pact`);
    return pact;
  };
  // Signing times spread over the days each pact has been open, inserted in time order as they would come.
  // Receipt codes: the person and pact (unique) in 5 symbols, then 11 that look random.
  const sign = (audience: 'heads' | 'all', from: string, where: string, share: number) => {
    const pact = pactOf(audience);
    const salt = audience === 'heads' ? 1 : 2;
    db.prepare(
      `INSERT INTO signatures (pact_id, user_id, full_name, nip, position, unit_id, unit_name, was_head, signed_at,
                               ip, user_agent, pact_body_sha256, receipt_code, status)
       SELECT @pactId, m.id, m.full_name, m.nip, m.position, m.unit_id, u.name, u.head_user_id IS m.id,
              strftime('%Y-%m-%dT%H:%M:%fZ',
                       @opens + ((m.id * 2654435761 + @salt) % ${TWO_32}) * (@now - @opens) / ${TWO_32}.0,
                       'unixepoch') AS at,
              '203.0.113.7', 'Mozilla/5.0 (Ikrar bench)', @sha,
              ${base32(`m.id * 2 + ${salt - 1}`, 5)} || ${base32(`(m.id * 3266489917 + @salt) % ${TWO_32}`, 6)}
                || ${base32(`(m.id * 668265263 + @salt) % ${TWO_32}`, 5)},
              'valid'
       ${from}
       WHERE m.id >= @firstId AND ((m.id * 2246822519 + @salt) % ${TWO_32}) % 1000 < @permille ${where}
       ORDER BY at`,
    ).run({
      pactId: pact.id,
      opens: Date.parse(pact.opens_at) / 1000,
      now: now.getTime() / 1000,
      salt,
      sha: pact.body_sha256,
      firstId,
      permille: Math.round(share * 1000),
    });
  };
  db.transaction(() => {
    sign(
      'heads',
      'FROM units u JOIN users m ON m.id = u.head_user_id',
      "AND u.active = 1 AND m.status = 'active'",
      spec.headsShare,
    );
    sign('all', 'FROM users m JOIN units u ON u.id = m.unit_id', "AND m.status = 'active'", spec.allShare);
  })();
  lap('signatures');

  db.transaction(() => {
    for (const sql of indexSql) db.exec(sql);
  })();
  lap('indexes');

  const checkStarted = performance.now();
  const mismatches = db
    .prepare<[], { members: number; signed: number; hourly: number }>(
      `WITH
       members_fresh AS (SELECT unit_id, count(*) AS n FROM users
                         WHERE status = 'active' AND unit_id IS NOT NULL GROUP BY unit_id),
       members_kept AS (SELECT unit_id, active AS n FROM unit_member_counts WHERE active > 0),
       signed_fresh AS (SELECT s.pact_id, u.unit_id, count(*) AS n, max(s.signed_at) AS last
                        FROM signatures s JOIN users u ON u.id = s.user_id
                        WHERE s.status = 'valid' AND u.status = 'active' AND u.unit_id IS NOT NULL
                        GROUP BY s.pact_id, u.unit_id),
       signed_kept AS (SELECT pact_id, unit_id, signed AS n, last_signed_at AS last FROM pact_unit_signed
                       WHERE signed > 0),
       hourly_fresh AS (SELECT pact_id, coalesce(unit_id, 0) AS unit_id, strftime('%Y-%m-%dT%H', signed_at) AS hour,
                               count(*) AS n
                        FROM signatures WHERE status = 'valid' GROUP BY 1, 2, 3),
       hourly_kept AS (SELECT pact_id, unit_id, hour, signed AS n FROM pact_hourly_signings WHERE signed > 0)
       SELECT
         (SELECT count(*) FROM (SELECT * FROM members_fresh EXCEPT SELECT * FROM members_kept))
           + (SELECT count(*) FROM (SELECT * FROM members_kept EXCEPT SELECT * FROM members_fresh)) AS members,
         (SELECT count(*) FROM (SELECT * FROM signed_fresh EXCEPT SELECT * FROM signed_kept))
           + (SELECT count(*) FROM (SELECT * FROM signed_kept EXCEPT SELECT * FROM signed_fresh)) AS signed,
         (SELECT count(*) FROM (SELECT * FROM hourly_fresh EXCEPT SELECT * FROM hourly_kept))
           + (SELECT count(*) FROM (SELECT * FROM hourly_kept EXCEPT SELECT * FROM hourly_fresh)) AS hourly`,
    )
    .get() as { members: number; signed: number; hourly: number };
  const countCheck = { ...mismatches, seconds: (performance.now() - checkStarted) / 1000 };
  lap('count check');

  const heads = pactOf('heads');
  const all = pactOf('all');
  const biggest = db
    .prepare<[], { id: number; code: string; name: string; members: number }>(
      `SELECT u.id, u.code, u.name, c.active AS members FROM unit_member_counts c JOIN units u ON u.id = c.unit_id
       WHERE u.active = 1 ORDER BY c.active DESC, u.id LIMIT 1`,
    )
    .get();
  if (!biggest) throw new Error('no unit has members');
  const info: DataInfo = {
    scale: spec.name,
    spec,
    cacheKey: key,
    createdAt: now.toISOString(),
    activeUnits: count(db, 'SELECT count(*) FROM units WHERE active = 1'),
    activeUsers: count(db, "SELECT count(*) FROM users WHERE status = 'active'"),
    validSignatures: {
      heads: count(db, "SELECT count(*) FROM signatures WHERE pact_id = @id AND status = 'valid'", {
        id: heads.id,
      }),
      all: count(db, "SELECT count(*) FROM signatures WHERE pact_id = @id AND status = 'valid'", {
        id: all.id,
      }),
    },
    pacts: { heads: heads.id, all: all.id },
    posts: count(db, "SELECT count(*) FROM posts WHERE status = 'published'"),
    required: {
      heads: count(
        db,
        // The heads every unit requires, as the app's rule counts them (migration 013).
        'SELECT count(*) FROM unit_heads',
      ),
      all: count(
        db,
        'SELECT coalesce(sum(c.active), 0) FROM unit_member_counts c JOIN units u ON u.id = c.unit_id WHERE u.active = 1',
      ),
    },
    biggestUnit: biggest,
    databaseMb: 0,
    generationSeconds: 0,
    steps,
    countCheck,
  };
  db.pragma('locking_mode = NORMAL');
  db.pragma('journal_mode = WAL');
  await app.close();
  info.databaseMb = statSync(path).size / 1024 ** 2;
  info.generationSeconds = (performance.now() - started) / 1000;
  log(`${spec.name}: generated in ${info.generationSeconds.toFixed(1)} s, ${info.databaseMb.toFixed(0)} MB`);
  return info;
}
