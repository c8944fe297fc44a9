import { Router } from 'express';
import type { InstanceSettings } from './instance.js';

/** A year: the address changes with the logo (its hash), so the file at one address never does. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET /logo/<hash>.<svg|png>: the instance's logo, from the settings every request has already read (no statement),
 * before sessions (no cookie). Any other address falls through to the 404 page. An SVG opened on its own is a
 * document of this origin: besides sanitising it at upload, it is sent with a policy that lets it run nothing and
 * load nothing (inline styles only), and never sniffed as anything else.
 */
export function logoRoutes(services: { instanceSettings: () => Promise<InstanceSettings> }): Router {
  const router = Router();
  router.get('/logo/:file', async (req, res, next) => {
    const { logo } = await services.instanceSettings();
    if (!logo || req.path !== logo.url) return next();
    res
      .set({
        'Content-Type': logo.mime,
        'Cache-Control': IMMUTABLE,
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
      })
      .send(logo.bytes);
  });
  return router;
}
