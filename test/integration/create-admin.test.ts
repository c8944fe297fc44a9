import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { createAdmin } from '../../src/directory/users/create-admin.js';
import { browser, logIn } from '../helpers/http.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe('creating the first admin of a real deployment', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const create = (email: string, password = 'pagi cerah di simpang lima', fullName = 'Budi Santoso') =>
    createAdmin(t.services, { email, fullName, password, actor: systemActor });

  it('creates an admin without a NIP who can log in and reach /admin, and audits it', async () => {
    const result = await create('  Admin@JatengProv.go.id ');
    expect(result.ok).toBe(true);
    const user = await t.services.users.findByEmail('admin@jatengprov.go.id');
    expect(user).toMatchObject({
      role: 'admin',
      nip: null,
      email: 'admin@jatengprov.go.id',
      fullName: 'Budi Santoso',
    });
    expect((await t.services.audit.recent(1))[0]).toMatchObject({
      action: 'user.created',
      actorUserId: null,
    });

    const agent = browser(t.app);
    await logIn(agent, 'admin@jatengprov.go.id', 'pagi cerah di simpang lima');
    expect((await agent.get('/admin')).status).toBe(200);
  });

  it.each([
    ['bukan-email', 'pagi cerah di simpang lima', 'invalid_email'],
    ['admin@jatengprov.go.id', 'pendek', 'too_short'],
    ['admin@jatengprov.go.id', 'administrator', 'contains_identity'],
    ['admin@jatengprov.go.id', 'semarang2024', 'too_common'],
  ])('refuses %s / %s (%s) and writes nothing', async (email, password, problem) => {
    expect(await create(email, password)).toEqual({ ok: false, problem });
    expect(await t.services.users.count()).toBe(0);
    expect(await t.services.audit.recent(10)).toEqual([]);
  });

  it('refuses a name with terminal control characters', async () => {
    expect(
      await create('admin@jatengprov.go.id', 'pagi cerah di simpang lima', 'Budi\u001b[2JSantoso'),
    ).toEqual({
      ok: false,
      problem: 'invalid_name',
    });
    expect(await t.services.users.count()).toBe(0);
  });

  it('refuses an email that is already used', async () => {
    await create('admin@jatengprov.go.id');
    expect(await create('ADMIN@jatengprov.go.id')).toEqual({ ok: false, problem: 'email_taken' });
    expect(await t.services.users.count()).toBe(1);
  });
});
