import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../src/web/request-logging.js';

describe('request log lines', () => {
  it('never carry the secret of a password link', () => {
    expect(withoutSecrets('/atur-kata-sandi/AbC_-123?x=1')).toBe('/atur-kata-sandi/[disembunyikan]?x=1');
  });

  it('keep every other path as it was', () => {
    expect(withoutSecrets('/pakta/3?tab=1')).toBe('/pakta/3?tab=1');
    expect(withoutSecrets('/verifikasi/ABCD-EFGH-JKLM-NPQR')).toBe('/verifikasi/ABCD-EFGH-JKLM-NPQR');
  });
});
