/**
 * The address a letter's QR code opens: the activation form, with the NIP and code in the fragment, which browsers
 * never send to a server (no access log, proxy or referrer sees the code); public/js/activation-fill.js fills the
 * form in from it and takes it out of the address bar.
 */
export const activationLink = (baseUrl: string, nip: string, code: string): string =>
  `${baseUrl}/aktivasi#${new URLSearchParams({ nip, kode: code }).toString()}`;
