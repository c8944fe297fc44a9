import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/core/paths.js';

describe('the systemd unit of deploy/', () => {
  it('passes systemd-analyze verify', () => {
    const unit = projectPath('deploy', 'systemd', 'ikrar.service');
    // verify prints what it finds wrong (unknown settings, a missing binary…) and exits non-zero on errors.
    const said = execFileSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', stdio: 'pipe' });
    expect(said).toBe('');
  });
});
