import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { RequestHandler } from 'express';
import { projectPath } from '../core/paths.js';

/** Where the build writes the one stylesheet every page loads (see buildStylesheet). */
export const STYLESHEET_PATH = projectPath('dist', 'assets', 'ikrar.css');

/** A year: the longest lifetime caches honour. A changed file gets a new address, so nothing is ever stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface Assets {
  /** The address of a file pages load, by its name ('css/ikrar.css', 'js/sign.js'); throws for an unknown name. */
  url(name: string): string;
  /** Answers the addresses url() gives, cacheable for a year; anything else goes on to the next handler (404). */
  serve: RequestHandler;
}

interface Asset {
  body: Buffer;
  type: string;
}

/**
 * Every file the pages load, read once at start, each at an address that carries a hash of its content
 * (/static/js/sign.3f9a1c2b7d04.js): browsers and proxies may keep it for a year, and a new release is fetched at
 * once because its addresses differ. The stylesheet is the one the build writes (see buildStylesheet).
 */
export function loadAssets(): Assets {
  const sources: Record<string, string> = {
    'css/ikrar.css': STYLESHEET_PATH,
    'js/signature_pad.min.js': projectPath(
      'node_modules',
      'signature_pad',
      'dist',
      'signature_pad.umd.min.js',
    ),
    // The password strength meter's estimator and dictionaries (public/js/password-meter.js).
    'js/zxcvbn-core.js': projectPath('node_modules', '@zxcvbn-ts', 'core', 'dist', 'zxcvbn-ts.js'),
    'js/zxcvbn-common.js': projectPath(
      'node_modules',
      '@zxcvbn-ts',
      'language-common',
      'dist',
      'zxcvbn-ts.js',
    ),
    'js/zxcvbn-id.js': projectPath('node_modules', '@zxcvbn-ts', 'language-id', 'dist', 'zxcvbn-ts.js'),
  };
  for (const folder of ['js', 'img']) {
    for (const file of readdirSync(projectPath('public', folder))) {
      sources[`${folder}/${file}`] = projectPath('public', folder, file);
    }
  }
  const urls = new Map<string, string>();
  const files = new Map<string, Asset>();
  for (const [name, path] of Object.entries(sources)) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first`);
    const body = readFileSync(path);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const ext = extname(name);
    const url = `/static/${name.slice(0, -ext.length)}.${hash}${ext}`;
    urls.set(name, url);
    files.set(url, { body, type: ext });
  }
  return {
    url(name) {
      const url = urls.get(name);
      if (!url) throw new Error(`unknown asset ${name}`);
      return url;
    },
    serve(req, res, next) {
      const file = (req.method === 'GET' || req.method === 'HEAD') && files.get(req.path);
      if (!file) return next();
      res.set('Cache-Control', IMMUTABLE).type(file.type).send(file.body);
    },
  };
}
