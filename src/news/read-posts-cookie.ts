import { parseCookie } from 'cookie';
import type { Request, Response } from 'express';

/**
 * "At most one view per session per post": the posts a browser has read are listed in a session cookie (gone
 * when the browser closes). A cookie rather than a server session, so that public readers never cause a
 * session row; tampering with it only changes whether one's own views count.
 */
const COOKIE = 'ikrar_dibaca';
const MAX_REMEMBERED = 100;

function readIds(req: Request): number[] {
  const value = parseCookie(req.headers.cookie ?? '')[COOKIE] ?? '';
  return /^\d{1,12}(\.\d{1,12}){0,99}$/.test(value) ? value.split('.').map(Number) : [];
}

/** Whether this browser has read the post before in this session; if not, remembers that it now has. */
export function firstReadThisSession(req: Request, res: Response, postId: number, secure: boolean): boolean {
  const ids = readIds(req);
  if (ids.includes(postId)) return false;
  res.cookie(COOKIE, [...ids, postId].slice(-MAX_REMEMBERED).join('.'), {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/berita',
  });
  return true;
}
