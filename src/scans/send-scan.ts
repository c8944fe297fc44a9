import type { Response } from 'express';
import type { ScanInfo } from './scan-repository.js';

/**
 * Sends a stored scan to someone already allowed to see it: a PDF as a download (a PDF shown in the site's own
 * origin could run its scripts there), a photo inline; never cached outside the browser, sandboxed either way.
 */
export function sendScan(res: Response, scan: ScanInfo & { bytes: Buffer }): void {
  const disposition = scan.mime === 'application/pdf' ? 'attachment' : 'inline';
  res
    .set({
      'Content-Type': scan.mime,
      'Content-Disposition': `${disposition}; filename="${scan.fileName}"`,
      'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'",
      'Cache-Control': 'private, no-store',
    })
    .send(scan.bytes);
}
