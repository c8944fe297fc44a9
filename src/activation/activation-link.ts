/**
 * The address a letter's QR code opens: the activation form with the NIP and code filled in. The code is in the
 * path, so the request log hides it (src/web/request-logging.ts) and the page sends no referrer.
 */
export const activationLink = (baseUrl: string, nip: string, code: string): string =>
  `${baseUrl}/aktivasi/${nip}/${code}`;
