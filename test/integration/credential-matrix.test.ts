import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/record-event.js';
import { RESET_EVERY_MS } from '../../src/auth/request-reset.js';
import { issuePasswordLink } from '../../src/credentials/password-links.js';
import type { User } from '../../src/directory/types.js';
import { personFactory, seededRandom } from '../../src/seed/people.js';
import { type Agent, browser, fetchCsrfToken, loggedInAs } from '../helpers/http.js';
import { confirmRoster, previewRoster } from '../helpers/roster.js';
import { eventually } from '../helpers/smtp.js';
import { createMailingTestApp, type MailingTestApp } from '../helpers/test-app.js';

/**
 * Every path that can hand out a way into an account × every role × every kind of account, against the rule in
 * docs/ARCHITECTURE.md ("Nobody acts as someone else"): an operator may correct the email or NIP of a person of
 * their subtree only until a way in has been handed out (a password set, or a link sent), and may send a link to
 * the address on file only until the person has taken the account over; admins may do both; nobody else may do
 * either. A forgotten-password request, whoever makes it, only ever mails the owner's address. An activation
 * letter (a code on paper, `activation_letter`) is a way in too: an operator prints one only for a signer of their
 * subtree who has not taken the account over; an admin for anyone but an admin (a reset letter for someone who
 * has). SSO hands out nothing: it only matches an account that exists (oidc-login.test.ts).
 */

const ACTORS = ['admin', 'operator', 'operator_elsewhere', 'signer', 'anonymous'] as const;
/** Heads and other signers who set a password; one never told of the account; one sent an invitation; staff. */
const TARGETS = ['head', 'taken_over', 'never_activated', 'invited', 'operator', 'admin'] as const;
const PATHS = ['email', 'nip', 'role', 'password_link', 'activation_letter'] as const;
type ActorKind = (typeof ACTORS)[number];
type TargetKind = (typeof TARGETS)[number];
type Path = (typeof PATHS)[number];

/** The rule, written out as the table the tests check. */
function allowed(actor: ActorKind, target: TargetKind, path: Path): boolean {
  if (path === 'activation_letter') {
    if (actor === 'admin') return target !== 'admin';
    return actor === 'operator' && (target === 'never_activated' || target === 'invited');
  }
  if (actor === 'admin') return true;
  if (actor !== 'operator' || path === 'role') return false;
  if (target === 'never_activated') return true;
  return target === 'invited' && path === 'password_link';
}

const ATTACKER_EMAIL = 'penyerang@uji.test';
/** An address of the attacker's for each target, so that one admin can change them all without a clash. */
const attackerEmail = (user: User) => `penyerang-${user.id}@uji.test`;
const person = personFactory(seededRandom(1616));

describe('who may hand out a way into an account', () => {
  let t: MailingTestApp;
  beforeEach(async () => {
    t = await createMailingTestApp();
  });
  afterEach(() => t.close());

  /** A department with a section where every kind of target works, and a second department. */
  async function world(actor: ActorKind) {
    const dinas = await t.make.unit({ code: 'DINAS', name: 'Dinas Uji' });
    const bidang = await t.make.unit({ code: 'BIDANG', name: 'Bidang Uji', parentId: dinas.id });
    const lain = await t.make.unit({ code: 'LAIN', name: 'Dinas Lain' });
    const head = await t.make.user({ unitId: bidang.id, email: 'kepala@uji.test' });
    await t.services.units.setHead(bidang.id, head.id, t.clock.now());
    const targets: Record<TargetKind, User> = {
      head,
      taken_over: await t.make.user({ unitId: bidang.id, email: 'aktif@uji.test' }),
      never_activated: await t.make.user({ unitId: bidang.id, email: 'baru@uji.test', password: null }),
      invited: await t.make.user({ unitId: bidang.id, email: 'diundang@uji.test', password: null }),
      operator: await t.make.user({ role: 'operator', unitId: bidang.id, email: 'op-bidang@uji.test' }),
      // With a NIP and a unit, so that an admin may make them a signer.
      admin: await t.make.user({ role: 'admin', unitId: bidang.id, email: 'admin-lain@uji.test' }),
    };
    await issuePasswordLink(t.services, {
      userId: targets.invited.id,
      actor: systemActor,
      permits: () => true,
    });
    let agent: Agent;
    if (actor === 'anonymous') agent = browser(t.app);
    else if (actor === 'admin') agent = (await loggedInAs(t, 'admin')).agent;
    else if (actor === 'operator') agent = (await loggedInAs(t, 'operator', { unitId: dinas.id })).agent;
    else if (actor === 'operator_elsewhere')
      agent = (await loggedInAs(t, 'operator', { unitId: lain.id })).agent;
    else agent = (await loggedInAs(t, 'signer', { unitId: bidang.id })).agent;
    return { agent, targets };
  }

  const fresh = async (user: User) => (await t.services.users.findById(user.id)) as User;
  const linksOf = async (user: User) => {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM password_links
      WHERE user_id = ${user.id}`.execute(t.db.q);
    return rows[0]?.n as number;
  };

  /** The edit form's fields for a person, as the page fills them, with `change` applied. */
  const editForm = (user: User, change: Record<string, string>) => ({
    nip: user.nip ?? '',
    employee_type: user.employeeType,
    email: user.email ?? '',
    full_name: user.fullName,
    position: user.position,
    unit_id: user.unitId === null ? '' : String(user.unitId),
    role: user.role,
    ...change,
  });

  async function attempt(agent: Agent, path: Path, target: User, email = attackerEmail(target)) {
    // A token of the agent's own session, from a page every visitor can open.
    const token = await fetchCsrfToken(agent, '/lupa-kata-sandi');
    if (path === 'activation_letter') {
      // As the letters page does it: the preview (asking for reset letters too), then the print.
      const preview = await agent
        .post('/admin/surat-aktivasi')
        .type('form')
        .send({ _csrf: token, kind: 'list', nips: target.nip ?? '', layout: 'a4', resets: '1' });
      const batch = /\/admin\/surat-aktivasi\/(\d+)\/cetak/.exec(preview.text ?? '')?.[1];
      if (!batch) return { res: preview, change: null };
      const res = await agent
        .post(`/admin/surat-aktivasi/${batch}/cetak`)
        .type('form')
        .send({ _csrf: token });
      return { res, change: null };
    }
    if (path === 'password_link') {
      const res = await agent
        .post(`/admin/pengguna/${target.id}/tautan-sandi`)
        .type('form')
        .send({ _csrf: token });
      return { res, change: null };
    }
    const change =
      path === 'email'
        ? email
        : path === 'nip'
          ? person({ bornFrom: 1975, bornTo: 1995 }).nip
          : target.role === 'signer'
            ? 'operator'
            : 'signer';
    const res = await agent
      .post(`/admin/pengguna/${target.id}`)
      .type('form')
      .send({ _csrf: token, ...editForm(target, { [path]: change }) });
    return { res, change };
  }

  for (const actor of ACTORS) {
    for (const path of PATHS) {
      it(`${actor} × ${path}: ${TARGETS.map((target) => `${target} ${allowed(actor, target, path) ? 'yes' : 'no'}`).join(', ')}`, async () => {
        const { agent, targets } = await world(actor);
        for (const kind of TARGETS) {
          const target = targets[kind];
          const linksBefore = await linksOf(target);
          const { res, change } = await attempt(agent, path, target);
          const after = await fresh(target);
          const label = `${actor} ${path} ${kind}`;
          if (allowed(actor, kind, path)) {
            expect(res.status, label).toBe(path === 'activation_letter' ? 200 : 303);
            if (path === 'activation_letter') {
              expect(await linksOf(target), label).toBe(linksBefore + 1);
            } else if (path === 'password_link') {
              expect(await linksOf(target), label).toBe(linksBefore + 1);
              await eventually(() =>
                t.smtp.received.some((mail) => mail.to.includes(target.email as string)),
              );
            } else {
              expect(after, label).toEqual({ ...target, [path]: change });
            }
          } else {
            // Anonymous visitors get 401; signers 403; out of scope 404; in scope but a way in was handed out
            // already, 403 for a link and 422 (with the reason beside the field) for an edit.
            expect([401, 403, 404, 422], label).toContain(res.status);
            expect(after, label).toEqual(target);
            expect(await linksOf(target), label).toBe(linksBefore);
            if (res.status === 422 && (path === 'email' || path === 'nip'))
              expect(res.text).toContain('hanya admin yang dapat');
          }
        }
        // Nothing ever reached the attacker's address, and nothing reached anyone for a refused attempt.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(t.smtp.received.flatMap((mail) => mail.to).filter((to) => to.startsWith('penyerang'))).toEqual(
          [],
        );
        if (!TARGETS.some((kind) => allowed(actor, kind, path))) expect(t.smtp.received).toHaveLength(0);
      });
    }
  }

  it('a forgotten-password request by anyone mails only the address on file', async () => {
    const { targets } = await world('anonymous');
    // Past the few minutes in which the invited person's link may not be followed by another.
    t.clock.advance(RESET_EVERY_MS);
    for (const kind of ['head', 'taken_over', 'never_activated', 'invited'] as const) {
      const visitor = browser(t.app);
      const token = await fetchCsrfToken(visitor, '/lupa-kata-sandi');
      await visitor.post('/lupa-kata-sandi').type('form').send({ _csrf: token, username: targets[kind].nip });
    }
    await t.smtp.waitFor(4);
    expect(t.smtp.received.map((mail) => mail.to).sort()).toEqual([
      ['aktif@uji.test'],
      ['baru@uji.test'],
      ['diundang@uji.test'],
      ['kepala@uji.test'],
    ]);
  });

  it('an operator cannot take over the head of their unit: the story from the attack, step by step', async () => {
    const { agent, targets } = await world('operator');
    const { head } = targets;
    const { res: edit } = await attempt(agent, 'email', head, ATTACKER_EMAIL);
    expect(edit.status).toBe(422);
    expect(edit.text).toContain('hanya admin yang dapat mengubah emailnya');
    // The refused form shows the address on file in the locked field, so that it can be saved once corrected.
    expect(edit.text).toContain('value="kepala@uji.test"');
    expect(edit.text).not.toContain(`value="${ATTACKER_EMAIL}"`);
    const { res: link } = await attempt(agent, 'password_link', head);
    expect(link.status).toBe(403);
    expect(link.text).toContain('hanya admin yang dapat mengirim tautan kata sandi');
    // Asking for a reset by the head's NIP mails the head's own address, and nobody else.
    const token = await fetchCsrfToken(agent, '/lupa-kata-sandi');
    await agent.post('/lupa-kata-sandi').type('form').send({ _csrf: token, username: head.nip });
    const [mail] = await t.smtp.waitFor(1);
    expect(mail?.to).toEqual(['kepala@uji.test']);
    // The edit page tells the operator why the fields cannot be changed, and offers no link button.
    const page = await agent.get(`/admin/pengguna/${head.id}`);
    expect(page.text).toContain('Hanya admin yang dapat mengubah NIP dan email');
    expect(page.text).not.toContain(`/admin/pengguna/${head.id}/tautan-sandi`);
    expect(page.text).toMatch(/id="email"[^>]*readonly/);
  });

  it('decides a link on the record as it is when the link is made, not as it was loaded', async () => {
    const { agent, targets } = await world('operator');
    const newcomer = targets.never_activated;
    // The page was loaded while the person had no password; they set one a moment before the click.
    await t.services.users.setPassword(newcomer.id, 'hash', false, t.clock.now());
    const { findById } = t.services.users;
    let first = true;
    t.services.users.findById = async (id) => {
      if (id !== newcomer.id || !first) return findById(id);
      first = false;
      return newcomer;
    };
    const { res } = await attempt(agent, 'password_link', newcomer);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Data akun ini baru saja berubah');
    expect(await linksOf(newcomer)).toBe(0);
  });

  it("an admin's change of a taken-over account's email is told to the old address and kills its links", async () => {
    const { agent, targets } = await world('admin');
    const owner = targets.taken_over;
    const token = await fetchCsrfToken(agent, `/admin/pengguna/${owner.id}`);
    await agent.post(`/admin/pengguna/${owner.id}/tautan-sandi`).type('form').send({ _csrf: token });
    expect(await linksOf(owner)).toBe(1);
    const { res } = await attempt(agent, 'email', owner, ATTACKER_EMAIL);
    expect(res.status).toBe(303);
    expect((await fresh(owner)).email).toBe(ATTACKER_EMAIL);
    const unused = await sql<{ n: number }>`SELECT count(*) AS n FROM password_links
      WHERE user_id = ${owner.id} AND used_at IS NULL`.execute(t.db.q);
    expect(unused.rows[0]?.n).toBe(0);
    const [, notice] = await t.smtp.waitFor(2);
    expect(notice?.to).toEqual(['aktif@uji.test']);
    expect(notice?.text).toContain('baru saja mengubah alamat email akun Anda');
    expect(notice?.text).toContain(`Email akun sekarang: ${ATTACKER_EMAIL}`);
    // Someone never told of the account has nothing to be warned about; someone sent an invitation has.
    await attempt(agent, 'email', targets.never_activated);
    await attempt(agent, 'email', targets.invited);
    await eventually(() => t.smtp.received.some((mail) => mail.to[0] === 'diundang@uji.test'));
    expect(t.smtp.received.map((mail) => mail.to[0])).not.toContain('baru@uji.test');
  });

  // The roster import changes emails too (matched by NIP): the same rule, row by row.
  for (const actor of ['admin', 'operator'] as const) {
    it(`${actor} × email by roster import: ${TARGETS.slice(0, 4)
      .map((target) => `${target} ${allowed(actor, target, 'email') ? 'yes' : 'no'}`)
      .join(', ')}`, async () => {
      const { agent, targets } = await world(actor);
      const people = TARGETS.slice(0, 4).map((kind) => ({ kind, user: targets[kind] }));
      const rows = people.map(
        ({ user }) => `${user.nip},${user.fullName},${user.position},BIDANG,${attackerEmail(user)},PNS,`,
      );
      const { id, page } = await previewRoster(
        agent,
        `nip,nama,jabatan,kode_unit,email,jenis,kepala\n${rows.join('\n')}\n`,
      );
      if (people.some(({ kind }) => !allowed(actor, kind, 'email'))) {
        expect(page).toContain('hanya admin yang dapat mengubah emailnya');
      }
      expect((await confirmRoster(agent, id)).status).toBe(303);
      for (const { kind, user } of people) {
        const email = (await fresh(user)).email;
        expect(email, kind).toBe(allowed(actor, kind, 'email') ? attackerEmail(user) : user.email);
      }
      // Owners who were handed a way in are told at their old address when an admin's import changes it.
      if (actor === 'admin') {
        const notices = () => t.smtp.received.filter((mail) => mail.text.includes('baru saja mengubah'));
        await eventually(() => notices().length === 3);
        expect(
          notices()
            .map((mail) => mail.to[0])
            .sort(),
        ).toEqual(['aktif@uji.test', 'diundang@uji.test', 'kepala@uji.test']);
      }
    });
  }
});
