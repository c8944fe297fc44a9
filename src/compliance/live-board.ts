import type { Response } from 'express';
import type { Pact } from '../pledges/types.js';
import type { ComplianceRepository } from './compliance-repository.js';
import type { PactCompliance } from './summary.js';

/** How often the one watcher per process looks at the compliance counter: a board updates within this. */
const WATCH_MS = 500;
/** A comment line now and then keeps proxies and phones from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting after the stream drops. */
const RETRY_MS = 2000;
const LATEST_NAMED = 8;

/** What the ceremony board shows, as sent in each event. */
export interface BoardState {
  signed: number;
  required: number;
  percent: number | null;
  /** Heads pact: the latest heads who signed, newest first. */
  latest: { unit: string; name: string | null; at: string }[];
  /** Units still waiting (a heads pact: whose head has not signed; an all-ASN pact: not yet complete). */
  waiting: string[];
}

export function boardState(compliance: PactCompliance): BoardState {
  const heads = compliance.pact.audience === 'heads';
  return {
    signed: compliance.signed,
    required: compliance.required,
    percent: compliance.percent,
    latest: heads
      ? compliance.units
          .filter((unit) => unit.headSignedAt !== null)
          .sort((a, b) => (b.headSignedAt as string).localeCompare(a.headSignedAt as string))
          .slice(0, LATEST_NAMED)
          .map((unit) => ({ unit: unit.name, name: unit.headName, at: unit.headSignedAt as string }))
      : [],
    waiting: (heads
      ? compliance.headsOutstanding
      : compliance.units.filter((unit) => unit.state === 'none' || unit.state === 'partial')
    ).map((unit) => unit.name),
  };
}

/**
 * Server-Sent Events for the live ceremony board. One watcher per process reads the compliance counter every half
 * second (one indexed row, whatever the number of screens) and, when it moved, sends each open stream its pact's
 * new state. The counter is bumped by triggers in whichever process committed the signing, so boards follow
 * signings made anywhere on the same database.
 */
export function liveBoard(options: {
  epoch: ComplianceRepository['epoch'];
  state: (pactId: number) => BoardState | null;
}) {
  const streams = new Map<Response, number>();
  let watcher: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let lastEpoch = -1;

  const send = (res: Response, state: BoardState) =>
    res.write(`event: state\ndata: ${JSON.stringify(state)}\n\n`);

  const watch = () => {
    const now = options.epoch();
    if (now === lastEpoch) return;
    lastEpoch = now;
    const states = new Map<number, BoardState | null>();
    for (const [res, pactId] of streams) {
      if (!states.has(pactId)) states.set(pactId, options.state(pactId));
      const state = states.get(pactId);
      if (state) send(res, state);
    }
  };

  const stop = () => {
    if (watcher) clearInterval(watcher);
    if (heartbeat) clearInterval(heartbeat);
    watcher = heartbeat = null;
  };

  return {
    /** Opens a stream for a pact on this response: the current state at once, then every change. */
    open(res: Response, pact: Pick<Pact, 'id'>, state: BoardState): void {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        // nginx and similar proxies would otherwise hold events back in a buffer.
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\n\n`);
      send(res, state);
      streams.set(res, pact.id);
      res.on('close', () => {
        streams.delete(res);
        if (streams.size === 0) stop();
      });
      if (!watcher) {
        lastEpoch = options.epoch();
        watcher = setInterval(watch, WATCH_MS).unref();
      }
      heartbeat ??= setInterval(() => {
        for (const stream of streams.keys()) stream.write(': tetap tersambung\n\n');
      }, HEARTBEAT_MS).unref();
    },
    /** Ends every stream (graceful shutdown: browsers reconnect to another process or after the restart). */
    closeAll(): void {
      for (const res of streams.keys()) res.end();
      streams.clear();
      stop();
    },
    get size(): number {
      return streams.size;
    },
  };
}

export type LiveBoard = ReturnType<typeof liveBoard>;
