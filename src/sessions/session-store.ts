import session from 'express-session';
import type { WriteBehind } from '../db/write-behind.js';
import type { SessionRepository } from './session-repository.js';

export const SESSION_COOKIE = 'ikrar.sid';

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
// With rolling sessions every request would rewrite the expiry: moving it only once it has drifted by a minute is
// plenty for an idle timeout counted in hours. Even then it is not written at once but in the server's next batch
// (sessionTouches, every 10 s): a durable write of its own would cost more than the request (an fsync, and in
// cluster mode a turn at the write lock). A crash loses at most those seconds of extension.
const TOUCH_AFTER_DRIFT_MS = 60 * 1000;
const MAX_REMEMBERED = 50_000;

/**
 * express-session store on our own database (SQLite or PostgreSQL). We keep a small class rather than a package
 * because the maintained SQLite stores use the async `sqlite3` driver or a separate file, and we need the user id beside each
 * session so that disabling an account or changing a password can end that user's other sessions at once.
 */
export class DatabaseSessionStore extends session.Store {
  private lastPrune = 0;
  /** The expiry last read or written per session, to know when a touch would change nothing that matters. */
  private readonly storedExpiry = new Map<string, number>();

  constructor(
    private readonly sessions: SessionRepository,
    /** New expiry times waiting to be written. */
    private readonly touches: Pick<WriteBehind<string, number>, 'put' | 'pendingFor'>,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  // express-session's callbacks, each answered from one async method.
  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.read(sid).then((data) => callback(null, data), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.write(sid, data).then(() => callback?.(), callback);
  }

  private async read(sid: string): Promise<session.SessionData | null> {
    const now = this.now();
    // A touch not yet written keeps the session alive even if the stored expiry has just passed.
    const touched = this.touches.pendingFor(sid);
    const row = await this.sessions.get(sid, touched !== undefined && touched > now ? 0 : now);
    if (!row) return null;
    this.remember(sid, Math.max(row.expiresAt, touched ?? 0));
    return JSON.parse(row.sess) as session.SessionData;
  }

  private async write(sid: string, data: session.SessionData): Promise<void> {
    const userId = (data as { passport?: { user?: unknown } }).passport?.user;
    const expiresAt = this.expiry(data);
    await this.sessions.save(
      sid,
      JSON.stringify(data),
      expiresAt,
      typeof userId === 'number' ? userId : null,
    );
    this.remember(sid, expiresAt);
    await this.pruneNowAndThen();
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    const expiresAt = this.expiry(data);
    if (expiresAt - (this.storedExpiry.get(sid) ?? 0) >= TOUCH_AFTER_DRIFT_MS) {
      this.touches.put(sid, expiresAt);
      this.remember(sid, expiresAt);
    }
    callback?.();
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.storedExpiry.delete(sid);
    this.sessions.destroy(sid).then(() => callback?.(), callback);
  }

  /** Forgets everything if too many sessions pile up: the worst that costs is one extra write per session. */
  private remember(sid: string, expiresAt: number): void {
    if (this.storedExpiry.size >= MAX_REMEMBERED) this.storedExpiry.clear();
    this.storedExpiry.set(sid, expiresAt);
  }

  private expiry(data: session.SessionData): number {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires).getTime() : this.now() + DEFAULT_TTL_MS;
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.sessions.destroyExpired(now);
  }
}
