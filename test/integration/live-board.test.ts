import type { IncomingMessage, Server } from 'node:http';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePact, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Reads Server-Sent Events from a response: resolves with the next `state` event's data. */
function eventReader(res: IncomingMessage) {
  let buffer = '';
  const waiting: ((data: unknown) => void)[] = [];
  const queued: unknown[] = [];
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('event: state\n')) {
        const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
        const next = waiting.shift();
        if (next) next(data);
        else queued.push(data);
      }
      end = buffer.indexOf('\n\n');
    }
  });
  return () =>
    new Promise<unknown>((resolve, reject) => {
      if (queued.length > 0) return resolve(queued.shift());
      const timer = setTimeout(() => reject(new Error('no event within 3 s')), 3000);
      waiting.push((data) => {
        clearTimeout(timer);
        resolve(data);
      });
    });
}

describe('the live ceremony board', () => {
  let t: TestApp;
  let server: Server;
  beforeEach(async () => {
    t = await createTestApp();
    server = await new Promise<Server>((resolve) => {
      const listening = t.app.listen(0, '127.0.0.1', () => resolve(listening));
    });
  });
  afterEach(async () => {
    t.services.liveBoard.closeAll();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const open = (path: string, headers: Record<string, string> = {}) =>
    new Promise<IncomingMessage>((resolve) => {
      get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, headers }, resolve);
    });

  async function headsPact() {
    const pati = await t.make.unit({ name: 'Kabupaten Pati', kind: 'kabupaten' });
    const pemalang = await t.make.unit({ name: 'Kabupaten Pemalang', kind: 'kabupaten' });
    const heads = [];
    for (const unit of [pati, pemalang]) {
      const head = await t.make.user({ unitId: unit.id, fullName: `Kepala ${unit.name}` });
      await t.services.units.setHead(unit.id, head.id, t.clock.now());
      heads.push(head);
    }
    return { pact: await makePact(t.services, { audience: 'heads' }), heads };
  }

  it('streams the state at once and again within a second of a signing', async () => {
    const { pact, heads } = await headsPact();
    const res = await open(`/kepatuhan/${pact.id}/events`);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['x-accel-buffering']).toBe('no');
    const next = eventReader(res);
    expect(await next()).toMatchObject({
      signed: 0,
      required: 2,
      waiting: ['Kabupaten Pati', 'Kabupaten Pemalang'],
    });

    const started = Date.now();
    await signAs(t.services, pact, heads[0] as (typeof heads)[number]);
    const after = (await next()) as { signed: number; waiting: string[]; latest: { unit: string }[] };
    expect(Date.now() - started).toBeLessThan(1500);
    expect(after.signed).toBe(1);
    expect(after.waiting).toEqual(['Kabupaten Pemalang']);
    expect(after.latest.map((item) => item.unit)).toEqual(['Kabupaten Pati']);
  });

  it('streams uncompressed to a browser that accepts compression, so no event waits in a compressor', async () => {
    const { pact, heads } = await headsPact();
    const res = await open(`/kepatuhan/${pact.id}/events`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    const next = eventReader(res);
    expect(await next()).toMatchObject({ signed: 0 });
    await signAs(t.services, pact, heads[0] as (typeof heads)[number]);
    expect(await next()).toMatchObject({ signed: 1 });
  });

  it('ends its streams when asked to (shutdown), and forgets closed ones', async () => {
    const { pact } = await headsPact();
    const res = await open(`/kepatuhan/${pact.id}/events`);
    await eventReader(res)();
    expect(t.services.liveBoard.size).toBe(1);
    const ended = new Promise((resolve) => res.on('end', resolve));
    t.services.liveBoard.closeAll();
    await ended;
    expect(t.services.liveBoard.size).toBe(0);
  });

  it('lets one address hold five streams, and refuses a sixth with 429', async () => {
    const { pact } = await headsPact();
    const held = [];
    for (let i = 0; i < 5; i++) {
      const res = await open(`/kepatuhan/${pact.id}/events`);
      expect(res.statusCode).toBe(200);
      held.push(res);
    }
    const sixth = await open(`/kepatuhan/${pact.id}/events`);
    expect(sixth.statusCode).toBe(429);
    sixth.resume();
    expect(t.services.liveBoard.size).toBe(5);
  });

  it('shows the board page with the numbers, and 404s for drafts and unknown pacts', async () => {
    const { pact } = await headsPact();
    const page = await request(t.app).get(`/kepatuhan/${pact.id}/layar`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Masih ditunggu');
    expect(page.text).toContain('Kabupaten Pemalang');
    const draft = await makePact(t.services, { audience: 'heads', status: 'draft' });
    for (const path of [
      `/kepatuhan/${draft.id}/layar`,
      `/kepatuhan/${draft.id}/events`,
      '/kepatuhan/999/events',
    ]) {
      expect((await request(t.app).get(path)).status).toBe(404);
    }
  });
});
