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
/** Streams one address may hold open (a hall has one projector, perhaps a spare), and all of them together. */
const STREAMS_PER_ADDRESS = 5;
const STREAMS_IN_ALL = 1000;
/** A reader this far behind has stopped reading: it is dropped rather than buffered for. */
const MAX_UNREAD_BYTES = 64 * 1024;

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
 * second (three indexed rows, whatever the number of screens) and, when it moved, sends each open stream its pact's
 * new state. The counter is bumped by triggers in whichever process committed the signing, so boards follow
 * signings made anywhere on the same database.
 */
export function liveBoard(options: {
  epoch: ComplianceRepository['epoch'];
  state: (pactId: number) => Promise<BoardState | null>;
}) {
  const streams = new Map<Response, { pactId: number; address: string }>();
  let watcher: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let lastEpoch = '';

  const event = (state: BoardState) => `event: state\ndata: ${JSON.stringify(state)}\n\n`;
  const write = (res: Response, text: string) => {
    if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
    else res.write(text);
  };

  let watching = false;
  const watch = async () => {
    const now = await options.epoch();
    if (now === lastEpoch) return;
    lastEpoch = now;
    const events = new Map<number, string | null>();
    for (const [res, { pactId }] of streams) {
      if (!events.has(pactId)) {
        const state = await options.state(pactId);
        events.set(pactId, state && event(state));
      }
      const text = events.get(pactId);
      if (text) write(res, text);
    }
  };
  // One look at a time: a slow database must not pile up looks behind each other.
  const look = () => {
    if (watching) return;
    watching = true;
    watch()
      .catch(() => {
        // The database did not answer: the next look tries again, and boards keep what they show meanwhile.
        lastEpoch = '';
      })
      .finally(() => {
        watching = false;
      });
  };

  const stop = () => {
    if (watcher) clearInterval(watcher);
    if (heartbeat) clearInterval(heartbeat);
    watcher = heartbeat = null;
  };

  return {
    /**
     * Opens a stream for a pact on this response: the current state at once, then every change. False (nothing
     * sent) when this address or the process already holds as many streams as it may.
     */
    open(
      res: Response,
      pact: Pick<Pact, 'id'>,
      state: BoardState,
      address: string,
      /** The compliance epoch `state` was read at. */
      epochAtOpen: string,
    ): boolean {
      const fromAddress = [...streams.values()].filter((stream) => stream.address === address).length;
      if (fromAddress >= STREAMS_PER_ADDRESS || streams.size >= STREAMS_IN_ALL) return false;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        // nginx and similar proxies would otherwise hold events back in a buffer.
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\n\n`);
      res.write(event(state));
      streams.set(res, { pactId: pact.id, address });
      res.on('close', () => {
        streams.delete(res);
        if (streams.size === 0) stop();
      });
      if (!watcher) {
        lastEpoch = epochAtOpen;
        watcher = setInterval(look, WATCH_MS).unref();
      }
      heartbeat ??= setInterval(() => {
        for (const stream of streams.keys()) write(stream, ': tetap tersambung\n\n');
      }, HEARTBEAT_MS).unref();
      return true;
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
