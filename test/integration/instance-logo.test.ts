import sharp from 'sharp';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, browser, fetchCsrfToken, loggedInAdmin, loggedInAs } from '../helpers/http.js';
import { binaryParser, makePact, postForm, signAs } from '../helpers/pacts.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const INSTANCE = {
  name: 'Pemerintah Provinsi Jawa Tengah',
  short_name: 'Ikrar Jateng',
  address: 'Jalan Pahlawan No. 9 Semarang 50243',
  email: '',
  phone: '(024) 8311282',
  place: 'Semarang',
  activation_days: '14',
  official_title: '',
  official_name: '',
  official_nip: '',
};
type Fields = Record<string, string>;
interface Upload {
  bytes: Buffer;
  name: string;
}

/** A red PNG of 1000 × 400 pixels carrying an EXIF copyright (metadata an upload must not keep). */
const photoPng = () =>
  sharp({ create: { width: 1000, height: 400, channels: 4, background: { r: 200, g: 16, b: 46, alpha: 1 } } })
    .withExif({ IFD0: { Copyright: 'Kamera Rahasia' } })
    .png()
    .toBuffer();

const HOSTILE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 100" onload="alert('onload')">
  <script>alert('script')</script>
  <defs><linearGradient id="merah"><stop offset="0" stop-color="#c8102e"/></linearGradient></defs>
  <a xlink:href="javascript:alert('link')"><rect id="perisai" width="200" height="100" fill="url(#merah)"/></a>
  <a href="&#106;avascript:alert('entity')"><circle cx="50" cy="50" r="20" style="fill:#0b4f8a;background:url(https://pelacak.example/p.png)"/></a>
  <use href="https://pelacak.example/ikon.svg#x"/>
  <use xlink:href="#perisai" x="10"/>
  <image href="https://pelacak.example/foto.png" width="10" height="10"/>
  <foreignObject width="200" height="100"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://pelacak.example/"></iframe>teks asing</div></foreignObject>
  <set attributeName="href" to="javascript:alert('set')"/>
  <path d="M10 10 L190 90" stroke="#ffffff" stroke-width="4" onclick="alert('click')"/>
</svg>`;

describe('the instance logo', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  /** The settings form's action: the multipart form carries its CSRF token in the query string. */
  async function formAction(agent: Agent): Promise<string> {
    const page = await agent.get('/admin/pengaturan');
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.text)?.[1];
    if (!action) throw new Error('no multipart settings form on the page');
    return action.replace(/&amp;/g, '&');
  }

  /** Sends the settings form as a browser does: the text fields, then the logo field (last on the page). */
  async function save(agent: Agent, fields: Fields = {}, logo?: Upload) {
    let req = agent.post(await formAction(agent));
    for (const [name, value] of Object.entries({ ...INSTANCE, ...fields })) req = req.field(name, value);
    return logo ? req.attach('logo', logo.bytes, logo.name) : req;
  }

  const headerLogo = async () => {
    const home = await request(t.app).get('/');
    return /<a class="navbar-brand[^>]*>\s*<img src="([^"]+)"( alt="[^"]*")?/.exec(home.text);
  };
  const fetchLogo = (path: string) => request(t.app).get(path).buffer(true).parse(binaryParser);
  const logoEvents = async () =>
    (await t.services.audit.recent(50)).filter(
      (e) => e.action === 'settings.updated' && (e.details.fields as string[]).includes('logo'),
    );

  it('shows an uploaded PNG in the header, serves it re-encoded at most 512 px wide, and audits the change', async () => {
    const { admin, agent } = await loggedInAdmin(t);
    const res = await save(agent, {}, { bytes: await photoPng(), name: 'logo-jateng.png' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/pengaturan');

    const [, src, alt] = (await headerLogo()) ?? [];
    expect(src).toMatch(/^\/logo\/[0-9a-f]{16}\.png$/);
    expect(alt).toBe(` alt="${INSTANCE.name}"`);

    const served = await fetchLogo(src as string);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const png = served.body as Buffer;
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 205]);
    expect(meta.exif).toBeUndefined();
    expect(png.includes('Kamera Rahasia')).toBe(false);
    // Another address (an older or made-up hash) is not the logo.
    expect((await fetchLogo('/logo/0000000000000000.png')).status).toBe(404);

    // Saved with the rest of the form (this instance's name, address… were still the defaults).
    const [event] = await logoEvents();
    expect(event).toMatchObject({ actorUserId: admin.id });
    expect(event?.details.fields).toEqual(['name', 'shortName', 'address', 'phone', 'place', 'logo']);
    expect(event?.details).toMatchObject({
      from: { logo: null },
      to: { logo: { mime: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
    const log = await agent.get('/admin/audit');
    expect(log.text).toContain('Mengubah pengaturan instansi');
    expect(log.text).toContain('Isian yang diubah: name, shortName, address, phone, place, logo');
  });

  it('serves an uploaded SVG without its scripts, handlers, foreign objects or outside references', async () => {
    const { agent } = await loggedInAdmin(t);
    expect((await save(agent, {}, { bytes: Buffer.from(HOSTILE_SVG), name: 'logo.svg' })).status).toBe(303);
    const [, src] = (await headerLogo()) ?? [];
    expect(src).toMatch(/^\/logo\/[0-9a-f]{16}\.svg$/);

    const served = await fetchLogo(src as string);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/svg+xml');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const svg = (served.body as Buffer).toString('utf8');
    for (const gone of ['<script', 'alert', 'onload', 'onclick', 'javascript:', 'foreignObject', 'iframe']) {
      expect(svg).not.toContain(gone);
    }
    expect(svg).not.toContain('pelacak.example');
    expect(svg).not.toContain('teks asing');
    // The drawing itself stays: the shapes, the local gradient and the local <use>.
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('viewBox="0 0 200 100"');
    expect(svg).toContain('<rect id="perisai" width="200" height="100" fill="url(#merah)">');
    expect(svg).toContain('style="fill:#0b4f8a"');
    expect(svg).toContain('<use xlink:href="#perisai" x="10">');
    expect(svg).toContain('<path d="M10 10 L190 90" stroke="#ffffff" stroke-width="4">');
    // It still draws, as the PNG that letterheads use.
    const printed = await t.services.settings.logo();
    expect((await sharp(printed?.printPng).metadata()).width).toBe(512);
  });

  it.each([
    [
      'a JPEG named .png',
      async () =>
        sharp({ create: { width: 200, height: 80, channels: 3, background: '#ffffff' } })
          .jpeg()
          .toBuffer(),
      'logo.png',
      422,
      'Logo harus berupa berkas PNG atau SVG',
    ],
    [
      'a text file named .svg',
      async () => Buffer.from('Logo Pemprov Jateng\n'),
      'logo.svg',
      422,
      'Logo harus berupa berkas PNG atau SVG',
    ],
    [
      'a PNG cut short',
      async () => (await photoPng()).subarray(0, 300),
      'logo.png',
      422,
      'Logo tidak dapat dibaca',
    ],
    [
      'a 2 MB file',
      async () => Buffer.concat([(await photoPng()).subarray(0, 8), Buffer.alloc(2 * 1024 * 1024)]),
      'logo.png',
      413,
      'Logo terlalu besar: paling besar 1 MB',
    ],
  ])(
    'refuses %s with a message beside the field, keeps what was typed and stores nothing',
    async (_what, bytes, name, status, message) => {
      const { agent } = await loggedInAdmin(t);
      const res = await save(
        agent,
        { name: 'Pemerintah Kabupaten Pemalang' },
        { bytes: await bytes(), name },
      );
      expect(res.status).toBe(status);
      expect(res.text).toContain(`<div id="logo-error" class="invalid-feedback d-block">${message}`);
      expect(res.text).toMatch(/<a href="#logo" class="alert-link">Logo/);
      expect(res.text).toMatch(/name="name"\s+type="text" value="Pemerintah Kabupaten Pemalang"/);
      expect(res.text).toContain('value="Jalan Pahlawan No. 9 Semarang 50243"');

      expect(await t.services.settings.logo()).toBeUndefined();
      expect(await t.services.settings.get('instance.name')).toBeUndefined();
      expect(await logoEvents()).toEqual([]);
      expect((await headerLogo())?.[1]).toMatch(/^\/static\/img\/ikrar\.[0-9a-f]+\.svg$/);
    },
  );

  it('stores no logo while another field is wrong, and asks for the file again', async () => {
    const { agent } = await loggedInAdmin(t);
    const res = await save(agent, { email: 'bukan-email' }, { bytes: await photoPng(), name: 'logo.png' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Pilih berkas logo lagi: logo belum disimpan karena isian lain belum benar');
    expect(await t.services.settings.logo()).toBeUndefined();
  });

  it('refuses an operator the settings page and the upload', async () => {
    const unit = await t.make.unit();
    const { agent } = await loggedInAs(t, 'operator', { unitId: unit.id });
    expect((await agent.get('/admin/pengaturan')).status).toBe(403);
    const token = await fetchCsrfToken(agent, '/akun');
    const res = await agent
      .post(`/admin/pengaturan?_csrf=${encodeURIComponent(token)}`)
      .field('name', 'Operator Berkuasa')
      .field('short_name', 'Op')
      .attach('logo', await photoPng(), 'logo.png');
    expect(res.status).toBe(403);
    expect(await t.services.settings.logo()).toBeUndefined();
    expect(await logoEvents()).toEqual([]);
  });

  it('keeps the logo through other changes, and goes back to the default shield when it is removed', async () => {
    const { agent } = await loggedInAdmin(t);
    await save(agent, {}, { bytes: await photoPng(), name: 'logo.png' });
    const [, src] = (await headerLogo()) ?? [];
    // A save without a file (here the form as it was before the logo existed) keeps the logo.
    const plain = { ...INSTANCE, phone: '(024) 8311174' };
    expect((await postForm(agent, '/admin/pengaturan', '/admin/pengaturan', plain)).status).toBe(303);
    expect((await headerLogo())?.[1]).toBe(src);
    const settings = await agent.get('/admin/pengaturan');
    expect(settings.text).toContain(`<img src="${src}" alt="Logo instansi yang sekarang dipakai"`);
    expect(settings.text).toContain('Hapus logo (kembali ke perisai bawaan)');

    expect((await save(agent, { phone: plain.phone, remove_logo: '1' })).status).toBe(303);
    const [, after, alt] = (await headerLogo()) ?? [];
    expect(after).toMatch(/^\/static\/img\/ikrar\.[0-9a-f]+\.svg$/);
    expect(alt).toBe(' alt=""');
    expect((await fetchLogo(src as string)).status).toBe(404);
    expect((await logoEvents())[0]?.details).toMatchObject({ fields: ['logo'], to: { logo: null } });
    expect(await logoEvents()).toHaveLength(2);
  });

  it('draws the logo in the letterhead of a receipt PDF', async () => {
    const unit = await t.make.unit();
    const signer = await loggedInAs(t, 'signer', { unitId: unit.id });
    const pact = await makePact(t.services);
    const code = await signAs(t.services, pact, signer.user);
    const images = async () => {
      const res = await signer.agent.get(`/tanda-terima/${code}.pdf`).buffer(true).parse(binaryParser);
      expect(res.status).toBe(200);
      // pdfkit writes uncompressed object dictionaries: each embedded picture is one of these.
      return [...(res.body as Buffer).toString('latin1').matchAll(/<<[^>]*\/Subtype \/Image[^>]*>>/g)].map(
        (m) => m[0],
      );
    };
    /** The logo as it was stored: 512 × 205 pixels, flattened on white (no soft mask). */
    const isLogo = (image: string) => /\/Width 512\s+\/Height 205\b/.test(image) && !image.includes('/SMask');
    const before = await images();
    expect(before.filter(isLogo)).toEqual([]);

    const { agent } = await loggedInAdmin(t);
    await save(agent, {}, { bytes: await photoPng(), name: 'logo.png' });
    const after = await images();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter(isLogo)).toHaveLength(1);
  });
});

describe('an instance without a logo', () => {
  it('answers /logo/… with the 404 page', async () => {
    const t = await createTestApp();
    try {
      const res = await browser(t.app).get('/logo/0123456789abcdef.svg');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    } finally {
      await t.close();
    }
  });
});
