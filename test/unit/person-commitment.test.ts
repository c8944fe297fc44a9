import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  committedPerson,
  newPersonSalt,
  personCommitment,
  rowCommitment,
} from '../../src/pledges/ledger-facts.js';
import { formatTwoPayload } from '../../src/pledges/verification/ledger-upgrade.js';

const SALT = '00112233445566778899aabbccddeeff';
const person = { nip: '198609262015051001', fullName: 'Rina Handayani', position: 'Analis Kebijakan' };
/** sha256(salt bytes ‖ JSON with keys in order), written out here as the design says it. */
const byHand = (salt: string, json: string) =>
  createHash('sha256').update(Buffer.from(salt, 'hex')).update(json).digest('hex');

describe("the ledger's commitment to a signer", () => {
  it('is sha256 of the 16-byte salt and the canonical JSON of the person', () => {
    expect(personCommitment(SALT, person)).toBe(
      byHand(SALT, '{"fullName":"Rina Handayani","nip":"198609262015051001","position":"Analis Kebijakan"}'),
    );
    // Key order does not matter: the JSON is canonical (RFC 8785).
    expect(
      personCommitment(SALT, { position: person.position, fullName: person.fullName, nip: person.nip }),
    ).toBe(personCommitment(SALT, person));
  });

  it('says nothing without its salt: another salt, another commitment; a new salt each time', () => {
    const other = newPersonSalt();
    expect(other).toMatch(/^[0-9a-f]{32}$/);
    expect(newPersonSalt()).not.toBe(other);
    expect(personCommitment(other, person)).not.toBe(personCommitment(SALT, person));
    expect(personCommitment(SALT, { ...person, nip: '198609262015051002' })).not.toBe(
      personCommitment(SALT, person),
    );
  });

  it('commits to pangkat only when known, and to the witness of a signing on paper', () => {
    expect(committedPerson({ ...person, pangkat: null })).toEqual(person);
    expect(committedPerson({ ...person, pangkat: 'Penata, III/c' })).toEqual({
      ...person,
      pangkat: 'Penata, III/c',
    });
    expect(committedPerson({ ...person, pangkat: null, paper: { witness: 'Drs. Sumarno' } })).toEqual({
      ...person,
      paperWitness: 'Drs. Sumarno',
    });
  });

  it('is none for a row without its salt (anonymised, or not yet upgraded)', () => {
    expect(rowCommitment({ ...sampleRow(), personSalt: null })).toBeNull();
    expect(rowCommitment(sampleRow())).toBe(personCommitment(SALT, person));
  });

  it('upgrades a format-1 payload to the commitment a row with the same facts makes', () => {
    const old = JSON.stringify({
      at: '2024-01-02T03:04:05.000Z',
      fullName: person.fullName,
      kind: 'sign',
      nip: person.nip,
      position: person.position,
      receiptCode: 'ABCD',
      signatureId: 7,
    });
    const upgraded = JSON.parse(formatTwoPayload({ kind: 'sign', payload: old }, SALT));
    expect(upgraded).toEqual({
      at: '2024-01-02T03:04:05.000Z',
      format: 2,
      kind: 'sign',
      person: personCommitment(SALT, person),
      receiptCode: 'ABCD',
      signatureId: 7,
    });
    const voided = '{"at":"2024-01-03T00:00:00.000Z","kind":"void","reason":"Salah orang","signatureId":7}';
    expect(formatTwoPayload({ kind: 'void', payload: voided }, undefined)).toBe(
      '{"at":"2024-01-03T00:00:00.000Z","format":2,"kind":"void","reason":"Salah orang","signatureId":7}',
    );
  });
});

function sampleRow() {
  return {
    receiptCode: 'ABCD',
    id: 7,
    pactId: 1,
    pactBodySha256: 'a'.repeat(64),
    userId: 3,
    ...person,
    pangkat: null,
    unitId: null,
    unitName: '',
    wasHead: false,
    headKind: null,
    signatureSha256: null,
    personSalt: SALT as string | null,
  };
}
