import { describe, expect, it } from 'vitest';
import {
  parseBenchOptions,
  SCENARIO_NAMES,
  soakWarmUpMinutes,
  UsageError,
} from '../bench/kit/bench-options.js';

/** The refusal a command line gets: its message, and the exit code the bench ends with. */
function refusal(argv: string[]): { message: string; exitCode: number } {
  try {
    parseBenchOptions(argv);
  } catch (err) {
    if (err instanceof UsageError) return { message: err.message, exitCode: err.exitCode };
    throw err;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('npm run bench options', () => {
  it('runs everything at both scales for 10 s by default, and province alone for 2 s with --quick', () => {
    expect(parseBenchOptions([])).toEqual({
      help: false,
      quick: false,
      only: SCENARIO_NAMES,
      scales: ['province', 'national'],
      engines: ['sqlite'],
      nodes: [1],
      duration: 10,
      connections: 32,
      workers: 'auto',
      out: null,
      soak: null,
    });
    expect(parseBenchOptions(['--quick'])).toMatchObject({ quick: true, scales: ['province'], duration: 2 });
  });

  it('reads every option', () => {
    expect(
      parseBenchOptions([
        '--only',
        'sign,login',
        '--scales=national',
        '--duration',
        '2.5',
        '--connections',
        '8',
        '--workers',
        '3',
        '--out',
        'run.json',
      ]),
    ).toMatchObject({
      only: ['sign', 'login'],
      scales: ['national'],
      duration: 2.5,
      connections: 8,
      workers: 3,
      out: 'run.json',
    });
    expect(parseBenchOptions(['--help']).help).toBe(true);
  });

  it('runs PostgreSQL beside SQLite with --db postgres, alone with postgres-only', () => {
    expect(parseBenchOptions(['--db', 'postgres']).engines).toEqual(['sqlite', 'postgres']);
    expect(parseBenchOptions(['--db=postgres-only']).engines).toEqual(['postgres']);
    expect(parseBenchOptions(['--db', 'sqlite']).engines).toEqual(['sqlite']);
    expect(refusal(['--db', 'mysql'])).toEqual({
      message: 'unknown --db "mysql": choose from sqlite, postgres, postgres-only',
      exitCode: 2,
    });
  });

  it('runs PostgreSQL on several app nodes with --nodes, and refuses them on SQLite alone', () => {
    expect(parseBenchOptions(['--db', 'postgres', '--nodes', '2,1,2'])).toMatchObject({
      engines: ['sqlite', 'postgres'],
      nodes: [1, 2],
    });
    expect(refusal(['--nodes', '2']).message).toContain('--nodes above 1 needs PostgreSQL');
    expect(refusal(['--db', 'postgres', '--nodes', '5']).message).toBe('--nodes must be at most 4');
    expect(refusal(['--db', 'postgres', '--nodes', '0']).message).toContain('--nodes must be a positive');
  });

  it('soaks the province for --soak minutes, the slope after 3 of them (a third of a shorter soak)', () => {
    expect(parseBenchOptions(['--soak', '30'])).toMatchObject({ soak: 30, scales: ['province'] });
    expect(parseBenchOptions(['--soak=0.5', '--scales', 'national'])).toMatchObject({
      soak: 0.5,
      scales: ['national'],
    });
    expect(soakWarmUpMinutes(30)).toBe(3);
    expect(soakWarmUpMinutes(5)).toBeCloseTo(5 / 3);
    expect(refusal(['--soak', '0']).message).toBe('--soak must be a positive number, not "0"');
    expect(refusal(['--soak', '5', '--only', 'sign']).message).toContain('leave out --only and --duration');
    expect(refusal(['--soak', '5', '--duration', '2']).exitCode).toBe(2);
  });

  it('refuses unknown options, names and bad values with a message and exit code 2', () => {
    expect(refusal(['--fast'])).toEqual({ message: expect.stringContaining("'--fast'"), exitCode: 2 });
    expect(refusal(['province'])).toMatchObject({ exitCode: 2 });
    expect(refusal(['--only', 'sign,dance']).message).toBe(
      `unknown scenario "dance": choose from ${SCENARIO_NAMES.join(', ')}`,
    );
    expect(refusal(['--scales', 'planet']).message).toContain('unknown scale "planet"');
    expect(refusal(['--duration', '0']).message).toBe('--duration must be a positive number, not "0"');
    expect(refusal(['--duration', 'ten']).message).toContain('--duration must be a positive number');
    expect(refusal(['--connections', '1.5']).message).toContain(
      '--connections must be a positive whole number',
    );
    expect(refusal(['--workers', '0']).message).toContain('--workers must be a positive whole number');
    expect(refusal(['--workers', '65']).message).toBe('--workers must be at most 64 or "auto"');
    expect(refusal(['--duration']).exitCode).toBe(2);
  });
});
