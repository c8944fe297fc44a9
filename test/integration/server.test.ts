import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';

const get = (port: number, path: string, agent?: unknown) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: agent as undefined }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('starting and stopping the server as npm start does', () => {
  let dir: string;
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.shutdown('test');
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-server-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'db.sqlite'),
      ...env,
    });
    const printed: string[] = [];
    running = await startServer(config, createLogger('silent'), (line: string) => printed.push(line));
    return printed.join('\n');
  };

  it('migrates, seeds the demo, prints the address and the demo accounts, and answers /healthz', async () => {
    const banner = await start({ IKRAR_DEMO: '1' });
    const port = running?.port as number;
    expect(banner).toContain(`Ikrar berjalan di http://localhost:${port}`);
    for (const login of ['admin@ikrar.test', 'operator@ikrar.test', 'kepala@ikrar.test', 'asn@ikrar.test']) {
      expect(banner).toContain(login);
    }
    expect(banner).toContain('"ikrar-demo"');
    expect(banner).not.toContain('create-admin');
    const health = await get(port, '/healthz');
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('prints no demo accounts when demo seeding is off, and says how to create the first admin', async () => {
    const banner = await start({ IKRAR_DEMO: '0' });
    expect(banner).not.toContain('admin@ikrar.test');
    expect(banner).toContain('npm run create-admin');
  });

  it('stops promptly even with an idle keep-alive connection open, then refuses new connections', async () => {
    await start({ IKRAR_DEMO: '0' });
    const port = running?.port as number;
    const { Agent } = await import('node:http');
    const keepAlive = new Agent({ keepAlive: true });
    expect((await get(port, '/healthz', keepAlive)).status).toBe(200);
    const began = Date.now();
    await running?.shutdown('test');
    expect(Date.now() - began).toBeLessThan(5_000);
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    keepAlive.destroy();
  });
});
