/**
 * XLSX export, once: what an admin downloads with the report's XLSX button, timed to the last byte with the app's
 * memory watched. Province: the whole all-ASN report (its "Rincian" sheet lists every required person, ~50k).
 * National: the biggest unit's (DISDIKBUD, 50k people), since a report of more than 200,000 people
 * (XLSX_DETAIL_LIMIT) lists none in its detail sheet and so would measure less work, not more.
 */
import { watchMemory } from '../kit/bench-kit.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { adminHeaders } from './pages.js';

/** Large exports are given up after this long. */
const TIMEOUT_MS = 20 * 60_000;

export async function runXlsxExport(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { info } = ctx;
  const pact = info.pacts.all;
  const [path, rows] =
    ctx.scale === 'province'
      ? [`/admin/kepatuhan/${pact}?format=xlsx`, info.required.all]
      : [`/admin/kepatuhan/${pact}/unit/${info.biggestUnit.id}?format=xlsx`, info.biggestUnit.members];
  ctx.log(`  ${ctx.scale}: XLSX export (${path}, ${rows.toLocaleString('en')} people)`);

  const memory = watchMemory(ctx.app.child.pid as number);
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const started = performance.now();
  let status = 0;
  let firstByteMs: number | null = null;
  let bytes = 0;
  let error: string | null = null;
  try {
    const res = await fetch(`${ctx.app.base}${path}`, {
      headers: adminHeaders(ctx.adminCookie),
      signal: controller.signal,
    });
    status = res.status;
    firstByteMs = performance.now() - started;
    for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } finally {
    clearTimeout(timeout);
  }
  const ms = performance.now() - started;
  const failed = error !== null || status !== 200;
  return {
    scenario: 'xlsx',
    scale: ctx.scale,
    kind: 'once',
    perSecond: failed ? null : rows / (ms / 1000),
    p50: ms,
    p99: null,
    errors: failed ? 1 : 0,
    memory: memory(),
    floor: null,
    ratio: null,
    detail: { path, rows, status, bytes, firstByteMs, error },
  };
}
