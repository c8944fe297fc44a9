/** What every scenario is given and what it gives back. */
import type { Db } from '../../../src/db/database.js';
import type { DataInfo } from '../kit/bench-data.js';
import {
  type BenchDatabase,
  type LoadResult,
  type MemoryPeaks,
  measureLoad,
  READER_HEADERS,
  type RunningApp,
} from '../kit/bench-kit.js';
import type { ScaleName, ScenarioName } from '../kit/bench-options.js';

export interface ScenarioContext {
  scale: ScaleName;
  info: DataInfo;
  /** The app (its first node, when there are several): one-shot scenarios and setup go to it. */
  app: RunningApp;
  /** Every node of the app (just `app`, but for PostgreSQL with --nodes): load runs spread over them. */
  nodes: readonly RunningApp[];
  /** The app's database: this run's temp copy (SQLite) or database (PostgreSQL). */
  database: BenchDatabase;
  /** The bench's own connection to it, for setting up what a scenario needs. */
  db: Db;
  /** The session secret the app was started with: sessions written into the store carry cookies signed with it. */
  sessionSecret: string;
  /** The scale's temp folder (floor pages, the roster file). */
  dir: string;
  connections: number;
  duration: number;
  /** The demo admin's session cookie, logged in over HTTP. */
  adminCookie: string;
  log: (line: string) => void;
}

export interface Floor {
  /** What the floor is: 'bare Express, same bytes', 'the same rows written directly on sqlite (no HTTP)', 'argon2 verify'. */
  what: string;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  detail?: Record<string, unknown>;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  scale: ScaleName;
  /** load: autocannon for the run's duration; once: one operation, timed from the first byte sent to the last read. */
  kind: 'load' | 'once';
  /** load: successes per second; once: rows per second. */
  perSecond: number | null;
  /** ms; once: the operation's duration. */
  p50: number | null;
  p99: number | null;
  errors: number;
  memory: MemoryPeaks | null;
  floor: Floor | null;
  /** perSecond ÷ the floor's. */
  ratio: number | null;
  detail: Record<string, unknown>;
}

/** A load run's row, with its floor if it has one. */
export function loadResult(
  scenario: ScenarioName,
  scale: ScaleName,
  run: LoadResult,
  floor: Floor | null,
  detail: Record<string, unknown> = {},
): ScenarioResult {
  const { perSecond, p50, p99, errors, memory, ...rest } = run;
  return {
    scenario,
    scale,
    kind: 'load',
    perSecond,
    p50,
    p99,
    errors,
    memory,
    floor,
    ratio: floor && floor.perSecond > 0 ? perSecond / floor.perSecond : null,
    detail: { ...detail, ...rest },
  };
}

/** Where a load run sends its requests and what it measures: every node of the app. */
export const loadTargets = (ctx: ScenarioContext) => ({
  base: ctx.nodes.map((node) => node.base),
  serverPid: ctx.nodes.map((node) => node.child.pid as number),
});

/** An address of its own (198.18.0.0/15, the benchmarking range) for each call: many readers behind the proxy. */
let nextAddress = 0;
export const readerAddress = (): string => {
  const n = nextAddress++ % 65_536;
  return `198.18.${n >> 8}.${n & 255}`;
};

/** One form POST of a load run: the session cookie it carries, any more headers, and the form's fields. */
export interface FormPost {
  cookie: string;
  headers?: Record<string, string>;
  fields: Record<string, string>;
}

/**
 * A load run of form POSTs to `path` as browsers behind the TLS proxy send them, the i-th made by `post(i)` when it
 * is sent (one-use sessions: at most `pool` of them).
 */
export function measureFormPosts(
  ctx: ScenarioContext,
  options: { path: string; pool: number; expect: number; post: (i: number) => FormPost },
): Promise<LoadResult> {
  let next = 0;
  return measureLoad({
    ...loadTargets(ctx),
    connections: ctx.connections,
    duration: ctx.duration,
    pool: options.pool,
    expect: options.expect,
    request: () => {
      const { cookie, headers, fields } = options.post(next++);
      return {
        method: 'POST',
        path: options.path,
        headers: {
          ...READER_HEADERS,
          ...headers,
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(fields).toString(),
      };
    },
  });
}
