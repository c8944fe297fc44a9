import { z } from 'zod';

/*
 * The JSON bodies of GET /api/v1/verify/:code and GET /api/v1/ledger/head, as zod schemas: routes.ts here takes
 * their types, and src/api/openapi.ts turns them into the OpenAPI document (src/api imports this file, never the
 * other way). Descriptions are keys of locales/id.json; the document translates them.
 */

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const receiptFields = z.object({
  code: z.string().regex(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/),
  status: z.enum(['valid', 'voided', 'unverified']).describe('api.schema.receipt_status'),
  fullName: z.string(),
  nipMasked: z.string().nullable().describe('api.schema.nip_masked'),
  position: z.string(),
  unitName: z.string(),
  pact: z.object({ id: z.int().min(1), title: z.string(), version: z.int().min(1) }),
  signedAt: z.iso.datetime().describe('api.schema.signed_at'),
  method: z.enum(['online', 'paper']).describe('api.schema.signing_method'),
  paperSignedOn: z.iso.date().nullable().describe('api.schema.paper_signed_on'),
  voidedAt: z.iso.datetime().nullable().describe('api.schema.voided_at'),
  ledger: z.object({ seq: z.int().min(1), hash: sha256Hex, matchesChain: z.boolean() }).nullable(),
});

/** What the public may know of a signing: no signature image, no IP, the NIP masked. */
export type ReceiptBody = z.infer<typeof receiptFields>;

const EXAMPLE_RECEIPT: ReceiptBody = {
  code: 'K7QM-3XRT-9WDP-HF2C',
  status: 'valid',
  fullName: 'Bambang Setiawan',
  nipMasked: '******** ****** * 003',
  position: 'Kepala Dinas Komunikasi dan Informatika',
  unitName: 'Dinas Komunikasi dan Informatika',
  pact: { id: 2, title: 'Pakta Integritas Netralitas Kepala OPD', version: 1 },
  signedAt: '2023-09-26T05:00:00.000Z',
  method: 'paper',
  paperSignedOn: '2023-09-26',
  voidedAt: null,
  ledger: {
    seq: 41,
    hash: '9f2c6a0d4be1c7f35a8e0b92d6417c3e58a1f0d29b7c4e6a13d85f2b0c9e7a64',
    matchesChain: true,
  },
};

export const ReceiptBody = receiptFields.meta({ examples: [EXAMPLE_RECEIPT] });

const ledgerHeadFields = z.object({
  seq: z.int().min(0).describe('api.schema.ledger_seq'),
  hash: sha256Hex.describe('api.schema.ledger_hash'),
  at: z.iso.datetime().nullable().describe('api.schema.ledger_at'),
});

/** The last entry of the ledger; seq 0 and the genesis hash when it is empty. */
export type LedgerHeadBody = z.infer<typeof ledgerHeadFields>;

const EXAMPLE_LEDGER_HEAD: LedgerHeadBody = {
  seq: 41,
  hash: '9f2c6a0d4be1c7f35a8e0b92d6417c3e58a1f0d29b7c4e6a13d85f2b0c9e7a64',
  at: '2023-09-26T03:15:00.000Z',
};

export const LedgerHeadBody = ledgerHeadFields.meta({ examples: [EXAMPLE_LEDGER_HEAD] });
