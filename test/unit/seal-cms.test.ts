import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCms } from '../../src/seal/check-cms.js';
import { openssl } from '../helpers/poppler.js';

const CONTENT = Buffer.from('%PDF-1.3 the signed ranges of a document');
const SIGNED_AT = new Date('2024-09-26T02:15:00Z');

/** A detached SignedData over `content` made by openssl's cms command (what other signing tools make). */
function opensslCms(dir: string, keyType: 'rsa:2048' | 'ec', content: Buffer, extra: string[] = []): Buffer {
  const key = join(dir, `${keyType}.key`);
  const cert = join(dir, `${keyType}.crt`);
  const ecParams = keyType === 'ec' ? ['-pkeyopt', 'ec_paramgen_curve:P-256'] : [];
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const subject = ['-subj', `/CN=Penanda ${keyType}`, '-days', '30'];
  openssl([
    'req',
    '-x509',
    '-newkey',
    keyType,
    ...ecParams,
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    ...subject,
  ]);
  writeFileSync(join(dir, 'content.bin'), content);
  const out = join(dir, 'cms.der');
  const signing = ['-signer', cert, '-inkey', key, '-outform', 'DER', '-out', out, ...extra];
  openssl(['cms', '-sign', '-binary', '-md', 'sha256', '-in', join(dir, 'content.bin'), ...signing]);
  return readFileSync(out);
}

/** The DER of the certificate in PEM `file`, as openssl writes it. */
const derOf = (file: string): Buffer =>
  execFileSync('openssl', ['x509', '-in', file, '-outform', 'DER'], { stdio: 'pipe' }) as unknown as Buffer;

/** A key pair made once: RSA key generation in JavaScript is slow. */
const KEYS = forge.pki.rsa.generateKeyPair(1024);

/** A self-signed certificate for 'Instansi Uji' by node-forge, valid from `notBefore` (2024 unless said). */
function forgeCertificateFor(notBefore = new Date('2024-01-01T00:00:00Z')): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = KEYS.publicKey;
  cert.serialNumber = '4f01';
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date('2034-01-01T00:00:00Z');
  cert.setSubject([{ shortName: 'CN', value: 'Instansi Uji' }]);
  cert.setIssuer([{ shortName: 'CN', value: 'Instansi Uji' }]);
  cert.sign(KEYS.privateKey, forge.md.sha256.create());
  return cert;
}

/** As @signpdf's P12Signer makes it: node-forge, RSA, sha256, contentType, signingTime and messageDigest. */
function forgeSignedData(cert: forge.pki.Certificate): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(CONTENT.toString('binary'));
  p7.addCertificate(cert);
  p7.addSigner({
    key: KEYS.privateKey,
    certificate: cert,
    digestAlgorithm: forge.pki.oids.sha256 as string,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType as string, value: forge.pki.oids.data },
      { type: forge.pki.oids.signingTime as string, value: SIGNED_AT as unknown as string },
      { type: forge.pki.oids.messageDigest as string },
    ],
  });
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

/** `bytes` with the `nth` occurrence (0: the first, -1: the last) of `from` replaced by `to`, of the same length. */
function replaced(bytes: Buffer, from: string, to: string, nth: number): Buffer {
  const at: number[] = [];
  for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, i + 1)) at.push(i);
  const where = at.at(nth);
  if (where === undefined || from.length !== to.length) throw new Error(`no ${from} to replace`);
  const copy = Buffer.from(bytes);
  copy.write(to, where, 'latin1');
  return copy;
}

describe('checkCms', () => {
  let dir: string;
  let forgeCert: forge.pki.Certificate;
  let forgeCms: Buffer;
  let forgeCertificate: Buffer;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-cms-'));
    forgeCert = forgeCertificateFor();
    forgeCms = forgeSignedData(forgeCert);
    forgeCertificate = Buffer.from(
      forge.asn1.toDer(forge.pki.certificateToAsn1(forgeCert)).getBytes(),
      'binary',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks a signature as P12Signer makes it: digest, signature, signer and time', () => {
    // /Contents holds the CMS followed by zeros.
    const padded = Buffer.concat([forgeCms, Buffer.alloc(200)]);
    expect(checkCms(padded, CONTENT)).toEqual({
      certificate: {
        der: forgeCertificate,
        facts: {
          fingerprint: openssl.fingerprint(forge.pki.certificateToPem(forgeCert)),
          subject: 'CN=Instansi Uji',
          notBefore: '2024-01-01T00:00:00.000Z',
          notAfter: '2034-01-01T00:00:00.000Z',
        },
      },
      digestMatches: true,
      signatureVerifies: true,
      signedAt: SIGNED_AT,
    });
  });

  it('finds changed content by its digest, and a changed signature by its key', () => {
    const other = Buffer.from(CONTENT);
    other[3] = 0x45;
    expect(checkCms(forgeCms, other)).toMatchObject({ digestMatches: false, signatureVerifies: true });
    // The signature is the last element of the CMS: its last byte changed.
    const forged = Buffer.from(forgeCms);
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 0xff;
    expect(checkCms(forged, CONTENT)).toMatchObject({ digestMatches: true, signatureVerifies: false });
  });

  it('checks what openssl signs, with an RSA or an ECDSA key, with or without signed attributes', () => {
    for (const keyType of ['rsa:2048', 'ec'] as const) {
      const cms = opensslCms(dir, keyType, CONTENT);
      const checked = checkCms(cms, CONTENT);
      expect(checked, keyType).toMatchObject({ digestMatches: true, signatureVerifies: true });
      expect(checked?.certificate?.der.equals(derOf(join(dir, `${keyType}.crt`))), keyType).toBe(true);
      expect(checkCms(cms, Buffer.from('other')), keyType).toMatchObject({ digestMatches: false });
    }
    const bare = opensslCms(dir, 'rsa:2048', CONTENT, ['-noattr']);
    expect(checkCms(bare, CONTENT)).toMatchObject({
      digestMatches: true,
      signatureVerifies: true,
      signedAt: null,
    });
    expect(checkCms(bare, Buffer.from('other'))).toMatchObject({
      digestMatches: false,
      signatureVerifies: false,
    });
  });

  it('reads nothing from bytes that are no CMS SignedData', () => {
    expect(checkCms(Buffer.alloc(0), CONTENT)).toBeNull();
    expect(checkCms(Buffer.from('not DER at all'), CONTENT)).toBeNull();
    expect(checkCms(forgeCertificate, CONTENT)).toBeNull();
    expect(checkCms(forgeCms.subarray(0, forgeCms.length / 2), CONTENT)).toBeNull();
  });
  it('reads nothing from a CMS with a certificate it cannot read whole, or with more than zeros after it', () => {
    // OpenSSL prints the year 1 as 'Bad time value'.
    const yearOne = new Date('2024-01-01T00:00:00Z');
    yearOne.setUTCFullYear(1);
    expect(checkCms(forgeSignedData(forgeCertificateFor(yearOne)), CONTENT)).toBeNull();
    expect(checkCms(Buffer.concat([forgeCms, Buffer.from([0, 0, 1, 0])]), CONTENT)).toBeNull();
  });

  it('takes no certificate for the signer that the signer does not name, nor one changed after it was signed', () => {
    // The signer names its certificate by issuer and serial: the CN the CMS writes last is the signer's issuer.
    const otherIssuer = replaced(forgeCms, 'Instansi Uji', 'Instansi Uja', -1);
    expect(checkCms(otherIssuer, CONTENT)).toMatchObject({ certificate: null, signatureVerifies: false });
    // The certificate's end of validity, 2034 → 2035: its own signature no longer holds.
    const longer = replaced(forgeCms, '340101000000Z', '350101000000Z', 0);
    expect(checkCms(longer, CONTENT)).toMatchObject({ digestMatches: true, signatureVerifies: false });
  });
});
