// The language a request is answered in: Indonesian (the instance's default) or English. What decides, first to last:
// the `lang` cookie the switch in the header sets; the language a signed-in person chose (users.language); the
// browser's Accept-Language; Indonesian. Every response says which it is (Content-Language) and what chose it (Vary),
// so that no cache, the app's own or a proxy's, hands one reader's language to another.
import { parseCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './i18n.js';

/** The cookie the switch sets: the browser's choice, readable by nobody but this site. */
export const LANGUAGE_COOKIE = 'lang';
const COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

/** Each language by its own name, as the switch offers it (never translated: a reader looks for their own). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { id: 'Bahasa Indonesia', en: 'English' };

/** The request headers that choose the language: what a cached answer must `Vary` on. */
export const LANGUAGE_VARY = ['Cookie', 'Accept-Language'] as const;

/**
 * The language the `lang` cookie names, or null when there is none (or it names no language of ours): what the reader
 * chose on this browser, which signing in also stores for someone who has not chosen (src/auth/start-session.ts).
 */
export function cookieLanguage(req: Request): Language | null {
  const header = req.headers.cookie;
  if (!header?.includes(`${LANGUAGE_COOKIE}=`)) return null;
  const value = parseCookie(header)[LANGUAGE_COOKIE];
  return isLanguage(value) ? value : null;
}

/** What programs read besides the JSON API: the news feed, the sitemap, robots.txt. */
const FILES_FOR_PROGRAMS = new Set(['/feed.xml', '/sitemap.xml', '/robots.txt']);

/**
 * The JSON API and the files programs read (a feed reader, a crawler) answer in Indonesian whoever asks: their bodies
 * are one cached set of bytes per resource, public for minutes at any proxy, a program reading them sends no cookie
 * and wants the same labels every time, and a feed's entries are the admins' Indonesian posts. Nor do they `Vary` on
 * what chooses a language. The API's documentation page is a page.
 */
const speaksInstanceLanguage = (path: string): boolean =>
  (path.startsWith('/api/') && path !== '/api/v1/docs') || FILES_FOR_PROGRAMS.has(path);

/**
 * The language of a request: its cookie, else the stored choice of the person signed in (null: none, or nobody),
 * else the first of ours that Accept-Language prefers, else Indonesian; always Indonesian for the JSON API.
 */
export function languageOf(req: Request, stored: Language | null = null): Language {
  if (speaksInstanceLanguage(req.path)) return DEFAULT_LANGUAGE;
  const accepted = req.acceptsLanguages(...LANGUAGES);
  return cookieLanguage(req) ?? stored ?? (isLanguage(accepted) ? accepted : DEFAULT_LANGUAGE);
}

/** Sets the language the rest of the request is answered in (views read `res.locals.language`). */
export function answerIn(res: Response, language: Language): void {
  res.locals.language = language;
  res.set('Content-Language', language);
}

/**
 * The language from the cookie and Accept-Language, for everything after it (the page cache, the view locals, the
 * error page); `userLocals` may then give a signed-in person's stored choice precedence over Accept-Language.
 */
export const chooseLanguage: RequestHandler = (req, res, next) => {
  if (!speaksInstanceLanguage(req.path)) res.vary(LANGUAGE_VARY.join(', '));
  answerIn(res, languageOf(req));
  next();
};

/**
 * Remembers the browser's choice for a year. Lax, so that it goes with a link from elsewhere too; not HttpOnly, as
 * there is nothing secret in it.
 */
export function setLanguageCookie(res: Response, language: Language, secure: boolean): void {
  res.cookie(LANGUAGE_COOKIE, language, { maxAge: COOKIE_MAX_AGE_MS, path: '/', sameSite: 'lax', secure });
}
