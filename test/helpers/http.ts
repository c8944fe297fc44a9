import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { Role, User } from '../../src/directory/types.js';
import type { Factories } from './factories.js';
import { TEST_PASSWORD } from './factories.js';

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token from the first `_csrf` hidden field of a page. */
export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** GETs a page with a form and returns its CSRF token (the agent keeps the session cookie). */
export async function fetchCsrfToken(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path);
  return csrfTokenFrom(page.text);
}

/** Logs in through the real login form, CSRF token included, as a person would. Returns the POST response. */
export async function logIn(agent: Agent, username: string, password = TEST_PASSWORD, next?: string) {
  const token = await fetchCsrfToken(agent, next ? `/masuk?next=${encodeURIComponent(next)}` : '/masuk');
  return agent
    .post('/masuk')
    .type('form')
    .send({ _csrf: token, username, password, ...(next ? { next } : {}) });
}

/** A browser of its own: cookies kept between requests. */
export const browser = (app: Express): Agent => request.agent(app);

/** The value of the session cookie a response set, if any. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('ikrar.sid='))?.split(';')[0];
}

/** An admin account (no NIP) made in the test app and a browser logged in as it, through the real form. */
export async function loggedInAdmin(
  t: {
    app: Express;
    make: { user: (options: { role: 'admin'; email: string; nip: null; fullName: string }) => Promise<User> };
  },
  fullName = 'Admin Uji',
) {
  const admin = await t.make.user({ role: 'admin', email: 'admin@uji.test', nip: null, fullName });
  const agent = browser(t.app);
  await logIn(agent, 'admin@uji.test');
  return { admin, agent };
}

let accountCounter = 0;

/**
 * A new account with this role (in `unitId`, if given) and a browser logged in as it through the real form.
 * Admins get no NIP; others a generated one.
 */
export async function loggedInAs(
  t: { app: Express; make: Pick<Factories, 'user'> },
  role: Role,
  options: { unitId?: number | null; fullName?: string } = {},
) {
  accountCounter += 1;
  const email = `${role}${accountCounter}@uji.test`;
  const user = await t.make.user({
    role,
    email,
    nip: role === 'admin' ? null : undefined,
    unitId: options.unitId ?? null,
    fullName: options.fullName ?? `Pengguna Uji ${accountCounter}`,
  });
  const agent = browser(t.app);
  expect((await logIn(agent, email)).status).toBe(302);
  return { user, agent };
}

/** The text of a page or fragment without tags and with single spaces. */
export const pageText = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
