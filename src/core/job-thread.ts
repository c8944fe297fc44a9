import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * A worker thread that answers jobs one message each, started on first use. Its code is plain JavaScript run with
 * `eval` (no build step under the test runner): it receives `{ id, input }` and posts `{ id, result }`. A job not
 * answered within the timeout ends the thread (the only way to stop work that runs away), and every job waiting
 * on it fails; the next job starts a new thread. With `idleMs`, a thread without work that long is ended too, so
 * that what it loaded (dictionaries, a parser) is not kept by a process that rarely needs it.
 */
export interface JobThreadOptions {
  source: string;
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  timeoutMs: number;
  idleMs?: number;
}

export interface JobThread<I, O> {
  /** The thread's answer to `input`; rejects when the thread ends first (a timeout, a crash). */
  run(input: I, timeoutMs?: number): Promise<O>;
  /** Starts the thread ahead of a job, so that the job does not wait for it to load. */
  warm(): void;
  /** Whether the thread is up. */
  running(): boolean;
}

interface Job<O> {
  resolve: (result: O) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export function jobThread<I, O>(options: JobThreadOptions): JobThread<I, O> {
  let worker: Worker | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  const jobs = new Map<number, Job<O>>();

  const clearIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
  };

  /** Ends the thread; the jobs still waiting on it fail with `reason`. */
  const stop = (reason: Error) => {
    const stopping = worker;
    worker = null;
    clearIdle();
    for (const [id, job] of jobs) {
      clearTimeout(job.timer);
      jobs.delete(id);
      job.reject(reason);
    }
    void stopping?.terminate();
  };

  const endWhenIdle = () => {
    if (options.idleMs === undefined) return;
    clearIdle();
    idleTimer = setTimeout(() => stop(new Error('idle')), options.idleMs).unref();
  };

  const start = (): Worker => {
    const started = new Worker(options.source, {
      eval: true,
      workerData: options.workerData,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    started.on('message', ({ id, result }: { id: number; result: O }) => {
      const job = jobs.get(id);
      if (!job) return;
      clearTimeout(job.timer);
      jobs.delete(id);
      job.resolve(result);
      if (jobs.size === 0) endWhenIdle();
    });
    started.on('error', (error) => {
      if (worker === started) stop(error);
    });
    // After the listeners: adding a 'message' listener refs the worker's port again. Never keeps a process (a CLI,
    // a benchmark, a test run) alive; a job waiting for its answer is held by its timer.
    started.unref();
    return started;
  };

  return {
    run: (input, timeoutMs = options.timeoutMs) => {
      worker ??= start();
      clearIdle();
      const id = nextId++;
      return new Promise<O>((resolve, reject) => {
        const timer = setTimeout(() => stop(new Error('the job timed out')), timeoutMs);
        jobs.set(id, { resolve, reject, timer });
        worker?.postMessage({ id, input });
      });
    },
    warm: () => {
      worker ??= start();
      // A thread warmed for a job that never comes must not stay.
      if (jobs.size === 0) endWhenIdle();
    },
    running: () => worker !== null,
  };
}
