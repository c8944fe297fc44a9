import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

// Synchroniser token kept in the session, sent back in a hidden `_csrf` field (or the x-csrf-token header for
// scripts). A multipart form (a file upload) carries it in its action's query string instead: see below.
export const { csrfSynchronisedProtection: csrfProtection, generateToken } = csrfSync({
  // Logging out someone who is not logged in changes nothing: let a stale "Keluar" button simply work.
  skipCsrfProtection: (req: Request) => req.path === '/keluar' && !req.user,
  getTokenFromRequest: (req: Request) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const fromHeader = req.headers['x-csrf-token'];
    if (typeof fromHeader === 'string') return fromHeader;
    // A multipart body is read by its route (multer), after this check, so its `_csrf` field is not there yet: the
    // upload form puts the token in its action's query string. Only for multipart requests, so that no other form
    // or link can pass a token in a URL (where logs and history keep it).
    if (req.is('multipart/form-data')) {
      const fromQuery = req.query._csrf;
      if (typeof fromQuery === 'string') return fromQuery;
    }
    return undefined;
  },
});
