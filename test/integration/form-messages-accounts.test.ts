import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { issuePasswordLink } from '../../src/credentials/password-links.js';
import { BARE_MESSAGES, expectNamedErrors, summaryOf } from '../helpers/form-messages.js';
import { type Agent, browser, loggedInAs } from '../helpers/http.js';
import { postForm } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The password forms and the activation form: what a person sees when they leave a field empty or mistype one. */
describe('form messages of the account forms', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  /** A form somebody opens: their browser, the page with the form, and where it is sent. */
  interface OpenForm {
    agent: Agent;
    page: string;
    action: string;
  }

  const PASSWORDS_EMPTY = { new_password: '', confirm_password: '' };
  const NEW_PASSWORDS_MISSING: [string, string][] = [
    ['new_password', 'Kata sandi baru wajib diisi.'],
    ['confirm_password', 'Ulangan kata sandi baru wajib diisi.'],
  ];

  const cases: {
    form: string;
    open: () => Promise<OpenForm>;
    empty: Record<string, string>;
    expected: [string, string][];
  }[] = [
    {
      form: 'change password (/akun)',
      open: async () => ({
        agent: (await loggedInAs(t, 'signer', { unitId: (await t.make.unit()).id })).agent,
        page: '/akun',
        action: '/akun/kata-sandi',
      }),
      empty: { current_password: '', ...PASSWORDS_EMPTY },
      expected: [['current_password', 'Kata sandi saat ini wajib diisi.'], ...NEW_PASSWORDS_MISSING],
    },
    {
      form: 'forgotten password (/lupa-kata-sandi)',
      open: async () => ({ agent: browser(t.app), page: '/lupa-kata-sandi', action: '/lupa-kata-sandi' }),
      empty: { username: '  ' },
      expected: [['username', 'NIP atau email wajib diisi.']],
    },
    {
      form: 'choosing a password through a link (/atur-kata-sandi)',
      open: async () => {
        const person = await t.make.user({ password: null });
        const link = await issuePasswordLink(t.services, {
          userId: person.id,
          actor: systemActor,
          permits: () => true,
        });
        const page = `/atur-kata-sandi/${link?.token}`;
        return { agent: browser(t.app), page, action: page };
      },
      empty: PASSWORDS_EMPTY,
      expected: NEW_PASSWORDS_MISSING,
    },
    {
      form: 'the activation letter (/aktivasi)',
      open: async () => ({ agent: browser(t.app), page: '/aktivasi', action: '/aktivasi' }),
      empty: { nip: '', code: '' },
      expected: [
        ['nip', 'NIP wajib diisi.'],
        ['code', 'Kode aktivasi wajib diisi.'],
      ],
    },
  ];

  for (const { form, open, empty, expected } of cases) {
    describe(form, () => {
      it('answers an empty submit with a 400 naming each field, in the summary (linking to it) and beside it', async () => {
        const { agent, page, action } = await open();
        const res = await postForm(agent, page, action, empty);
        expect(res.status).toBe(400);
        expectNamedErrors(res.text, expected);
        expect(res.text).toMatch(/class="alert alert-danger error-summary" role="alert"[^>]*tabindex="-1"/);
        // The summary takes the focus (forms.js): no field grabs it first.
        expect(res.text).not.toMatch(/<input[^>]*autofocus/);
      });

      it('names the fields of a request that left them out altogether', async () => {
        const { agent, page, action } = await open();
        const res = await postForm(agent, page, action, {});
        expect(res.status).toBe(400);
        expect(summaryOf(res.text).map(([field]) => field)).toEqual(expected.map(([field]) => field));
        for (const bare of BARE_MESSAGES) expect(res.text).not.toContain(bare);
      });
    });
  }

  it('keeps what was typed in the forgotten-password form', async () => {
    const res = await postForm(browser(t.app), '/lupa-kata-sandi', '/lupa-kata-sandi', {
      username: `dewi.lestari@${'x'.repeat(250)}.id`,
    });
    expect(res.status).toBe(400);
    expectNamedErrors(res.text, [['username', 'NIP atau email terlalu panjang.']]);
    expect(res.text).toContain('value="dewi.lestari@xxx');
  });

  it('never sends a typed password back to the page', async () => {
    const { agent } = await loggedInAs(t, 'signer', { unitId: (await t.make.unit()).id });
    const res = await postForm(agent, '/akun', '/akun/kata-sandi', {
      current_password: 'sandi-lama-rahasia',
      new_password: 'kuda-biru-melompat-pagar',
      confirm_password: 'kuda-biru-melompat',
    });
    expect(res.status).toBe(400);
    expectNamedErrors(res.text, [['confirm_password', 'Kedua kata sandi baru tidak sama.']]);
    expect(res.text).not.toContain('sandi-lama-rahasia');
    expect(res.text).not.toContain('kuda-biru');
  });

  it('tells a short NIP on the activation form by its form, keeping NIP and code, before any letter is looked up', async () => {
    const agent = browser(t.app);
    const res = await postForm(agent, '/aktivasi', '/aktivasi', { nip: '19850312', code: 'K7QM-3XWD-PA9F' });
    expect(res.status).toBe(400);
    expectNamedErrors(res.text, [['nip', 'NIP harus 18 digit (boleh dipisah spasi).']]);
    expect(res.text).toContain('value="19850312"');
    expect(res.text).toContain('value="K7QM-3XWD-PA9F"');
    expect((await t.services.audit.recent(10)).map((e) => e.action)).toEqual([]);
  });

  it('moves the focus to the refusal when a well-formed NIP and code open no letter', async () => {
    const res = await postForm(browser(t.app), '/aktivasi', '/aktivasi', {
      nip: '198503122010012004',
      code: 'K7QM-3XWD-PA9F',
    });
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/role="alert" tabindex="-1" data-error-summary id="activation-failure"/);
    expect(res.text).not.toMatch(/<input[^>]*autofocus/);
  });
});
