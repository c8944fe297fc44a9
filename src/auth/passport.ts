import type { Request } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { actorOf } from '../audit/actor.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { KeyedQueue } from './keyed-queue.js';
import { logIn } from './log-in.js';

export type Authenticator = InstanceType<typeof Passport>;

/** The logged-in user as the web layer sees it: everything but the password hash. */
export type SessionUser = Omit<User, 'passwordHash'>;

declare global {
  namespace Express {
    interface User extends SessionUser {}
  }
}

export const toSessionUser = ({ passwordHash: _hash, ...user }: User): SessionUser => user;

/**
 * A passport instance of our own (not the global singleton), so that every app built by createApp — one per
 * test — has its own strategy bound to its own database.
 */
export function createPassport(services: {
  audit: AuditRepository;
  clock: Clock;
  db: Db;
  passwordAttempts: KeyedQueue;
  users: UserRepository;
}): Authenticator {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: 'username', passwordField: 'password', passReqToCallback: true },
      (
        req: Request,
        username: string,
        password: string,
        done: (err: unknown, user?: Express.User | false) => void,
      ) => {
        logIn(services, { username, password, actor: actorOf(req) }).then(
          (user) => done(null, user ? toSessionUser(user) : false),
          (err: unknown) => done(err),
        );
      },
    ),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: unknown, done) => {
    const found = typeof id === 'number' ? services.users.findById(id) : Promise.resolve(undefined);
    found.then(
      // A disabled or deleted account loses its session on the next request.
      (user) => done(null, user && user.status === 'active' ? toSessionUser(user) : false),
      (err: unknown) => done(err),
    );
  });
  return passport;
}
