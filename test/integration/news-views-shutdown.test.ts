import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { DEFAULT_TIME_ZONE, timeZone } from '../../src/core/time-zone.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { createServices } from '../../src/services.js';
import { makePost } from '../helpers/posts.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const VIEW_FLUSH_MS = 10_000;

/** A GET over real HTTP as a desktop browser (a fresh connection, no cookies). */
const get = (port: number, path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, headers: { 'User-Agent': CHROME, Connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });

describe('post views when the server stops', () => {
  let dir: string;
  let databasePath: string;
  let running: RunningServer | undefined;

  afterEach(async () => {
    vi.useRealTimers();
    await running?.shutdown('test');
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A database file holding one published post, written before the server opens it. */
  const databaseWithPost = async (): Promise<{ id: number; slug: string }> => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-views-'));
    databasePath = join(dir, 'ikrar.sqlite');
    const db = openDatabase(databasePath);
    try {
      await migrate(db);
      const post = await makePost(createServices(db, systemClock, timeZone(DEFAULT_TIME_ZONE)), {
        title: 'Ikrar Netralitas ASN 2024',
        slug: 'ikrar-netralitas',
      });
      return { id: post.id, slug: post.slug };
    } finally {
      await db.close();
    }
  };

  const start = async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      IKRAR_DEMO: '0',
      LOG_LEVEL: 'silent',
    });
    running = await startServer(config, createLogger('silent'), () => {});
    return running;
  };

  /** view_count as stored, read through a connection of its own. */
  const storedViews = async (id: number): Promise<number> => {
    const db = openDatabase(databasePath);
    try {
      const { rows } = await sql<{
        view_count: number;
      }>`SELECT view_count FROM posts WHERE id = ${id}`.execute(db.q);
      return rows[0]?.view_count as number;
    } finally {
      await db.close();
    }
  };

  it('writes the views counted since the last timer tick when it shuts down', async () => {
    const post = await databaseWithPost();
    const server = await start();

    const page = await get(server.port, `/berita/${post.slug}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Dilihat 1 kali');
    // Not written yet: the 10-second timer has not fired.
    expect(await storedViews(post.id)).toBe(0);

    await server.shutdown('test');
    running = undefined;
    expect(await storedViews(post.id)).toBe(1);
  });

  it('writes views on its timer while running, and does not write them again on shutdown', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const post = await databaseWithPost();
    const server = await start();

    await get(server.port, `/berita/${post.slug}`);
    await get(server.port, `/berita/${post.slug}`);
    expect(await storedViews(post.id)).toBe(0);

    // The timer starts the write; it finishes a few promise turns later.
    await vi.advanceTimersByTimeAsync(VIEW_FLUSH_MS);
    await vi.waitFor(async () => expect(await storedViews(post.id)).toBe(2));

    const third = await get(server.port, `/berita/${post.slug}`);
    expect(third.body).toContain('Dilihat 3 kali');

    await server.shutdown('test');
    running = undefined;
    expect(await storedViews(post.id)).toBe(3);
  });
});
