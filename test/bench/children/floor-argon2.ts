/**
 * The floor of the login scenario, run by the bench as a child process: password verifications per second with the
 * app's own argon2 parameters (src/auth/password.ts), `connections` at a time — @node-rs/argon2 verifies off the
 * main thread, so they run side by side as the app's logins do. A warm-up of a quarter of the time, then the
 * recorded run; prints one line of JSON ({ perSecond, p50, p99, verifications }).
 *
 *   node dist-bench/test/bench/children/floor-argon2.js <connections> <seconds>
 */
import { hashPassword, verifyPassword } from '../../../src/credentials/password.js';
import { DEMO_PASSWORD } from '../../../src/seed/demo.js';

const connections = Number(process.argv[2]);
const seconds = Number(process.argv[3]);

/** `connections` loops verifying until `ms` have passed; each verification's time in ms. */
async function verifyFor(hash: string, ms: number): Promise<number[]> {
  const until = performance.now() + ms;
  const times: number[] = [];
  const loop = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      if (!(await verifyPassword(hash, DEMO_PASSWORD))) throw new Error('the password did not verify');
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return times;
}

const hash = await hashPassword(DEMO_PASSWORD);
await verifyFor(hash, Math.max(1, Math.round(seconds / 4)) * 1000);
const started = performance.now();
const times = (await verifyFor(hash, seconds * 1000)).sort((a, b) => a - b);
const elapsed = (performance.now() - started) / 1000;
const at = (q: number) =>
  times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))] ?? 0;
console.log(
  JSON.stringify({
    perSecond: times.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    verifications: times.length,
  }),
);
