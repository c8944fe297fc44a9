import session from 'express-session';
import type { SessionRepository } from './session-repository.js';

export const SESSION_COOKIE = 'ikrar.sid';

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * express-session store on our own SQLite database. We keep a small class rather than a package because the
 * maintained SQLite stores use the async `sqlite3` driver or a separate file, and we need the user id beside each
 * session so that disabling an account or changing a password can end that user's other sessions at once.
 */
export class SqliteSessionStore extends session.Store {
  private lastPrune = 0;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    try {
      const raw = this.sessions.get(sid, this.now());
      callback(null, raw ? (JSON.parse(raw) as session.SessionData) : null);
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    try {
      const userId = (data as { passport?: { user?: unknown } }).passport?.user;
      this.sessions.save(
        sid,
        JSON.stringify(data),
        this.expiry(data),
        typeof userId === 'number' ? userId : null,
      );
      this.pruneNowAndThen();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    this.sessions.touch(sid, this.expiry(data));
    callback?.();
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    try {
      this.sessions.destroy(sid);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  private expiry(data: session.SessionData): number {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires).getTime() : this.now() + DEFAULT_TTL_MS;
  }

  private pruneNowAndThen(): void {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.sessions.destroyExpired(now);
  }
}
