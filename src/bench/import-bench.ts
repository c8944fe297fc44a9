/**
 * npm run bench:import — a province-size roster through the import operations, then the user list at that size.
 * Reports; asserts nothing. Generates a CSV of ROWS people (valid, deterministic NIPs via personFactory) over the
 * 52 OPD, then a child process — holding only what the server would: the uploaded file — times parse → preview →
 * apply (the operations the pages call, on a database file with the production pragmas) and reports its peak RSS,
 * then a second preview of the same file (all unchanged) and the user-list queries at that size (median of 20).
 *
 *   ROWS (default 50000)   XLSX=1 also imports the same roster as an XLSX (its own child, its own database)
 *
 * Targets (issue 4): parse + preview + apply ≤ 20 s, memory ≤ 300 MB, user list ≤ 50 ms median.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../audit/record-event.js';
import { systemClock } from '../clock.js';
import { inTransaction, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { applyRosterImport } from '../directory/roster-apply.js';
import { parseRoster } from '../directory/roster-parse.js';
import { previewRoster } from '../directory/roster-preview.js';
import type { RosterApplyResult, RosterSummary } from '../directory/roster-types.js';
import type { User } from '../directory/types.js';
import type { UserFilter } from '../directory/user-repository.js';
import { personFactory, STAFF_POSITIONS, seededRandom } from '../seed/people.js';
import { loadReferenceUnits, readReferenceUnits } from '../seed/reference-units.js';
import { createServices, type Services } from '../services.js';
import { toCsv } from '../web/csv.js';
import { median } from './bench-kit.js';

const ROWS = Number(process.env.ROWS ?? 50_000);
const RUNS = 20;
const HEADER = ['nip', 'nama', 'jabatan', 'kode_unit', 'email', 'jenis', 'kepala'];

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const seconds = (started: number) => (performance.now() - started) / 1000;

/** What the child process measures. */
interface ImportRun {
  seconds: { parse: number; preview: number; apply: number; total: number; reimportPreview: number };
  peakRssMb: { start: number; parse: number; preview: number; apply: number };
  summary: RosterSummary;
  reimport: RosterSummary;
  result: RosterApplyResult;
}

/** The roster: one person per row, units in turn, the first person of each unit its head. */
function generateRoster(unitCodes: string[]): string[][] {
  const person = personFactory(seededRandom(2024));
  const random = seededRandom(99);
  const rows: string[][] = [HEADER];
  for (let i = 0; i < ROWS; i += 1) {
    const p = person({ bornFrom: 1965, bornTo: 2000 });
    rows.push([
      p.nip,
      p.fullName,
      STAFF_POSITIONS[Math.floor(random() * STAFF_POSITIONS.length)] as string,
      unitCodes[i % unitCodes.length] as string,
      `pegawai${i}@bench.invalid`,
      i % 10 === 0 ? 'PPPK' : 'PNS',
      i < unitCodes.length ? 'ya' : 'tidak',
    ]);
  }
  return rows;
}

function timeQuery(run: () => unknown): number {
  run(); // warm: the first run fills the page cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** The user list as its page asks for it: one page of 50 and the count, for a few typical filters. */
function userListTimings(services: Services, someUnitId: number) {
  const all: UserFilter = { query: null, unitIds: null, role: null, status: null, headsOnly: false };
  const filters: [string, UserFilter][] = [
    ['all users', all],
    ['search "sekar"', { ...all, query: 'sekar' }],
    ['NIP prefix "1980"', { ...all, query: '1980' }],
    ['one unit', { ...all, unitIds: [someUnitId] }],
    ['heads only', { ...all, headsOnly: true }],
  ];
  return filters.map(([name, filter]) => ({
    name,
    pageMs: timeQuery(() => services.users.search(filter, 50, 0)),
    countMs: timeQuery(() => services.users.countMatching(filter)),
    pageAndCountMs: timeQuery(() => {
      services.users.search(filter, 50, 0);
      services.users.countMatching(filter);
    }),
  }));
}

const adminOf = (services: Services): User => services.users.findByEmail('admin@bench.invalid') as User;

/** In the child: the import as the server runs it, from the uploaded bytes to the committed apply. */
async function runImport(databasePath: string, filePath: string): Promise<ImportRun> {
  const db = openDatabase(databasePath);
  const services = createServices(db, systemClock);
  const admin = adminOf(services);
  const rss = { start: peakRssMb(), parse: 0, preview: 0, apply: 0 };
  let file: Buffer | null = readFileSync(filePath);
  const fileName = filePath.endsWith('.xlsx') ? 'bench.xlsx' : 'bench.csv';

  let started = performance.now();
  let parsed = await parseRoster(file);
  file = null;
  if (!parsed.ok) throw new Error(`parse: ${parsed.problem}`);
  const parseSeconds = seconds(started);
  rss.parse = peakRssMb();

  started = performance.now();
  const preview = previewRoster(services, { sheet: parsed.sheet, fileName, manager: admin });
  const previewSeconds = seconds(started);
  // The preview's request ends here; the confirm is another request.
  parsed = { ok: false, problem: 'empty' };
  rss.preview = peakRssMb();

  started = performance.now();
  const applied = applyRosterImport(services, {
    importId: preview.importId,
    manager: admin,
    actor: systemActor,
  });
  if (!applied.ok) throw new Error(`apply: ${applied.reason}`);
  const applySeconds = seconds(started);
  rss.apply = peakRssMb();

  started = performance.now();
  const again = await parseRoster(readFileSync(filePath));
  if (!again.ok) throw new Error('parse again');
  const reimport = previewRoster(services, { sheet: again.sheet, fileName, manager: admin });
  const reimportSeconds = seconds(started);

  db.close();
  return {
    seconds: {
      parse: parseSeconds,
      preview: previewSeconds,
      apply: applySeconds,
      total: parseSeconds + previewSeconds + applySeconds,
      reimportPreview: reimportSeconds,
    },
    peakRssMb: rss,
    summary: preview.summary,
    reimport: reimport.summary,
    result: applied.result,
  };
}

function runChild(args: string[]): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--import', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as ImportRun)
        : reject(new Error(`import run exited with ${code}`)),
    );
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-import-bench-'));
  try {
    const databasePath = join(dir, 'bench.sqlite');
    const db = openDatabase(databasePath);
    migrate(db);
    const services = createServices(db, systemClock);
    inTransaction(db, () => {
      loadReferenceUnits(services.units, readReferenceUnits('jateng-opd'), systemClock);
      services.users.insert(
        {
          nip: null,
          employeeType: 'PNS',
          email: 'admin@bench.invalid',
          fullName: 'Admin Bench',
          position: '',
          unitId: null,
          role: 'admin',
          passwordHash: null,
          mustChangePassword: false,
        },
        systemClock.now(),
      );
    });
    const units = services.units.listActive();
    const roster = generateRoster(units.map((unit) => unit.code));
    const csvPath = join(dir, 'roster.csv');
    writeFileSync(csvPath, toCsv(roster));
    const csvBytes = readFileSync(csvPath).length;
    db.close();
    let xlsx: { bytes: number; run: ImportRun } | null = null;
    if (process.env.XLSX === '1') {
      // The same roster as an XLSX with text-formatted cells, imported by a child of its own into a copy of the
      // database as it is now (units and the admin, nobody else).
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Data');
      sheet.columns = HEADER.map((key) => ({ key, style: { numFmt: '@' } }));
      for (const row of roster) sheet.addRow(row);
      const xlsxPath = join(dir, 'roster.xlsx');
      writeFileSync(xlsxPath, Buffer.from(await workbook.xlsx.writeBuffer()));
      const copyPath = join(dir, 'bench-xlsx.sqlite');
      copyFileSync(databasePath, copyPath);
      xlsx = { bytes: readFileSync(xlsxPath).length, run: await runChild([copyPath, xlsxPath]) };
    }

    const run = await runChild([databasePath, csvPath]);

    const listDb = openDatabase(databasePath);
    const listServices = createServices(listDb, systemClock);
    const users = listServices.users.count();
    const list = userListTimings(listServices, (units[0] as { id: number }).id);
    listDb.close();

    const s = run.seconds;
    const steps: [string, string][] = [
      ['rows in file', `${ROWS} (${(csvBytes / 1024 / 1024).toFixed(1)} MB CSV)`],
      ['parse CSV (s)', s.parse.toFixed(2)],
      ['preview (s)', s.preview.toFixed(2)],
      ['apply, one transaction (s)', s.apply.toFixed(2)],
      ['parse + preview + apply (s)', `${s.total.toFixed(2)}  (target ≤ 20)`],
      [
        'peak RSS (MB)',
        `${run.peakRssMb.apply.toFixed(0)}  (target ≤ 300; at start ${run.peakRssMb.start.toFixed(0)}, ` +
          `after parse ${run.peakRssMb.parse.toFixed(0)}, after preview ${run.peakRssMb.preview.toFixed(0)})`,
      ],
      ['re-import preview (s)', `${s.reimportPreview.toFixed(2)}  (${run.reimport.unchanged} unchanged)`],
      ['created / heads set', `${run.result.created} / ${run.result.headsSet}`],
      ['users in directory', String(users)],
      ...(xlsx
        ? ([
            ['same roster as XLSX', `${(xlsx.bytes / 1024 / 1024).toFixed(1)} MB`],
            ['  parse XLSX (s)', xlsx.run.seconds.parse.toFixed(2)],
            ['  parse + preview + apply (s)', xlsx.run.seconds.total.toFixed(2)],
            ['  peak RSS (MB)', xlsx.run.peakRssMb.apply.toFixed(0)],
          ] as [string, string][])
        : []),
    ];
    for (const [name, value] of steps) console.log(`${name.padEnd(32)}${value}`);
    console.log('');
    console.log(
      `${'user list (median of 20, ms)'.padEnd(32)}${'page'.padStart(8)}${'count'.padStart(8)}${'both'.padStart(8)}`,
    );
    for (const row of list) {
      console.log(
        `${row.name.padEnd(32)}${row.pageMs.toFixed(2).padStart(8)}${row.countMs.toFixed(2).padStart(8)}` +
          `${row.pageAndCountMs.toFixed(2).padStart(8)}`,
      );
    }
    console.log(
      JSON.stringify({ bench: 'import', rows: ROWS, csvBytes, ...run, users, userList: list, xlsx }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--import') {
  const [databasePath, filePath] = process.argv.slice(3) as [string, string];
  runImport(databasePath, filePath)
    .then((run) => process.stdout.write(JSON.stringify(run)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
