import { timeZone } from '../../../src/core/time-zone.js';
import { demoPactTitles, demoPactYear } from '../../../src/seed/demo-pacts.js';

/** The demo seed's open pact for every ASN (src/seed/demo-pacts.ts), as journeys find it by its title. */
export const ALL_ASN_PACT = demoPactTitles(demoPactYear(new Date(), timeZone('Asia/Jakarta'))).all;
