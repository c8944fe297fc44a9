import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { BUSY_TIMEOUT_MS } from '../../db/database.js';
import type { SigningRequest, SignPactResult } from './signing-request.js';

/**
 * Cluster mode sends every signing to the primary, which writes them all through one group commit. Were each
 * worker to commit its own, the workers would take turns at SQLite's write lock, and a worker that finds it taken
 * sleeps inside the busy handler (1, 2, 5, 10… ms) with its whole event loop: measured, two workers signed fewer
 * per second than one. One writer does not compete with itself, and gathers more signings into each commit. It
 * still waits behind the workers' own writes (logins, admin work, a roster import's confirm), and while it waits
 * its event loop, the rate-limit counters' included, waits too.
 */

const SIGN = 'ikrar:sign';
const SIGNED = 'ikrar:signed';
/** Longer than a commit could wait behind another process's write (BUSY_TIMEOUT_MS). */
const REPLY_TIMEOUT_MS = BUSY_TIMEOUT_MS + 10_000;

/** A SigningRequest as it crosses the IPC channel (JSON): the drawing in base64. */
type WireRequest = Omit<SigningRequest, 'png'> & { png: string | null };

interface SignMessage {
  type: typeof SIGN;
  id: number;
  request: WireRequest;
}

interface SignedMessage {
  type: typeof SIGNED;
  id: number;
  result?: SignPactResult;
  error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

// ---------------------------------------------------------------------------------------------------------------
// In a worker

const pending = new Map<
  number,
  { resolve: (result: SignPactResult) => void; reject: (err: Error) => void }
>();
let nextId = 1;
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.on('message', (message: unknown) => {
    if (!isMessage<SignedMessage>(message, SIGNED)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.result) waiting.resolve(message.result);
    else waiting.reject(new Error(`the primary could not record the signing: ${message.error}`));
  });
  // Without the primary nothing can be recorded: fail what is waiting (the worker is about to stop anyway).
  process.once('disconnect', () => {
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(new Error('the primary is gone'));
    }
  });
}

/** Records a signing through the primary; resolves once the primary's commit holding it is durable. */
export function signInPrimary(request: SigningRequest): Promise<SignPactResult> {
  listen();
  return new Promise((resolve, reject) => {
    if (!process.send || !process.connected) return reject(new Error('the primary is gone'));
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('the primary did not answer a signing in time'));
    }, REPLY_TIMEOUT_MS);
    pending.set(id, {
      resolve: (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      reject: (err) => {
        clearTimeout(timer);
        reject(err);
      },
    });
    const message: SignMessage = {
      type: SIGN,
      id,
      request: { ...request, png: request.png?.toString('base64') ?? null },
    };
    process.send(message);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// In the primary

/** Answers the workers' signings, writing each with `commit` (this process's group commit, see commitSigning). */
export function serveSignings(
  commit: (request: SigningRequest) => Promise<SignPactResult>,
  logger: Logger,
): void {
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage<SignMessage>(message, SIGN)) return;
    const request: SigningRequest = {
      ...message.request,
      png: message.request.png === null ? null : Buffer.from(message.request.png, 'base64'),
    };
    const reply = (answer: Omit<SignedMessage, 'type' | 'id'>) => {
      // A worker that stopped meanwhile has no one left to tell. It may still look connected while its channel is
      // already closed: the callback takes the send error (EPIPE), which would otherwise crash the primary.
      if (!worker.isConnected()) return;
      worker.send(
        { type: SIGNED, id: message.id, ...answer } satisfies SignedMessage,
        (err: Error | null) => {
          if (err)
            logger.warn({ err, pactId: request.pactId }, 'a signing’s answer could not reach its worker');
        },
      );
    };
    commit(request).then(
      (result) => reply({ result }),
      (err: unknown) => {
        logger.error({ err, pactId: request.pactId, userId: request.userId }, 'signing not recorded');
        reply({ error: err instanceof Error ? err.message : String(err) });
      },
    );
  });
}
