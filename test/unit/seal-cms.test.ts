import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCms } from '../../src/seal/check-cms.js';

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

describe('checkCms', () => {
  let dir: string;
  let forgeCms: Buffer;
  let forgeCertificate: Buffer;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-cms-'));
    // As @signpdf's P12Signer makes it: node-forge, RSA, sha256, contentType, signingTime and messageDigest.
    const keys = forge.pki.rsa.generateKeyPair(1024);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '4f01';
    cert.validity.notBefore = new Date('2024-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2034-01-01T00:00:00Z');
    cert.setSubject([{ shortName: 'CN', value: 'Instansi Uji' }]);
    cert.setIssuer([{ shortName: 'CN', value: 'Instansi Uji' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(CONTENT.toString('binary'));
    p7.addCertificate(cert);
    p7.addSigner({
      key: keys.privateKey,
      certificate: cert,
      digestAlgorithm: forge.pki.oids.sha256 as string,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType as string, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime as string, value: SIGNED_AT as unknown as string },
        { type: forge.pki.oids.messageDigest as string },
      ],
    });
    p7.sign({ detached: true });
    forgeCms = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    forgeCertificate = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks a signature as P12Signer makes it: digest, signature, signer and time', () => {
    // /Contents holds the CMS followed by zeros.
    const padded = Buffer.concat([forgeCms, Buffer.alloc(200)]);
    expect(checkCms(padded, CONTENT)).toEqual({
      certificate: forgeCertificate,
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
      expect(checked?.certificate?.equals(derOf(join(dir, `${keyType}.crt`))), keyType).toBe(true);
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
});
