// The instance's seal: a PAdES signature (ETSI.CAdES.detached) made with the instance's certificate on every PDF it
// issues as proof (receipts, compliance reports). The certificate is the agency's own (SEAL_P12_PATH) or one this
// instance made itself and keeps in the database; see docs/ARCHITECTURE.md, "The seal".

import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import type { Clock } from '../core/clock.js';
import type { SealP12 } from '../core/seal-p12.js';
import { type Db, inTransaction } from '../db/database.js';
import type { Translate } from '../web/i18n.js';
import { certificateFacts, generateCertificate, generatedFor } from './certificate.js';
import type { SealCertificate, SealCertificateRepository, SigningCertificate } from './seal-repository.js';

/** What the seal writes into a signature about who seals, from the instance settings. */
export interface SealIssuer {
  name: string;
  /** The signature's location ('Semarang'); may be ''. */
  place: string;
  /** The signature's contact information; may be ''. */
  email: string;
}

export interface SealServices {
  db: Db;
  clock: Clock;
  sealCertificates: SealCertificateRepository;
  instanceSettings: () => Promise<SealIssuer>;
}

/** Whether a certificate is this instance's: the one sealing now, one it sealed with before, or neither. */
export type SealOwnership = 'active' | 'retired' | 'other';

export interface InstanceSeal {
  /**
   * The certificate this process seals with, made (or the agency's recorded) and marked active if need be. Called at
   * start; every other method waits for it.
   */
  ready(): Promise<SealCertificate>;
  /**
   * The PDF with the instance's seal added as an incremental update (its bytes before it untouched); `t` writes the
   * reason the seal gives, in the language of the document it seals.
   */
  sealPdf(pdf: Buffer, options: { t: Translate }): Promise<Buffer>;
  /** Every certificate of the instance: the active one first, then the retired ones, newest first. */
  certificates(): Promise<SealCertificate[]>;
  /** Whose a certificate is, by its fingerprint. */
  ownership(fingerprint: string): Promise<SealOwnership>;
}

/** A certificate ready to sign with, in this process. */
interface Loaded {
  /** As anyone may see it: its key is in `container` only. */
  certificate: SealCertificate;
  /** The name the certificate was made for; a generated one is made again when the instance is renamed. */
  name: string | null;
  /** The key and certificates as P12Signer takes them. */
  container: Buffer;
  signatureLength: number;
}

/**
 * @signpdf's P12Signer takes its key and certificates as a PKCS#12 file, which it opens at every signature (and
 * only once: an instance reads its bytes up, so each signature gets a signer of its own). This file never leaves
 * the process (the key beside it is in the same memory), so its password protects nothing, and it is encrypted
 * with one round of the cheapest scheme node-forge writes: opening it costs nothing measurable.
 */
const CONTAINER_PASSWORD = 'ikrar';

function containerOf(keyPem: string, certificatePems: readonly string[]): Buffer {
  const container = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    certificatePems.map((pem) => forge.pki.certificateFromPem(pem)),
    CONTAINER_PASSWORD,
    { algorithm: '3des', count: 1, useMac: false },
  );
  return Buffer.from(forge.asn1.toDer(container).getBytes(), 'binary');
}

/**
 * Room for the signature (bytes; /Contents holds twice as many hex digits, padded with zeros): the CMS carries the
 * certificates, then about 700 bytes of algorithms, attributes and the signature (a 4096-bit RSA key's included).
 */
const signatureLength = (certificatePems: readonly string[]): number =>
  2048 + certificatePems.reduce((sum, pem) => sum + forge.pki.pemToDer(pem).length(), 0);

export function instanceSeal(services: SealServices, p12?: SealP12): InstanceSeal {
  const { db, clock, sealCertificates } = services;
  let loading: Promise<Loaded> | undefined;

  /** Records the agency's certificate and makes it the active one (race-safe: any node may do it at once). */
  const useAgencyCertificate = async (agency: SealP12): Promise<Loaded> => {
    const pems = agency.certificatePems;
    const facts = certificateFacts(pems[0] as string);
    await inTransaction(db, async () => {
      const now = clock.now();
      await sealCertificates.insert(
        { ...facts, certificatePem: pems[0] as string, source: 'p12', privateKeyPem: null },
        false,
        now,
      );
      const active = await sealCertificates.active();
      if (active?.fingerprint === facts.fingerprint) return;
      if (active) await sealCertificates.retire(active.id, now);
      await sealCertificates.activate(facts.fingerprint);
    });
    const certificate = await sealCertificates.findByFingerprint(facts.fingerprint);
    if (!certificate) throw new Error('seal: the agency certificate was not stored');
    return {
      certificate,
      name: null,
      container: containerOf(agency.keyPem, pems),
      signatureLength: signatureLength(pems),
    };
  };

  /**
   * The active generated certificate, made for the instance's current name; made (and the one before retired) when
   * there is none or the instance was renamed. Nodes starting together may each make one: the first stored wins and
   * the others read it back.
   */
  const useOwnCertificate = async (): Promise<Loaded> => {
    const { name } = await services.instanceSettings();
    const found = await sealCertificates.activeForSigning();
    const usable = (certificate: SigningCertificate | undefined) =>
      certificate?.privateKeyPem && generatedFor(certificate.certificatePem) === name;
    if (!usable(found)) {
      const made = await generateCertificate(name, clock.now());
      await inTransaction(db, async () => {
        const active = await sealCertificates.active();
        // Another process replaced it meanwhile: theirs stands.
        if (active && active.id !== found?.id) return;
        if (active) await sealCertificates.retire(active.id, clock.now());
        await sealCertificates.insert(made, true, clock.now());
      });
    }
    const signing = await sealCertificates.activeForSigning();
    if (!signing?.privateKeyPem) {
      throw new Error('seal: the active certificate has no key (is SEAL_P12_PATH set on every node?)');
    }
    const { privateKeyPem, ...certificate } = signing;
    const pems = [certificate.certificatePem];
    return {
      certificate,
      name: generatedFor(certificate.certificatePem),
      container: containerOf(privateKeyPem, pems),
      signatureLength: signatureLength(pems),
    };
  };

  const load = (): Promise<Loaded> => {
    const started = p12 ? useAgencyCertificate(p12) : useOwnCertificate();
    // A failure is not kept: the next call tries again.
    started.catch(() => {
      if (loading === started) loading = undefined;
    });
    loading = started;
    return started;
  };

  /** The loaded certificate; a generated one is made again once the instance's name is no longer its name. */
  const current = async (): Promise<Loaded> => {
    const pending = loading ?? load();
    const loaded = await pending;
    if (loaded.name === null || loaded.name === (await services.instanceSettings()).name) return loaded;
    // Renamed: the first to notice loads again (making a new certificate), the others wait for that.
    return loading === pending ? load() : (loading ?? load());
  };

  return {
    ready: async () => (await current()).certificate,

    sealPdf: async (pdf, { t }) => {
      const seal = await current();
      const issuer = await services.instanceSettings();
      const at = clock.now();
      const withPlaceholder = plainAddPlaceholder({
        pdfBuffer: pdf,
        reason: t('seal.reason', { name: issuer.name }),
        contactInfo: issuer.email,
        name: issuer.name,
        location: issuer.place,
        signingTime: at,
        signatureLength: seal.signatureLength,
        subFilter: SUBFILTER_ETSI_CADES_DETACHED,
        appName: 'Ikrar',
      });
      const signer = new P12Signer(seal.container, { passphrase: CONTAINER_PASSWORD });
      return new SignPdf().sign(withPlaceholder, signer, at);
    },

    certificates: async () => {
      await current();
      return sealCertificates.all();
    },

    ownership: async (fingerprint) => {
      await current();
      const found = await sealCertificates.findByFingerprint(fingerprint);
      return found ? (found.active ? 'active' : 'retired') : 'other';
    },
  };
}
