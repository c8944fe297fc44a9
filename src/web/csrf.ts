import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

// Synchroniser token kept in the session, sent back in a hidden `_csrf` field (or the x-csrf-token header for
// scripts). Multipart forms are parsed by their route before this check runs on them.
export const { csrfSynchronisedProtection: csrfProtection, generateToken } = csrfSync({
  // Logging out someone who is not logged in changes nothing: let a stale "Keluar" button simply work.
  skipCsrfProtection: (req: Request) => req.path === '/keluar' && !req.user,
  getTokenFromRequest: (req: Request) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const fromHeader = req.headers['x-csrf-token'];
    return typeof fromHeader === 'string' ? fromHeader : undefined;
  },
});
