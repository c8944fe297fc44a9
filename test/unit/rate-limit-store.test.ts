import express from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { rateLimitStore } from '../../src/web/rate-limit-store.js';

/** A store that never answers in time, as the primary's counter does after a worker was busy for over a second. */
const lateStore: Store = {
  increment: () => Promise.reject(new Error('ClusterMemoryStoreWorker: timed out')),
  decrement: () => Promise.resolve(),
  resetKey: () => Promise.resolve(),
};

describe('a rate limit whose count cannot be had', () => {
  it('lets the request through and logs the error, rather than answering 500', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = express();
    app.use(rateLimit({ windowMs: 60_000, limit: 1, ...rateLimitStore('uji', lateStore) }));
    app.get('/', (_req, res) => res.send('ok'));
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
