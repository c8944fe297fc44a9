import express from 'express';
import { rateLimit } from 'express-rate-limit';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rateLimitRepository } from '../../src/db/rate-limit-repository.js';
import { databaseRateLimits } from '../../src/web/rate-limit-store.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** An app node: its own limiter and store, counting in the shared database. */
function node(t: TestApp, limit: number, options: { onlyFailures?: boolean } = {}) {
  const counters = rateLimitRepository(t.db);
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    rateLimit({
      windowMs: 60_000,
      limit,
      skipSuccessfulRequests: options.onlyFailures ?? false,
      ...databaseRateLimits(counters)('uji'),
    }),
  );
  app.get('/', (req, res) => res.status(req.query.gagal ? 401 : 200).send('ok'));
  return app;
}

describe('rate limits counted in the database (PostgreSQL deployments)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('limits an address once across app nodes, not once per node', async () => {
    const [a, b] = [node(t, 3), node(t, 3)];
    const from = (app: express.Express, ip: string) => request(app).get('/').set('X-Forwarded-For', ip);
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await from(app, '203.0.113.7')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another address has its own count.
    expect((await from(b, '203.0.113.8')).status).toBe(200);
  });

  it('takes back a request the limiter does not count (only failures count, as for logins)', async () => {
    const [a, b] = [node(t, 2, { onlyFailures: true }), node(t, 2, { onlyFailures: true })];
    for (let i = 0; i < 5; i++) expect((await request(i % 2 ? a : b).get('/')).status).toBe(200);
    expect((await request(a).get('/?gagal=1')).status).toBe(401);
    expect((await request(b).get('/?gagal=1')).status).toBe(401);
    expect((await request(a).get('/?gagal=1')).status).toBe(429);
  });

  it('starts a new window once the last has ended, and forgets ended windows', async () => {
    const counters = rateLimitRepository(t.db);
    expect(await counters.hit('uji:x', 1_000, 500)).toEqual({ hits: 1, resetsAt: 1_500 });
    expect(await counters.hit('uji:x', 1_200, 500)).toEqual({ hits: 2, resetsAt: 1_500 });
    expect(await counters.hit('uji:x', 1_500, 500)).toEqual({ hits: 1, resetsAt: 2_000 });
    expect(await counters.pruneEnded(2_001)).toBe(1);
    expect(await counters.hit('uji:x', 2_001, 500)).toEqual({ hits: 1, resetsAt: 2_501 });
  });
});
