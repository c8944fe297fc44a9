// The instance's own sealing certificate: made on first start (an RSA 2048 key from Node's crypto, a self-signed
// X.509 certificate written by node-forge), and what pages, the API and the upload check say of any certificate.

import { generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { NewSealCertificate } from './seal-repository.js';

/** How long a generated certificate is valid. */
const VALID_YEARS = 10;

/** What a certificate says of itself, as pages and the API show it. */
export interface CertificateFacts {
  /** SHA-256 of the DER, upper-case hex pairs joined by ':' (openssl x509 -fingerprint -sha256). */
  fingerprint: string;
  /** 'CN=…, O=…, OU=…' */
  subject: string;
  notBefore: string;
  notAfter: string;
}

/**
 * The facts of a certificate given as PEM, DER or read already. Throws when it cannot be read, its validity
 * included (OpenSSL gives 'Bad time value' for a date it cannot print, such as the year 1).
 */
export function certificateFacts(certificate: string | Buffer | X509Certificate): CertificateFacts {
  const x509 = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  const instant = (text: string): string => {
    const time = new Date(text);
    if (Number.isNaN(time.getTime())) throw new Error(`certificate: unreadable validity date (${text})`);
    return time.toISOString();
  };
  return {
    fingerprint: x509.fingerprint256,
    subject: x509.subject.split('\n').join(', '),
    notBefore: instant(x509.validFrom),
    notAfter: instant(x509.validTo),
  };
}

/** The instance name a generated certificate was made for: its common name, exactly as written. */
export function generatedFor(certificatePem: string): string {
  const field = forge.pki.certificateFromPem(certificatePem).subject.getField('CN') as {
    value: string;
    valueTagClass: number;
  } | null;
  if (!field) return '';
  return field.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(field.value) : field.value;
}

/**
 * A new key pair and a self-signed certificate for `name` (the instance's name: CN and O; OU Ikrar), valid from a
 * minute before `now` for ten years, for signing documents only (digital signature, non-repudiation; no CA).
 */
export async function generateCertificate(name: string, now: Date): Promise<NewSealCertificate> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  // A positive serial of 16 random bytes whose first byte needs no leading zero in DER.
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40;
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS);
  certificate.validity.notAfter = notAfter;
  const subject = [
    { shortName: 'CN', value: name },
    { shortName: 'O', value: name },
    { shortName: 'OU', value: 'Ikrar' },
  ];
  // UTF-8 strings, so that a name with letters beyond ASCII reads the same in every verifier.
  const attributes = subject.map((attribute) => ({ ...attribute, valueTagClass: forge.asn1.Type.UTF8 }));
  // (node-forge's type definitions call the tag a class.)
  certificate.setSubject(attributes as unknown as forge.pki.CertificateField[]);
  certificate.setIssuer(attributes as unknown as forge.pki.CertificateField[]);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);
  const facts = certificateFacts(certificatePem);
  return {
    fingerprint: facts.fingerprint,
    subject: facts.subject,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    certificatePem,
    source: 'generated',
    privateKeyPem: keyPem,
  };
}
