/**
 * Roster import, once, over HTTP as an admin does it: upload a CSV of 50,000 new people over the 52 OPD (the app
 * parses it and decides every row: the preview), open the preview, confirm (one transaction), with the app's memory
 * watched. The roster has no email addresses: with them, confirming would also issue and mail an invitation to
 * each person (mail work, which goes on after the answer), and this measures the import.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReferenceUnits } from '../../../src/directory/units/reference-units.js';
import { personFactory, STAFF_POSITIONS, seededRandom } from '../../../src/seed/people.js';
import { toCsv } from '../../../src/web/csv.js';
import { csrfTokenIn } from '../../helpers/http-login.js';
import { type MemoryPeaks, watchMemory } from '../kit/bench-kit.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { adminHeaders } from './pages.js';

const BASE = '/admin/pengguna/impor';
const ROWS = 50_000;
const HEADER = ['nip', 'nama', 'jabatan', 'kode_unit', 'email', 'jenis', 'kepala'];

/** The roster: one person per row, the units in turn, the first person of each unit named its head. */
function roster(): string {
  const unitCodes = readReferenceUnits('jateng-opd').map((unit) => unit.code);
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
      '',
      i % 10 === 0 ? 'PPPK' : 'PNS',
      i < unitCodes.length ? 'ya' : 'tidak',
    ]);
  }
  return toCsv(rows, 'id');
}

/** The numbers a preview or result page shows (`data-count="new">1.234<`). */
const countsOn = (html: string): Record<string, number> =>
  Object.fromEntries(
    [...html.matchAll(/data-count="(\w+)">([\d.]+)</g)].map((m) => [m[1], Number(m[2]?.replace(/\./g, ''))]),
  );

/** The peaks of several watches as one: each process's largest. */
function largestOf(watches: (MemoryPeaks | null)[]): MemoryPeaks | null {
  const all = watches.filter((peaks) => peaks !== null);
  if (all.length === 0) return null;
  const byPid: Record<string, number> = {};
  for (const peaks of all) {
    for (const [pid, mb] of Object.entries(peaks.byPid)) byPid[pid] = Math.max(byPid[pid] ?? 0, mb);
  }
  const primaries = all.flatMap((peaks) => (peaks.primaryMb === null ? [] : [peaks.primaryMb]));
  return {
    workerMb: Math.max(...all.map((peaks) => peaks.workerMb)),
    primaryMb: primaries.length > 0 ? Math.max(...primaries) : null,
    byPid,
  };
}

export async function runImport(ctx: ScenarioContext): Promise<ScenarioResult> {
  const file = Buffer.from(roster());
  writeFileSync(join(ctx.dir, 'roster.csv'), file);
  ctx.log(
    `  ${ctx.scale}: roster import (${ROWS.toLocaleString('en')} rows, ${(file.length / 1024 ** 2).toFixed(1)} MB CSV)`,
  );
  const headers = adminHeaders(ctx.adminCookie);
  const url = (path: string) => `${ctx.app.base}${path}`;
  const expectStatus = (res: Response, status: number, what: string) => {
    if (res.status !== status) throw new Error(`roster import, ${what}: ${res.status} (expected ${status})`);
  };

  const form = await fetch(url(BASE), { headers });
  expectStatus(form, 200, 'the upload page');
  const action = /<form method="post" action="(\/admin\/pengguna\/impor\?_csrf=[^"]+)"/
    .exec(await form.text())?.[1]
    ?.replace(/&amp;/g, '&');
  if (!action) throw new Error('roster import: no upload form');

  // Each step's peak on its own: which one takes the memory is what the number is for.
  const watch = () => watchMemory(ctx.app.child.pid as number);
  let memory = watch();
  const steps: Record<string, number> = {};
  const stepPeaks: Record<string, MemoryPeaks | null> = {};
  let started = performance.now();
  const lap = (step: string) => {
    steps[step] = performance.now() - started;
    stepPeaks[step] = memory();
    memory = watch();
    started = performance.now();
  };
  const body = new FormData();
  body.append('file', new Blob([file], { type: 'text/csv' }), 'roster.csv');
  const uploaded = await fetch(url(action), { method: 'POST', headers, body, redirect: 'manual' });
  expectStatus(uploaded, 303, 'upload');
  lap('upload and preview');
  const previewPath = uploaded.headers.get('location') ?? '';
  const preview = await fetch(url(previewPath), { headers });
  expectStatus(preview, 200, 'the preview page');
  const previewHtml = await preview.text();
  lap('preview page');
  const csrf = csrfTokenIn(previewHtml);
  if (!csrf) throw new Error('roster import: no confirm form on the preview page');
  const applied = await fetch(url(`${previewPath}/terapkan`), {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
    redirect: 'manual',
  });
  expectStatus(applied, 303, 'confirm');
  lap('confirm');
  memory();
  const ms = Object.values(steps).reduce((a, b) => a + b, 0);

  const result = await fetch(url(previewPath), { headers });
  return {
    scenario: 'import',
    scale: ctx.scale,
    kind: 'once',
    perSecond: ROWS / (ms / 1000),
    p50: ms,
    p99: null,
    errors: 0,
    memory: largestOf(Object.values(stepPeaks)),
    floor: null,
    ratio: null,
    detail: {
      rows: ROWS,
      csvBytes: file.length,
      stepsMs: steps,
      stepPeaksMb: Object.fromEntries(
        Object.entries(stepPeaks).map(([step, peaks]) => [step, peaks?.workerMb]),
      ),
      preview: countsOn(previewHtml),
      result: countsOn(await result.text()),
    },
  };
}
