import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertOwnTempDatabase, removeTempDir, tempDir } from '../bench/kit/bench-kit.js';

describe('assertOwnTempDatabase', () => {
  const own = tempDir('ikrar-bench-test-');
  const other = mkdtempSync(join(tmpdir(), 'ikrar-not-bench-'));
  afterAll(() => {
    removeTempDir(own);
    rmSync(other, { recursive: true, force: true });
  });

  it('accepts a file inside a temp folder the bench made', () => {
    expect(() => assertOwnTempDatabase(join(own, 'bench.sqlite'))).not.toThrow();
    expect(() => assertOwnTempDatabase(join(own, 'scale', 'bench.sqlite'))).not.toThrow();
  });

  it('refuses anything else: a real instance, another temp folder, the folder itself, a way out of it', () => {
    for (const path of [
      'data/ikrar.sqlite',
      '/var/lib/ikrar/ikrar.sqlite',
      join(other, 'bench.sqlite'),
      own,
      join(own, '..', 'ikrar.sqlite'),
      `${own}-other/bench.sqlite`,
    ]) {
      expect(() => assertOwnTempDatabase(path), path).toThrow(/refusing to run against/);
    }
  });

  it('refuses a link in its folder that leads to a database elsewhere', () => {
    const real = join(other, 'ikrar.sqlite');
    writeFileSync(real, '');
    const link = join(own, 'link.sqlite');
    symlinkSync(real, link);
    expect(() => assertOwnTempDatabase(link)).toThrow(/refusing to run against/);
  });

  it('refuses a folder the bench has removed', () => {
    const gone = tempDir('ikrar-bench-test-');
    removeTempDir(gone);
    expect(() => assertOwnTempDatabase(join(gone, 'bench.sqlite'))).toThrow(/refusing/);
  });
});
