import { describe, expect, it } from 'vitest';
import {
  anonymiseRosterRow,
  replaceMentions,
  replaceValues,
  wholeValueOf,
  withFormerValues,
} from '../../src/directory/anonymise/mentions.js';

const NIP = '196803152006042001';
const NAME = 'Anonim #7';

describe('what anonymising a person finds of them', () => {
  it('takes a value as theirs only whole: any case, spaces, a NIP however grouped; never part of another', () => {
    const theirs = wholeValueOf(['Sri', 'sri@uji.test', NIP]);
    for (const text of ['Sri', ' sri ', 'SRI', 'Sri@Uji.Test', NIP, '19680315 200604 2 001']) {
      expect(theirs(text), text).toBe(true);
    }
    for (const text of ['Sri Mulyani', 'Srikandi', 'sri@uji.test.id', '196803152006042002', '', '  ']) {
      expect(theirs(text), text).toBe(false);
    }
    expect(wholeValueOf([''])('')).toBe(false);
  });

  it('replaces whole string values at any depth, keeps keys and everything else, and says when nothing changed', () => {
    const theirs = wholeValueOf(['Sri', NIP]);
    const details = {
      fullName: { from: 'Sri', to: 'Sri Mulyani' },
      nip: NIP,
      Sri: 'Srikandi',
      list: ['sri', 3, null, true],
    };
    expect(replaceValues(details, theirs, NAME)).toEqual({
      fullName: { from: NAME, to: 'Sri Mulyani' },
      nip: NAME,
      Sri: 'Srikandi',
      list: [NAME, 3, null, true],
    });
    expect(details.nip).toBe(NIP);
    expect(replaceValues({ name: 'Srikandi', n: 1 }, theirs, NAME)).toBeUndefined();
    expect(replaceValues(null, theirs, NAME)).toBeUndefined();
  });

  it('adds the names, addresses and NIPs their record had before, from its created and updated events', () => {
    const identity = withFormerValues({ names: ['Sri'], emails: [], nips: [] }, [
      { action: 'user.created', details: { nip: NIP, email: 'lama@uji.test', role: 'signer' } },
      {
        action: 'user.updated',
        details: { fullName: { from: 'Sri Rahayu', to: 'Sri' }, position: { from: 'Analis', to: 'Kepala' } },
      },
      { action: 'user.updated', details: { email: { from: 'lama@uji.test', to: null } } },
      { action: 'login.failed', details: { username: 'tebakan@uji.test' } },
    ]);
    expect(identity).toEqual({ names: ['Sri', 'Sri Rahayu'], emails: ['lama@uji.test'], nips: [NIP] });
  });

  it('replaces whole-word mentions in a reason, longest first, NIPs as stored and as printed', () => {
    expect(
      replaceMentions(
        'Sri Rahayu (sri, NIP 19680315 200604 2 001) pensiun; Srikandi dan Sri Mulyani melanjutkan.',
        ['Sri', 'Sri Rahayu', NIP],
        NAME,
      ),
    ).toBe(`${NAME} (${NAME}, NIP ${NAME}) pensiun; Srikandi dan ${NAME} Mulyani melanjutkan.`);
    expect(replaceMentions('a.b@uji.test, a-b@uji.test', ['a.b@uji.test'], NAME)).toBe(
      `${NAME}, a-b@uji.test`,
    );
    expect(replaceMentions('Tidak berubah', [], NAME)).toBe('Tidak berubah');
  });

  it('empties what says who a kept roster row is about, and keeps its unit, type and decision', () => {
    const columns = ['nip', 'nama', 'jabatan', 'kode_unit', 'email', 'jenis', 'kepala'] as const;
    const stored = {
      row: { line: 4, cells: [NIP, 'Sri', 'Analis', 'BKD', 'sri@uji.test', 'PNS', 'ya'] },
      outcome: {
        line: 4,
        status: 'changed' as const,
        changes: [
          { field: 'fullName' as const, from: 'Sri Rahayu', to: 'Sri' },
          { field: 'email' as const, from: null, to: 'sri@uji.test' },
          { field: 'unit' as const, from: 'BKD', to: 'DISDIK' },
        ],
      },
    };
    expect(anonymiseRosterRow([...columns], stored, NAME)).toEqual({
      row: { line: 4, cells: ['', NAME, '', 'BKD', '', 'PNS', 'ya'] },
      outcome: {
        line: 4,
        status: 'changed',
        changes: [
          { field: 'fullName', from: NAME, to: NAME },
          { field: 'email', from: null, to: null },
          { field: 'unit', from: 'BKD', to: 'DISDIK' },
        ],
      },
    });
  });
});
