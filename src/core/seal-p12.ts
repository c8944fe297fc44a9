// The agency's own sealing certificate, as a PKCS#12 file (SEAL_P12_PATH, SEAL_P12_PASSWORD): read once at start by
// loadConfig, so that a missing file or a wrong password stops the start with a message that says which.

import { readFileSync } from 'node:fs';
import forge from 'node-forge';

/** The key and certificates of a PKCS#12 file, as PEM. */
export interface SealP12 {
  /** Where it was read from, for messages and the log. */
  path: string;
  /** The private key (PKCS#8), RSA. */
  keyPem: string;
  /** The certificate of that key first, then the rest of the file's chain (CA certificates). */
  certificatePems: string[];
}

/** Why a PKCS#12 file cannot seal, in words for the person starting the app. */
export class SealP12Error extends Error {}

/** Reads and opens the file; throws SealP12Error when it cannot be read, opened or used. */
export function readSealP12(path: string, password: string): SealP12 {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new SealP12Error(`SEAL_P12_PATH: berkas ${path} tidak dapat dibaca (${code})`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), false, password);
  } catch (err) {
    throw new SealP12Error(
      /MAC|password/i.test(String(err))
        ? `SEAL_P12_PASSWORD salah untuk ${path}: berkas PKCS#12 tidak dapat dibuka dengan kata sandi itu`
        : `SEAL_P12_PATH: ${path} bukan berkas PKCS#12 (.p12/.pfx) yang dapat dibaca`,
    );
  }
  const { certBag, keyBag, pkcs8ShroudedKeyBag } = forge.pki.oids as Record<string, string>;
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(pkcs8ShroudedKeyBag as string), ...bags(keyBag as string)];
  // node-forge reads RSA keys only: any other key (ECDSA) comes out as a bag without a key.
  const key = keyBags.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    throw new SealP12Error(
      keyBags.length === 0
        ? `SEAL_P12_PATH: ${path} tidak berisi kunci privat`
        : `SEAL_P12_PATH: kunci privat di ${path} bukan RSA; segel Ikrar hanya dapat memakai kunci RSA`,
    );
  }
  const certificates = bags(certBag as string).flatMap((bag) => (bag.cert ? [bag.cert] : []));
  const own = certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) && publicKey.e?.equals(key.e);
  });
  if (!own) throw new SealP12Error(`SEAL_P12_PATH: ${path} tidak berisi sertifikat untuk kunci privatnya`);
  return {
    path,
    keyPem: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
    certificatePems: [own, ...certificates.filter((cert) => cert !== own)].map((cert) =>
      forge.pki.certificateToPem(cert),
    ),
  };
}
