import type { RequestHandler, Response } from 'express';

/**
 * Redirects only once a changed session is stored. express-session writes a response's headers before its store
 * has saved the session, holding back only the last byte of the body, and a browser follows a redirect on the
 * headers. With a store that answers at once that never mattered; with PostgreSQL, and with several app nodes, the
 * next request could read the session as it was before (logged out just after logging in, a flash message lost,
 * the time of the last password check missing). A session that did not change is not written (an anonymous
 * visitor's redirect must not create one). Mount right after the session middleware.
 */
export function saveSessionBeforeRedirect(): RequestHandler {
  return (req, res, next) => {
    const before = JSON.stringify(req.session ?? null);
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      const session = req.session;
      if (!session || JSON.stringify(session) === before) return redirect(...args);
      session.save((err?: unknown) => (err ? next(err) : redirect(...args)));
    }) as Response['redirect'];
    next();
  };
}
