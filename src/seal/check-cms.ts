// Checks a PDF signature's CMS (SignedData, detached) against the bytes it signs: the digest of those bytes equals
// the signed messageDigest attribute, and the signature over the signed attributes verifies with the signer's
// certificate. The CMS is read with node-forge's ASN.1 decoder and its own PKCS#7 structure validators (forge can
// make such signatures but not check them); the certificates and the signature itself are Node's crypto. It is read
// strictly (DER, one signer, the fields outside the signature agreeing with those inside, every certificate read
// whole): whatever a changed byte makes of it is 'unreadable' or 'does not verify', never an exception.

import { createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { type CertificateFacts, certificateFacts } from './certificate.js';

export interface CmsCheck {
  /** The signer's certificate (DER, and what it says of itself), or null when the CMS carries none that matches. */
  certificate: { der: Buffer; facts: CertificateFacts } | null;
  /** The digest of the signed bytes equals the one the signature signed. */
  digestMatches: boolean;
  /**
   * The signature verifies with the certificate's public key, and the certificate with its issuer's when the CMS
   * carries that (a self-signed one, as the instance's own, with its own key): a changed certificate does not pass.
   */
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
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
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

/** Whether an INTEGER's content is exactly 1 (the version of a SignedData and a SignerInfo as PDF signers write them). */
const isVersionOne = (value: unknown): boolean => value === '\x01';

/** Whether `node` is of this universal type (its class counts: a tag's class bits changed make another type). */
const isUniversal = (node: Asn1Node | undefined, type: number): node is Asn1Node =>
  node?.tagClass === forge.asn1.Class.UNIVERSAL && node.type === type;

/** An AlgorithmIdentifier's OID when it has no parameters or NULL ones (as every algorithm checked here has). */
const plainAlgorithm = (node: Asn1Node | undefined): string | null => {
  if (!isUniversal(node, forge.asn1.Type.SEQUENCE)) return null;
  const [oid, parameters, ...more] = children(node);
  if (!isUniversal(oid, forge.asn1.Type.OID) || more.length > 0) return null;
  if (parameters && !(isUniversal(parameters, forge.asn1.Type.NULL) && parameters.value === '')) return null;
  return oidOf(oid);
};

/** A certificate the CMS carries, read whole: DER, key, validity and the names its issuer is found by. */
interface Certificate {
  der: Buffer;
  x509: X509Certificate;
  publicKey: KeyObject;
  facts: CertificateFacts;
  issuer: Buffer;
  subject: Buffer;
}

/** The certificate in `node`, or null when any part of it cannot be read (then neither can the CMS). */
function readCertificate(node: Asn1Node): Certificate | null {
  try {
    const der = derOf(node);
    const x509 = new X509Certificate(der);
    // tbsCertificate: [0] version (absent in version 1), serialNumber, signature, issuer, validity, subject, …
    const tbs = children(children(node)[0]);
    const at = tbs[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 3 : 2;
    const [issuer, , subject] = tbs.slice(at, at + 3);
    if (!issuer || !subject) return null;
    return {
      der,
      x509,
      publicKey: x509.publicKey,
      facts: certificateFacts(x509),
      issuer: derOf(issuer),
      subject: derOf(subject),
    };
  } catch {
    return null;
  }
}

/** Whether `certificate` verifies with its issuer's key, when the CMS carries its issuer (itself, if self-signed). */
function issuerVouches(certificate: Certificate, certificates: readonly Certificate[]): boolean {
  const issuer = certificate.issuer.equals(certificate.subject)
    ? certificate
    : certificates.find((other) => other.subject.equals(certificate.issuer));
  if (!issuer) return true;
  try {
    return certificate.x509.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Checks `cms` (the bytes of /Contents) over `signed` (the bytes of the ByteRange); null if it is no SignedData as a
 * PDF signature is (one signer named by issuer and serial, detached data), if its own fields disagree, or if a
 * certificate in it cannot be read.
 */
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
  // DER, as a PDF signature must be (ISO 32000-2, 12.8.3.3), then only the zeros of the padding: nothing else hides
  // in /Contents.
  const der = derOf(root);
  const padding = cms.subarray(der.length);
  if (!cms.subarray(0, der.length).equals(der) || padding.some((byte) => byte !== 0)) return null;
  const outer: Capture = {};
  if (!asn1.validate(root, contentInfoValidator, outer, [])) return null;
  if (asn1.derToOid(outer.contentType as string) !== OID.signedData) return null;
  const [signedData] = children(outer.content);
  const cap: Capture = {};
  if (!signedData || !asn1.validate(signedData, signedDataValidator, cap, [])) return null;
  if (typeof cap.signature !== 'string') return null;

  // What the signature does not cover must still agree with what it does (RFC 5652): version 1 for one signer
  // named by issuer and serial over data, that signer alone, its digest algorithm among the SignedData's, no
  // parameters where none belong. A field changed in transit is then a damaged signature, not an intact one.
  const signerInfos = Array.isArray(cap.signerInfos) ? (cap.signerInfos as Asn1Node[]) : [];
  const signerInfo = children(signerInfos[0]);
  const [signerVersion, , signerDigest] = signerInfo;
  const digestOid = plainAlgorithm(signerDigest);
  // (The validator captured the signature algorithm's parts; its node is the signer's part holding them.)
  const algorithm = plainAlgorithm(signerInfo.find((part) => part.value === cap.signatureAlgorithm));
  if (
    children(root).length !== 2 ||
    children(outer.content).length !== 1 ||
    !isVersionOne(cap.version) ||
    signerInfos.length !== 1 ||
    !isVersionOne(signerVersion?.value) ||
    asn1.derToOid(cap.contentType as string) !== OID.data ||
    digestOid === null ||
    algorithm === null ||
    !children(cap.digestAlgorithms).some((known) => plainAlgorithm(known) === digestOid)
  ) {
    return null;
  }

  const digest = DIGESTS[digestOid];
  const attributes = Array.isArray(cap.authenticatedAttributes)
    ? (cap.authenticatedAttributes as Asn1Node[])
    : null;
  const attribute = (oid: string): Asn1Node | undefined => {
    const found = attributes?.find((attr) => oidOf(children(attr)[0]) === oid);
    return children(children(found)[1])[0];
  };
  // Signed attributes name the content's type, which must be the one the SignedData says.
  if (attributes && oidOf(attribute(OID.contentType)) !== OID.data) return null;

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

  // Every certificate is read whole, or the CMS is not read at all. The signer is named by issuer and serial
  // number: of the certificates so named, the one whose key verifies (or, if none does, the first, to say whose
  // the broken signature claims to be).
  const certificates: Certificate[] = [];
  for (const node of children(cap.certificates)) {
    const certificate = readCertificate(node);
    if (!certificate) return null;
    certificates.push(certificate);
  }
  const issuer = derOf(cap.issuer as Asn1Node);
  const serial = serialHex(binary(typeof cap.serial === 'string' ? cap.serial : '').toString('hex'));
  const candidates = certificates.filter(
    (cert) => serialHex(cert.x509.serialNumber) === serial && cert.issuer.equals(issuer),
  );
  // One verification per candidate: the one whose key verifies is the signer; none verifies, the first is named.
  const verified = candidates.find((cert) => verifies(cert.publicKey));
  const signer = verified ?? candidates[0];

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
  const signatureVerifies = verified !== undefined && issuerVouches(verified, certificates);
  return {
    certificate: signer ? { der: signer.der, facts: signer.facts } : null,
    // Without signed attributes the signature is over the content itself: it verifies only if the content matches.
    digestMatches: attributes ? attributesDigestMatch : signatureVerifies,
    signatureVerifies,
    signedAt: signedAt && !Number.isNaN(signedAt.getTime()) ? signedAt : null,
  };
}
