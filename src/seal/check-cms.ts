// Checks a PDF signature's CMS (SignedData, detached) against the bytes it signs: the digest of those bytes equals
// the signed messageDigest attribute, and the signature over the signed attributes verifies with the signer's
// certificate. The CMS is read with node-forge's ASN.1 decoder and its own PKCS#7 structure validators (forge can
// make such signatures but not check them); the certificates and the signature itself are Node's crypto.

import { createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface CmsCheck {
  /** The signer's certificate (DER), or null when the CMS carries none that matches the signer. */
  certificate: Buffer | null;
  /** The digest of the signed bytes equals the one the signature signed. */
  digestMatches: boolean;
  /** The signature verifies with the certificate's public key. */
  signatureVerifies: boolean;
  /** The signing time the signature carries, if it does. */
  signedAt: Date | null;
}

/** The parts of node-forge's ASN.1 module used here, which its type definitions leave out. */
interface Asn1Node {
  tagClass: number;
  type: number;
  constructed: boolean;
  value: Asn1Node[] | string;
}
type Capture = Record<string, unknown>;
interface Asn1 {
  fromDer(
    bytes: forge.util.ByteStringBuffer,
    options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean },
  ): Asn1Node;
  toDer(node: Asn1Node): forge.util.ByteStringBuffer;
  create(tagClass: number, type: number, constructed: boolean, value: Asn1Node[]): Asn1Node;
  validate(node: Asn1Node, validator: object, capture: Capture, errors: unknown[]): boolean;
  derToOid(bytes: string): string;
  utcTimeToDate(text: string): Date;
  generalizedTimeToDate(text: string): Date;
}
const asn1 = forge.asn1 as unknown as Asn1;
const { contentInfoValidator, signedDataValidator } = (
  forge as unknown as { pkcs7asn1: { contentInfoValidator: object; signedDataValidator: object } }
).pkcs7asn1;

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

/** Digest algorithms by OID, as Node's crypto names them. */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * Signature algorithms by OID that Node's crypto.verify checks with the key alone (RSA PKCS #1 v1.5, ECDSA): the
 * digest they name, or null for those that take the signer's digest algorithm (rsaEncryption, id-ecPublicKey).
 */
const SIGNATURES: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.2.1': null,
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const binary = (text: string): Buffer => Buffer.from(text, 'binary');
const derOf = (node: Asn1Node): Buffer => binary(asn1.toDer(node).getBytes());
const children = (node: unknown): Asn1Node[] =>
  Array.isArray((node as Asn1Node | undefined)?.value) ? ((node as Asn1Node).value as Asn1Node[]) : [];
const oidOf = (node: Asn1Node | undefined): string =>
  typeof node?.value === 'string' ? asn1.derToOid(node.value) : '';

/** A serial number as hex without leading zeros, so that DER's and X509Certificate's spellings compare. */
const serialHex = (hex: string): string => hex.toUpperCase().replace(/^0+/, '');

/** Checks `cms` (the bytes of /Contents) over `signed` (the bytes of the ByteRange); null if it is no SignedData. */
export function checkCms(cms: Buffer, signed: Buffer): CmsCheck | null {
  let root: Asn1Node;
  try {
    root = asn1.fromDer(forge.util.createBuffer(cms.toString('binary')), {
      strict: true,
      // /Contents is padded with zeros after the CMS.
      parseAllBytes: false,
      // Certificates are taken byte for byte as they were signed.
      decodeBitStrings: false,
    });
  } catch {
    return null;
  }
  const outer: Capture = {};
  if (!asn1.validate(root, contentInfoValidator, outer, [])) return null;
  if (asn1.derToOid(outer.contentType as string) !== OID.signedData) return null;
  const [signedData] = children(outer.content);
  const cap: Capture = {};
  if (!signedData || !asn1.validate(signedData, signedDataValidator, cap, [])) return null;
  if (typeof cap.signature !== 'string' || typeof cap.digestAlgorithm !== 'string') return null;

  const digest = DIGESTS[asn1.derToOid(cap.digestAlgorithm)];
  const attributes = Array.isArray(cap.authenticatedAttributes)
    ? (cap.authenticatedAttributes as Asn1Node[])
    : null;
  const attribute = (oid: string): Asn1Node | undefined => {
    const found = attributes?.find((attr) => oidOf(children(attr)[0]) === oid);
    return children(children(found)[1])[0];
  };

  // With signed attributes (as every PAdES signature has), the signature covers their DER as a SET OF and they
  // carry the digest of the content; without, it covers the content itself.
  const messageDigest = attribute(OID.messageDigest)?.value;
  const contentDigest = digest ? createHash(digest).update(signed).digest() : null;
  const attributesDigestMatch =
    typeof messageDigest === 'string' &&
    contentDigest !== null &&
    binary(messageDigest).equals(contentDigest);
  const signedContent = attributes
    ? derOf(asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes))
    : signed;

  const algorithm = oidOf(Array.isArray(cap.signatureAlgorithm) ? cap.signatureAlgorithm[0] : undefined);
  const signatureDigest = algorithm in SIGNATURES ? (SIGNATURES[algorithm] ?? digest) : undefined;
  const signature = binary(cap.signature);
  const verifies = (key: KeyObject): boolean => {
    if (!signatureDigest) return false;
    try {
      return verify(signatureDigest, signedContent, key, signature);
    } catch {
      return false;
    }
  };

  // The signer is named by issuer and serial number: of the certificates with that serial, the one whose key
  // verifies (or, if none does, the first, to say whose the broken signature claims to be).
  const serial = serialHex(binary(typeof cap.serial === 'string' ? cap.serial : '').toString('hex'));
  const certificates = children(cap.certificates).flatMap((node) => {
    try {
      const der = derOf(node);
      return [{ der, x509: new X509Certificate(der) }];
    } catch {
      return [];
    }
  });
  const candidates = certificates.filter((cert) => serialHex(cert.x509.serialNumber) === serial);
  const signer = candidates.find((cert) => verifies(cert.x509.publicKey)) ?? candidates[0];

  const time = attribute(OID.signingTime);
  let signedAt: Date | null = null;
  if (typeof time?.value === 'string') {
    try {
      signedAt =
        time.type === forge.asn1.Type.UTCTIME
          ? asn1.utcTimeToDate(time.value)
          : asn1.generalizedTimeToDate(time.value);
    } catch {
      signedAt = null;
    }
  }
  const signatureVerifies = signer !== undefined && verifies(signer.x509.publicKey);
  return {
    certificate: signer?.der ?? null,
    // Without signed attributes the signature is over the content itself: it verifies only if the content matches.
    digestMatches: attributes ? attributesDigestMatch : signatureVerifies,
    signatureVerifies,
    signedAt: signedAt && !Number.isNaN(signedAt.getTime()) ? signedAt : null,
  };
}
