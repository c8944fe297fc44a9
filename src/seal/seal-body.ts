import { z } from 'zod';
import type { SealCertificate } from './seal-repository.js';

/*
 * The JSON body of GET /api/v1/seal, as a zod schema: the verification routes take its type, and src/api/openapi.ts
 * turns it into the OpenAPI document. Descriptions are keys of locales/id.json; the document translates them.
 */

const certificateFields = z.object({
  fingerprint: z
    .string()
    .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    .describe('api.schema.seal_fingerprint'),
  subject: z.string().describe('api.schema.seal_subject'),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  source: z.enum(['generated', 'p12']).describe('api.schema.seal_source'),
  retiredAt: z.iso.datetime().nullable().describe('api.schema.seal_retired_at'),
  pem: z.string().describe('api.schema.seal_pem'),
});

export type SealCertificateBody = z.infer<typeof certificateFields>;

const EXAMPLE_CERTIFICATE: SealCertificateBody = {
  fingerprint:
    '8C:A3:82:88:D7:9D:7D:A1:48:BB:30:A9:36:42:4B:52:0E:AC:F1:9D:7F:18:FE:B3:E1:B7:84:37:9B:D2:C5:46',
  subject: 'CN=Pemerintah Provinsi Jawa Tengah, O=Pemerintah Provinsi Jawa Tengah, OU=Ikrar',
  notBefore: '2024-01-15T01:59:00.000Z',
  notAfter: '2034-01-15T02:00:00.000Z',
  source: 'generated',
  retiredAt: null,
  pem: '-----BEGIN CERTIFICATE-----\nMIIDmzCCAoOgAwIBAgIQQ…\n-----END CERTIFICATE-----\n',
};

export const SealCertificateBody = certificateFields.meta({ examples: [EXAMPLE_CERTIFICATE] });

const sealFields = z.object({
  active: SealCertificateBody,
  retired: z.array(SealCertificateBody).describe('api.schema.seal_retired'),
});

/** The certificate sealing the instance's PDFs now, and those it sealed with before. */
export type SealBody = z.infer<typeof sealFields>;

export const SealBody = sealFields.meta({ examples: [{ active: EXAMPLE_CERTIFICATE, retired: [] }] });

/** A stored certificate as the API shows it (never its key). */
export const sealCertificateBody = (certificate: SealCertificate): SealCertificateBody => ({
  fingerprint: certificate.fingerprint,
  subject: certificate.subject,
  notBefore: certificate.notBefore,
  notAfter: certificate.notAfter,
  source: certificate.source,
  retiredAt: certificate.retiredAt,
  pem: certificate.certificatePem,
});
