import type { SessionData } from 'express-session';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../src/core/time-zone.js';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { userRepository } from '../../src/directory/user-repository.js';
import { createServices, type Services } from '../../src/services.js';
import { sessionRepository } from '../../src/sessions/session-repository.js';
import { DatabaseSessionStore } from '../../src/sessions/session-store.js';

const NOW = Date.parse('2024-02-14T01:00:00.000Z');
const HOUR = 60 * 60 * 1000;

/** Session data as express-session and passport write it. */
function sessionData(expiresAt: number | null, userId?: number): SessionData {
  return {
    cookie: {
      originalMaxAge: expiresAt === null ? null : expiresAt - NOW,
      expires: expiresAt === null ? undefined : new Date(expiresAt),
      httpOnly: true,
      path: '/',
    },
    ...(userId === undefined ? {} : { passport: { user: userId } }),
  } as unknown as SessionData;
}

function get(store: DatabaseSessionStore, sid: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) => {
    store.get(sid, (err, session) => (err ? reject(err) : resolve(session)));
  });
}

function set(store: DatabaseSessionStore, sid: string, data: SessionData): Promise<void> {
  return new Promise((resolve, reject) => {
    store.set(sid, data, (err) => (err ? reject(err) : resolve()));
  });
}

function destroy(store: DatabaseSessionStore, sid: string): Promise<void> {
  return new Promise((resolve, reject) => {
    store.destroy(sid, (err) => (err ? reject(err) : resolve()));
  });
}

function addUser(db: Db, nip: string, email: string): Promise<number> {
  return userRepository(db).insert(
    {
      nip,
      employeeType: 'PNS',
      email,
      fullName: 'Dewi Lestari',
      position: 'Pranata Hubungan Masyarakat',
      pangkat: null,
      unitId: null,
      role: 'signer',
      passwordHash: null,
      mustChangePassword: false,
    },
    new Date(NOW),
  );
}

describe('DatabaseSessionStore', () => {
  let db: Db;
  let now: number;
  let store: DatabaseSessionStore;
  let services: Services;
  /** A store as a process of the app has one: its own buffer of touches not yet written. */
  const storeOfAProcess = () => {
    const own = createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE));
    return { store: new DatabaseSessionStore(own.sessions, own.sessionTouches, () => now), services: own };
  };

  beforeEach(async () => {
    db = openDatabase(':memory:');
    await migrate(db);
    now = NOW;
    ({ store, services } = storeOfAProcess());
  });

  afterEach(async () => {
    await db.close();
  });

  it('returns what was set', async () => {
    const data = { ...sessionData(NOW + HOUR), flash: [{ kind: 'success', messageKey: 'x' }] } as SessionData;
    await set(store, 'sid-1', data);
    const read = await get(store, 'sid-1');
    expect(read).toMatchObject({ flash: [{ kind: 'success', messageKey: 'x' }] });
    expect(new Date(read?.cookie.expires as unknown as string).getTime()).toBe(NOW + HOUR);
  });

  it('returns null for an unknown session', async () => {
    expect(await get(store, 'nobody')).toBeNull();
  });

  it('replaces a session when it is set again, including its user and expiry', async () => {
    const userId = await addUser(db, '199201152019032005', 'dewi@example.go.id');
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    await set(store, 'sid-1', sessionData(NOW + 2 * HOUR, userId));
    expect(await get(store, 'sid-1')).toMatchObject({ passport: { user: userId } });
    const stored = await sql<{
      user_id: number;
    }>`SELECT user_id FROM sessions WHERE sid = ${'sid-1'}`.execute(db.q);
    expect(stored.rows[0]?.user_id).toBe(userId);
    now = NOW + HOUR + 1;
    expect(await get(store, 'sid-1')).not.toBeNull();
  });

  it('does not return a session whose cookie has expired', async () => {
    await set(store, 'old', sessionData(NOW - 1000));
    expect(await get(store, 'old')).toBeNull();
  });

  it('stops returning a session once the clock passes its expiry', async () => {
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    now = NOW + HOUR - 1;
    expect(await get(store, 'sid-1')).not.toBeNull();
    now = NOW + HOUR;
    expect(await get(store, 'sid-1')).toBeNull();
  });

  it('keeps a session without a cookie expiry for a day', async () => {
    await set(store, 'sid-1', sessionData(null));
    now = NOW + 23 * HOUR;
    expect(await get(store, 'sid-1')).not.toBeNull();
    now = NOW + 24 * HOUR;
    expect(await get(store, 'sid-1')).toBeNull();
  });

  const touch = (sid: string, data: ReturnType<typeof sessionData>) =>
    new Promise<void>((resolve) => store.touch(sid, data, resolve));

  it('extends a session on touch', async () => {
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    await touch('sid-1', sessionData(NOW + 3 * HOUR));
    now = NOW + 2 * HOUR;
    expect(await get(store, 'sid-1')).not.toBeNull();
  });

  it('writes touches in the next batch, not one durable write per request', async () => {
    const storedExpiry = async () =>
      (
        await sql<{ expires_at: number }>`SELECT expires_at FROM sessions WHERE sid = ${'sid-1'}`.execute(
          db.q,
        )
      ).rows[0]?.expires_at;
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    await touch('sid-1', sessionData(NOW + 2 * HOUR));
    await touch('sid-1', sessionData(NOW + 3 * HOUR));
    expect(await storedExpiry()).toBe(NOW + HOUR);
    expect(await services.sessionTouches.flush()).toBe(1);
    expect(await storedExpiry()).toBe(NOW + 3 * HOUR);
  });

  it('skips a touch that would move the expiry by less than a minute (rolling sessions touch every request)', async () => {
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    await touch('sid-1', sessionData(NOW + HOUR + 30_000));
    await services.sessionTouches.flush();
    now = NOW + HOUR + 1;
    expect(await get(store, 'sid-1')).toBeNull();
  });

  it('writes the touch once the expiry has drifted by a minute, also for a session it only read', async () => {
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    const other = storeOfAProcess();
    await new Promise((resolve) => other.store.get('sid-1', resolve));
    await new Promise<void>((resolve) =>
      other.store.touch('sid-1', sessionData(NOW + HOUR + 61_000), resolve),
    );
    await other.services.sessionTouches.flush();
    now = NOW + HOUR + 30_000;
    expect(await get(store, 'sid-1')).not.toBeNull();
  });

  it('forgets a destroyed session', async () => {
    await set(store, 'sid-1', sessionData(NOW + HOUR));
    await set(store, 'sid-2', sessionData(NOW + HOUR));
    await destroy(store, 'sid-1');
    expect(await get(store, 'sid-1')).toBeNull();
    expect(await get(store, 'sid-2')).not.toBeNull();
  });

  it('stores the logged-in user id beside the session', async () => {
    const userId = await addUser(db, '199201152019032005', 'dewi@example.go.id');
    await set(store, 'sid-1', sessionData(NOW + HOUR, userId));
    await set(store, 'anonymous', sessionData(NOW + HOUR));
    const { rows } = await sql`SELECT sid, user_id AS "userId" FROM sessions ORDER BY sid`.execute(db.q);
    expect(rows).toEqual([
      { sid: 'anonymous', userId: null },
      { sid: 'sid-1', userId },
    ]);
  });

  it("ends a user's other sessions but keeps the current one and other users' sessions", async () => {
    const dewi = await addUser(db, '199201152019032005', 'dewi@example.go.id');
    const budi = await addUser(db, '198507212010011003', 'budi@example.go.id');
    await set(store, 'dewi-laptop', sessionData(NOW + HOUR, dewi));
    await set(store, 'dewi-phone', sessionData(NOW + HOUR, dewi));
    await set(store, 'dewi-office', sessionData(NOW + HOUR, dewi));
    await set(store, 'budi', sessionData(NOW + HOUR, budi));
    await set(store, 'anonymous', sessionData(NOW + HOUR));

    expect(await sessionRepository(db).destroyForUser(dewi, 'dewi-laptop')).toBe(2);

    expect(await get(store, 'dewi-laptop')).not.toBeNull();
    expect(await get(store, 'dewi-phone')).toBeNull();
    expect(await get(store, 'dewi-office')).toBeNull();
    expect(await get(store, 'budi')).not.toBeNull();
    expect(await get(store, 'anonymous')).not.toBeNull();
  });

  it("ends every session of a user when no session is kept (''), as when an account is disabled", async () => {
    const dewi = await addUser(db, '199201152019032005', 'dewi@example.go.id');
    await set(store, 'dewi-laptop', sessionData(NOW + HOUR, dewi));
    await set(store, 'dewi-phone', sessionData(NOW + HOUR, dewi));
    expect(await sessionRepository(db).destroyForUser(dewi, '')).toBe(2);
    expect(await get(store, 'dewi-laptop')).toBeNull();
    expect(await get(store, 'dewi-phone')).toBeNull();
  });

  it('prunes expired sessions from the table as sessions are written', async () => {
    await set(store, 'old', sessionData(NOW + HOUR));
    now = NOW + 2 * HOUR;
    await set(store, 'new', sessionData(now + HOUR));
    const sids = (await sql<{ sid: string }>`SELECT sid FROM sessions ORDER BY sid`.execute(db.q)).rows.map(
      (row) => row.sid,
    );
    expect(sids).toEqual(['new']);
  });
});
