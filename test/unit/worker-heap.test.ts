import { describe, expect, it } from 'vitest';
import { WORKER_MALLOC_ENV, workerExecArgv, workerMallocEnv } from '../../src/cluster.js';

describe('the node options of a cluster worker', () => {
  it('add the heap limits (WORKER_HEAP_MB, and a smaller young generation) to the primary’s own options', () => {
    expect(workerExecArgv(['--import', 'x.js'], '', 128)).toEqual([
      '--import',
      'x.js',
      '--max-old-space-size=128',
      '--max-semi-space-size=8',
    ]);
  });

  it('leave each limit to the operator who chose one, and both to V8 when WORKER_HEAP_MB is 0', () => {
    expect(workerExecArgv([], '--enable-source-maps --max-old-space-size=96', 128)).toEqual([
      '--max-semi-space-size=8',
    ]);
    expect(workerExecArgv(['--max_old_space_size=300'], '', 128)).toEqual([
      '--max_old_space_size=300',
      '--max-semi-space-size=8',
    ]);
    expect(workerExecArgv([], '--max-semi-space-size=32', 128)).toEqual(['--max-old-space-size=128']);
    expect(workerExecArgv(['--trace-gc'], '', 0)).toEqual(['--trace-gc']);
  });
});

describe('the malloc settings of a cluster worker', () => {
  it('are given to every worker, each unless the operator set it, and none with WORKER_HEAP_MB=0', () => {
    expect(workerMallocEnv({}, 96)).toEqual(WORKER_MALLOC_ENV);
    expect(workerMallocEnv({ MALLOC_ARENA_MAX: '4' }, 96)).toEqual({
      MALLOC_MMAP_THRESHOLD_: '65536',
      MALLOC_TRIM_THRESHOLD_: '131072',
    });
    expect(workerMallocEnv({}, 0)).toEqual({});
  });
});
