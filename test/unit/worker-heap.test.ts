import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../src/cluster.js';

describe('the node options of a cluster worker', () => {
  it('add the heap limit of WORKER_HEAP_MB to the primary’s own options', () => {
    expect(workerExecArgv(['--import', 'x.js'], '', 128)).toEqual([
      '--import',
      'x.js',
      '--max-old-space-size=128',
    ]);
  });

  it('leave the limit to the operator who chose one, or to V8 when WORKER_HEAP_MB is 0', () => {
    expect(workerExecArgv([], '--enable-source-maps --max-old-space-size=96', 128)).toEqual([]);
    expect(workerExecArgv(['--max_old_space_size=300'], '', 128)).toEqual(['--max_old_space_size=300']);
    expect(workerExecArgv(['--trace-gc'], '', 0)).toEqual(['--trace-gc']);
  });
});
