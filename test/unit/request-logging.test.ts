import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../src/web/request-logging.js';

describe('request log lines', () => {
  it('never carry the secret of a password link', () => {
    expect(withoutSecrets('/atur-kata-sandi/AbC_-123?x=1')).toBe('/atur-kata-sandi/[disembunyikan]?x=1');
  });

  it('never carry a CSRF token sent in the query string of an upload', () => {
    expect(withoutSecrets('/admin/pengguna/impor?_csrf=abc123&x=1')).toBe(
      '/admin/pengguna/impor?_csrf=[disembunyikan]&x=1',
    );
  });

  it('keep every other path as it was', () => {
    expect(withoutSecrets('/pakta/3?tab=1')).toBe('/pakta/3?tab=1');
    expect(withoutSecrets('/verifikasi/ABCD-EFGH-JKLM-NPQR')).toBe('/verifikasi/ABCD-EFGH-JKLM-NPQR');
  });
});
