/**
 * Activation letters, once, over HTTP as an admin prints them: the preview for the largest unit tree that one
 * request may print (reset letters included, since the bench's people have passwords), then the PDF streamed to the
 * last byte, with the app's memory watched and the progress the page polls read alongside.
 */
import { sql } from 'kysely';
import { MAX_LETTERS } from '../../../src/activation/recipients.js';
import { csrfTokenIn } from '../../helpers/http-login.js';
import { watchMemory } from '../kit/bench-kit.js';
import type { ScenarioContext, ScenarioResult } from './context.js';
import { adminHeaders } from './pages.js';

const BASE = '/admin/surat-aktivasi';
/** How often the progress is read, as the page does (it asks every second). */
const POLL_MS = 1000;

/** The unit whose tree holds the most people one request may print letters for (all of them, as reset letters). */
async function largestPrintableTree(
  ctx: ScenarioContext,
): Promise<{ id: number; people: number } | undefined> {
  const { rows: units } = await sql<{ id: number; parent_id: number | null }>`
    SELECT id, parent_id FROM units WHERE active = 1`.execute(ctx.db.q);
  const { rows: counts } = await sql<{ unit_id: number; people: number }>`
    SELECT unit_id, count(*) AS people FROM users
    WHERE role <> 'admin' AND status = 'active' AND nip IS NOT NULL AND unit_id IS NOT NULL
    GROUP BY unit_id`.execute(ctx.db.q);
  const own = new Map(counts.map((row) => [row.unit_id, Number(row.people)]));
  const parentOf = new Map(units.map((unit) => [unit.id, unit.parent_id]));
  const inTree = new Map<number, number>();
  for (const unit of units) {
    // Each unit's people count in its own tree and in every ancestor's.
    for (let at: number | null | undefined = unit.id; at != null; at = parentOf.get(at)) {
      inTree.set(at, (inTree.get(at) ?? 0) + (own.get(unit.id) ?? 0));
    }
  }
  return [...inTree]
    .filter(([, people]) => people <= MAX_LETTERS)
    .map(([id, people]) => ({ id, people }))
    .sort((a, b) => b.people - a.people)[0];
}

export async function runLetters(ctx: ScenarioContext): Promise<ScenarioResult> {
  const unit = await largestPrintableTree(ctx);
  if (!unit) throw new Error('activation letters: no unit with people to print for');
  const headers = adminHeaders(ctx.adminCookie);
  const url = (path: string) => `${ctx.app.base}${path}`;
  const csrfOf = async (path: string) => {
    const token = csrfTokenIn(await (await fetch(url(path), { headers })).text());
    if (!token) throw new Error(`activation letters: no form on ${path}`);
    return token;
  };
  const post = (path: string, fields: Record<string, string>) =>
    fetch(url(path), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  const previewStarted = performance.now();
  const preview = await post(BASE, {
    _csrf: await csrfOf(BASE),
    kind: 'unit',
    unit_id: String(unit.id),
    subtree: '1',
    layout: 'a4',
    resets: '1',
  });
  const previewHtml = await preview.text();
  const previewMs = performance.now() - previewStarted;
  const batch = new RegExp(`${BASE}/(\\d+)/cetak`).exec(previewHtml)?.[1];
  if (preview.status !== 200 || !batch)
    throw new Error(`activation letters: preview answered ${preview.status}`);
  ctx.log(
    `  ${ctx.scale}: activation letters (${unit.people.toLocaleString('en')} people of a unit and its sub-units)`,
  );

  const token = await csrfOf(`${BASE}/${batch}`);
  const progress: number[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const state = (await (await fetch(url(`${BASE}/${batch}/status`), { headers })).json()) as {
        printed: number;
      };
      progress.push(state.printed);
    }
  })();
  const memory = watchMemory(ctx.app.child.pid as number);
  const started = performance.now();
  let firstByteMs: number | null = null;
  let bytes = 0;
  const res = await post(`${BASE}/${batch}/cetak`, { _csrf: token });
  for await (const chunk of res.body ?? []) {
    firstByteMs ??= performance.now() - started;
    bytes += (chunk as Uint8Array).length;
  }
  const ms = performance.now() - started;
  polling = false;
  await poll;
  const letters = unit.people;
  const failed = res.status !== 200;
  return {
    scenario: 'letters',
    scale: ctx.scale,
    kind: 'once',
    perSecond: failed ? null : letters / (ms / 1000),
    p50: ms,
    p99: null,
    errors: failed ? 1 : 0,
    memory: memory(),
    floor: null,
    ratio: null,
    detail: { unitId: unit.id, letters, status: res.status, bytes, firstByteMs, previewMs, progress },
  };
}
