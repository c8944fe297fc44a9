import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../src/web/safe-redirect.js';

const FALLBACK = '/akun';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What every result must be: a path on this site that a browser cannot read as another host. */
function expectSameOriginPath(result: string): void {
  expect(result.startsWith('/')).toBe(true);
  expect(result.startsWith('//')).toBe(false);
  expect(result.startsWith('/\\')).toBe(false);
  expect(result).not.toMatch(CONTROL);
}

describe('safeNextPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNextPath('/admin', FALLBACK)).toBe('/admin');
    expect(safeNextPath('/pakta/3?x=1#a', FALLBACK)).toBe('/pakta/3?x=1#a');
    expect(safeNextPath('/', FALLBACK)).toBe('/');
  });

  it.each([
    ['//evil.example'],
    ['//evil.example/admin'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['https://evil.example/'],
    ['http://evil.example/admin'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['evil.example'],
    ['admin'],
    // Dot segments resolve to '//evil.example' once parsed: still another site.
    ['/..//evil.example'],
    ['/.//evil.example'],
    ['/a/..//evil.example'],
    ['/%2e%2e//evil.example'],
  ])('refuses %s', (next) => {
    expect(safeNextPath(next, FALLBACK)).toBe(FALLBACK);
  });

  it.each([
    ['/a\nb'],
    ['/a\rb'],
    ['/a\r\nSet-Cookie: x=1'],
    ['/a\tb'],
    ['/a\u0000b'],
    ['/a\u007fb'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
  ])('refuses raw control characters in %j', (next) => {
    expect(safeNextPath(next, FALLBACK)).toBe(FALLBACK);
  });

  it('never lets percent-encoded CR/LF become a header break or another host', () => {
    for (const next of ['/%0d%0aSet-Cookie:x', '/%0D%0ALocation:%20https://evil.example', '/a%0a%0db']) {
      const result = safeNextPath(next, FALLBACK);
      expectSameOriginPath(result);
    }
  });

  it('does not decode an encoded slash into a protocol-relative URL', () => {
    for (const next of ['/%2F%2Fevil.example', '/%2fevil.example', '/%5Cevil.example']) {
      expectSameOriginPath(safeNextPath(next, FALLBACK));
    }
  });

  it.each([[undefined], [null], [42], [['/admin']], [{ path: '/admin' }], ['']])(
    'returns the fallback for %j, which is not a usable string',
    (next) => {
      expect(safeNextPath(next, FALLBACK)).toBe(FALLBACK);
    },
  );

  it.each([['/masuk'], ['/keluar'], ['/masuk?next=/admin'], ['/keluar#x']])(
    'refuses %s, which would loop back to login or logout',
    (next) => {
      expect(safeNextPath(next, FALLBACK)).toBe(FALLBACK);
    },
  );

  it('refuses login and logout reached through dot segments', () => {
    expect(safeNextPath('/./masuk', FALLBACK)).toBe(FALLBACK);
    expect(safeNextPath('/admin/../keluar', FALLBACK)).toBe(FALLBACK);
  });

  it('refuses the pages it is told to instead (the language switch refuses itself), with their query', () => {
    expect(safeNextPath('/bahasa?ke=id', FALLBACK, ['/bahasa'])).toBe(FALLBACK);
    expect(safeNextPath('/./bahasa#x', FALLBACK, ['/bahasa'])).toBe(FALLBACK);
    expect(safeNextPath('/masuk?next=%2Fakun', FALLBACK, ['/bahasa'])).toBe('/masuk?next=%2Fakun');
    expect(safeNextPath('/bahasawan', FALLBACK, ['/bahasa'])).toBe('/bahasawan');
  });

  it('refuses very long values', () => {
    expect(safeNextPath(`/${'a'.repeat(2999)}`, FALLBACK)).toBe(FALLBACK);
  });

  it('keeps a long but reasonable path', () => {
    const next = `/pakta?q=${'a'.repeat(500)}`;
    expect(safeNextPath(next, FALLBACK)).toBe(next);
  });

  it('encodes spaces rather than passing them to the Location header', () => {
    expect(safeNextPath('/a b', FALLBACK)).toBe('/a%20b');
  });
});
