import type { RequestHandler } from 'express';
import { forbidden, HttpError } from './http-error.js';

/** Sends people who are not logged in to the login page and back here afterwards; APIs answer 401. */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.path.startsWith('/api/') || (req.method !== 'GET' && req.method !== 'HEAD')) {
    return next(new HttpError(401, 'error.401.message'));
  }
  res.redirect(`/masuk?next=${encodeURIComponent(req.originalUrl)}`);
};

/** Lets only the given roles through; anyone else logged in gets the 403 page (never a redirect loop). */
export function requireRole(...roles: Express.User['role'][]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireAuth(req, res, next);
    if (!roles.includes(req.user.role)) return next(forbidden());
    next();
  };
}

const ALLOWED_WHILE_CHANGING = new Set(['/akun', '/akun/kata-sandi', '/keluar', '/privasi', '/bahasa']);

/**
 * Someone who must choose a new password can do only that (or log out, read the privacy notice, switch the language
 * they read it in) until they have.
 */
export const requirePasswordChange: RequestHandler = (req, res, next) => {
  if (!req.user?.mustChangePassword || ALLOWED_WHILE_CHANGING.has(req.path)) return next();
  if (req.method === 'GET' || req.method === 'HEAD') return res.redirect('/akun');
  next(new HttpError(403, 'account.must_change.message'));
};
