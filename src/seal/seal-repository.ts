import { sql } from 'kysely';
import { allRows, type Db, firstRow, run } from '../db/database.js';

/** A certificate of the instance's seal as stored (migration 027), as anyone may see it: never its key. */
export interface SealCertificate {
  id: number;
  /** SHA-256 of the certificate's DER, 'AB:CD:…' as openssl and pdfsig users compare it. */
  fingerprint: string;
  /** 'CN=…, O=…' */
  subject: string;
  notBefore: string;
  notAfter: string;
  certificatePem: string;
  source: 'generated' | 'p12';
  active: boolean;
  createdAt: string;
  retiredAt: string | null;
}

/** The certificate the instance seals with, read with its key: for sealing only (instance-seal.ts). */
export interface SigningCertificate extends SealCertificate {
  /** The key of the active generated certificate; null for the agency's (never stored). */
  privateKeyPem: string | null;
}

/** A certificate to store: what it is, from the certificate itself. */
export type NewSealCertificate = Pick<
  SigningCertificate,
  'fingerprint' | 'subject' | 'notBefore' | 'notAfter' | 'certificatePem' | 'source' | 'privateKeyPem'
>;

interface Row {
  id: number;
  fingerprint: string;
  subject: string;
  not_before: string;
  not_after: string;
  certificate_pem: string;
  source: 'generated' | 'p12';
  active: number;
  created_at: string;
  retired_at: string | null;
}

const toCertificate = (row: Row): SealCertificate => ({
  id: Number(row.id),
  fingerprint: row.fingerprint,
  subject: row.subject,
  notBefore: row.not_before,
  notAfter: row.not_after,
  certificatePem: row.certificate_pem,
  source: row.source,
  active: Number(row.active) === 1,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
});

/** Every column but the key, which only `activeForSigning` reads. */
const COLUMNS = sql.raw(
  'id, fingerprint, subject, not_before, not_after, certificate_pem, source, active, created_at, retired_at',
);

export type SealCertificateRepository = ReturnType<typeof sealCertificateRepository>;

export function sealCertificateRepository(db: Db) {
  return {
    /** The certificate sealing now, if there is one yet. */
    active: async (): Promise<SealCertificate | undefined> => {
      const row = await firstRow(db, sql<Row>`SELECT ${COLUMNS} FROM seal_certificates WHERE active = 1`);
      return row && toCertificate(row);
    },
    /** The same with its key: only sealing reads it. */
    activeForSigning: async (): Promise<SigningCertificate | undefined> => {
      const row = await firstRow(
        db,
        sql<Row & { private_key_pem: string | null }>`SELECT ${COLUMNS}, private_key_pem
                                                      FROM seal_certificates WHERE active = 1`,
      );
      return row && { ...toCertificate(row), privateKeyPem: row.private_key_pem };
    },
    /** Every certificate the instance has sealed with: the active one first, then the retired, newest first. */
    all: async (): Promise<SealCertificate[]> =>
      (
        await allRows(db, sql<Row>`SELECT ${COLUMNS} FROM seal_certificates ORDER BY active DESC, id DESC`)
      ).map(toCertificate),
    findByFingerprint: async (fingerprint: string): Promise<SealCertificate | undefined> => {
      const row = await firstRow(
        db,
        sql<Row>`SELECT ${COLUMNS} FROM seal_certificates WHERE fingerprint = ${fingerprint}`,
      );
      return row && toCertificate(row);
    },
    /**
     * Stores a certificate, active or not, unless it conflicts: one with the same fingerprint is stored already, or
     * (active) another is active. Returns whether it was stored; either way, read back what is (race-safe across
     * processes, as settings' getOrPut).
     */
    insert: async (certificate: NewSealCertificate, active: boolean, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`INSERT INTO seal_certificates
              (fingerprint, subject, not_before, not_after, certificate_pem, source, private_key_pem, active,
               created_at)
            VALUES (${certificate.fingerprint}, ${certificate.subject}, ${certificate.notBefore},
                    ${certificate.notAfter}, ${certificate.certificatePem}, ${certificate.source},
                    ${certificate.privateKeyPem}, ${active ? 1 : 0}, ${at.toISOString()})
            ON CONFLICT DO NOTHING`,
      )) === 1,
    /** Retires the certificate if it is still active, dropping its key; returns whether it was. */
    retire: async (id: number, at: Date): Promise<boolean> =>
      (await run(
        db,
        sql`UPDATE seal_certificates SET active = 0, retired_at = ${at.toISOString()}, private_key_pem = NULL
            WHERE id = ${id} AND active = 1`,
      )) === 1,
    /** Makes the stored certificate with this fingerprint the active one (the one active before must be retired). */
    activate: async (fingerprint: string): Promise<void> => {
      await run(
        db,
        sql`UPDATE seal_certificates SET active = 1, retired_at = NULL WHERE fingerprint = ${fingerprint}`,
      );
    },
  };
}
