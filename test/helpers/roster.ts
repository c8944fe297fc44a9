import { expect } from 'vitest';
import type { Agent } from './http.js';
import { postForm } from './pacts.js';

export const ROSTER_BASE = '/admin/pengguna/impor';

/** Uploads a roster the way the form does: multipart, the CSRF token in the action's query string. */
export async function uploadRoster(agent: Agent, content: Buffer | string, filename = 'roster.csv') {
  const page = await agent.get(ROSTER_BASE);
  expect(page.status).toBe(200);
  const action = /<form method="post" action="(\/admin\/pengguna\/impor\?_csrf=[^"]+)"/.exec(page.text)?.[1];
  expect(action).toBeDefined();
  return agent
    .post((action as string).replace(/&amp;/g, '&'))
    .attach('file', typeof content === 'string' ? Buffer.from(content, 'utf8') : content, filename);
}

/** Uploads and follows the redirect to the preview; returns the import id and the preview page. */
export async function previewRoster(agent: Agent, content: Buffer | string, filename?: string) {
  const res = await uploadRoster(agent, content, filename);
  expect(res.status, res.text).toBe(303);
  const id = Number(/^\/admin\/pengguna\/impor\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
  const page = await agent.get(`${ROSTER_BASE}/${id}`);
  expect(page.status).toBe(200);
  return { id, page: page.text };
}

/** Confirms a previewed import. */
export const confirmRoster = (agent: Agent, id: number) =>
  postForm(agent, `${ROSTER_BASE}/${id}`, `${ROSTER_BASE}/${id}/terapkan`);

/** The preview table row of a file's row `line` (its number as a spreadsheet shows it). */
export function rowOf(html: string, line: number): string {
  const match = new RegExp(`<tr data-line="${line}">[\\s\\S]*?</tr>`).exec(html);
  if (!match) throw new Error(`row ${line} is not on the page`);
  return match[0];
}
