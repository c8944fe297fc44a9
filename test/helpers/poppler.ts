// Reading a PDF back the way a reader's viewer does, with poppler's pdfinfo, pdftotext and pdfsig (Debian:
// poppler-utils), rather than from pdfkit's own content streams (./pdf.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a poppler tool on `pdf` written to a temporary file; returns its standard output. */
function poppler(tool: 'pdfinfo' | 'pdftotext' | 'pdfsig', pdf: Buffer, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], {
      encoding: 'utf8',
      cwd: dir,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const popplerPageCount = (pdf: Buffer): number =>
  Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', pdf, []))?.[1]);

/** The text of page `page` (from 1) as laid out on it: one string per printed line, blank lines dropped. */
export const popplerLines = (pdf: Buffer, page: number): string[] =>
  poppler('pdftotext', pdf, ['-layout', '-f', String(page), '-l', String(page)])
    .split('\n')
    .map((line) => line.replace(/\f/g, '').trimEnd())
    .filter((line) => line.trim() !== '');

export interface Word {
  text: string;
  /** Points from the page's left edge. */
  xMin: number;
  xMax: number;
  /** Points from the page's top edge. */
  yMin: number;
}

/** The words of page `page` (from 1) with their boxes, in reading order. */
export function popplerWords(pdf: Buffer, page: number): Word[] {
  const html = poppler('pdftotext', pdf, ['-bbox', '-f', String(page), '-l', String(page)]);
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [
    ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g),
  ].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text: decode(m[4] ?? '') }));
}

/** One signature as pdfsig reports it. */
export interface PdfsigSignature {
  /** 'Signature is Valid.', 'Digest Mismatch.' …: pdfsig's own words. */
  validation: string;
  /** 'ETSI.CAdES.detached' */
  type: string;
  /** 'CN=…' as pdfsig writes the signer's common name. */
  commonName: string;
  /** pdfsig's 'Total document signed' or 'Not total document signed'. */
  totalDocumentSigned: boolean;
}

/**
 * The signatures of `pdf` as poppler's pdfsig checks them (the signature only: a self-signed certificate's trust
 * is not checked, -nocert), with its whole report for messages.
 */
export function pdfsig(pdf: Buffer): { report: string; signatures: PdfsigSignature[] } {
  const report = poppler('pdfsig', pdf, ['-nocert']);
  const signatures = report
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      validation: /- Signature Validation: (.*)$/m.exec(block)?.[1] ?? '',
      type: /- Signature Type: (.*)$/m.exec(block)?.[1] ?? '',
      commonName: /- Signer Certificate Common Name: (.*)$/m.exec(block)?.[1] ?? '',
      totalDocumentSigned: /^\s*- Total document signed$/m.test(block),
    }));
  return { report, signatures };
}

/**
 * The SHA-256 fingerprint ('AB:CD:…') of the certificate that signed `pdf`, as openssl reads it from the CMS that
 * pdfsig -dump writes out: found by the tools, not by Ikrar's own code.
 */
export function signerFingerprint(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ikrar-pdfsig-'));
  try {
    writeFileSync(join(dir, 'document.pdf'), pdf);
    execFileSync('pdfsig', ['-nocert', '-dump', 'document.pdf'], { cwd: dir, encoding: 'utf8' });
    const dumped = readdirSync(dir).find((name) => name.endsWith('.sig0'));
    if (!dumped) throw new Error('pdfsig dumped no signature');
    const certificates = execFileSync(
      'openssl',
      ['pkcs7', '-inform', 'DER', '-in', join(dir, dumped), '-print_certs'],
      { encoding: 'utf8' },
    );
    return openssl.fingerprint(certificates);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** openssl's word on a certificate (its first, in PEM). */
export const openssl = {
  fingerprint: (pem: string): string => {
    const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
      input: pem,
      encoding: 'utf8',
    });
    const found = /Fingerprint=([0-9A-F:]+)/.exec(out)?.[1];
    if (!found) throw new Error(`openssl gave no fingerprint: ${out}`);
    return found;
  },
};
