import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/core/paths.js';
import { loggedInAs } from '../helpers/http.js';
import { confirmRoster, previewRoster, rowOf, uploadRoster } from '../helpers/roster.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** A roster as BKN's SIASN exports it (see test/fixtures/README.md), made-up people. */
const SIASN_SAMPLE = readFileSync(projectPath('test', 'fixtures', 'siasn-sample.csv'));

describe('a roster exported from SIASN', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  /** The units the sample names, as a province lists them (no bidang under DISKOMINFO). */
  async function units() {
    const kominfo = await t.make.unit({ code: 'DISKOMINFO', name: 'Dinas Komunikasi dan Informatika' });
    const dinkes = await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan Provinsi Jawa Tengah' });
    return { kominfo, dinkes };
  }

  it('is read as it is: titles composed, kinds mapped, units found by name, other columns listed as ignored', async () => {
    const { kominfo, dinkes } = await units();
    const { agent } = await loggedInAs(t, 'admin');
    const { id, page } = await previewRoster(agent, SIASN_SAMPLE, 'siasn.csv');

    expect(page).toContain('NIP_BARU → nip');
    expect(page).toContain('UNOR_INDUK_NAMA → unit_induk_nama');
    expect(page).toMatch(
      /Kolom yang diabaikan \(5\): PNS_ID, NIP_LAMA, TEMPAT_LAHIR_NAMA, TANGGAL_LAHIR, JENIS_KELAMIN\./,
    );
    expect(rowOf(page, 2)).toContain('Dr. Dewi Anggraini, M.Kom.');
    expect(rowOf(page, 3)).toContain('AHMAD FAUZI, S.Kom');
    expect(rowOf(page, 4)).toContain('Sri Rahayu, S.E., M.M.');
    expect(rowOf(page, 5)).toContain('Unit “Badan Antah Berantah” tidak ditemukan.');

    expect((await confirmRoster(agent, id)).status).toBe(303);
    const dewi = await t.services.users.findByNip('198504122010012003');
    expect(dewi).toMatchObject({
      fullName: 'Dr. Dewi Anggraini, M.Kom.',
      position: 'Kepala Bidang Aplikasi Informatika',
      pangkat: 'Pembina, IV/a',
      email: 'dewi.anggraini@contoh.test',
      employeeType: 'PNS',
      // Her bidang is not a unit here: its parent, named in UNOR_INDUK_NAMA, is.
      unitId: kominfo.id,
    });
    expect(await t.services.users.findByNip('199001012015031001')).toMatchObject({
      fullName: 'AHMAD FAUZI, S.Kom',
      employeeType: 'PNS',
      unitId: kominfo.id,
    });
    expect(await t.services.users.findByNip('198711202019022002')).toMatchObject({
      employeeType: 'PPPK',
      unitId: dinkes.id,
    });
    expect(await t.services.users.findByNip('197203151998031004')).toBeUndefined();
  });

  it('reads the same export saved as XLSX, as SIASN offers it', async () => {
    const { kominfo } = await units();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    for (const row of parse(SIASN_SAMPLE) as string[][]) sheet.addRow(row);
    const { agent } = await loggedInAs(t, 'admin');
    const { id, page } = await previewRoster(
      agent,
      Buffer.from(await workbook.xlsx.writeBuffer()),
      'siasn.xlsx',
    );
    expect(rowOf(page, 2)).toContain('Dr. Dewi Anggraini, M.Kom.');
    expect((await confirmRoster(agent, id)).status).toBe(303);
    expect((await t.services.users.findByNip('199001012015031001'))?.unitId).toBe(kominfo.id);
  });

  it('refuses a name that fits two units, and asks for a unit code instead', async () => {
    await t.make.unit({ code: 'DINKES', name: 'Dinas Kesehatan' });
    await t.make.unit({ code: 'DINKES-2', name: 'DINAS KESEHATAN Provinsi Jawa Tengah' });
    const { agent } = await loggedInAs(t, 'admin');
    const file = 'NIP_BARU,NAMA,UNOR_NAMA\n198711202019022002,Sri Rahayu,Dinas Kesehatan\n';
    const { page } = await previewRoster(agent, file);
    expect(rowOf(page, 2)).toContain('cocok dengan lebih dari satu unit');
  });

  it('still refuses an unknown column in a file that is not a SIASN export', async () => {
    await units();
    const { agent } = await loggedInAs(t, 'admin');
    const res = await uploadRoster(
      agent,
      'nip,nama,kode_unit,tanggal_lahir\n198711202019022002,Sri Rahayu,DINKES,1987\n',
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('tanggal_lahir');
  });

  it('refuses a SIASN export without any column that names the unit', async () => {
    const { agent } = await loggedInAs(t, 'admin');
    const res = await uploadRoster(
      agent,
      'NIP_BARU,NAMA,JABATAN_NAMA\n198711202019022002,Sri Rahayu,Analis\n',
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('kode_unit');
  });
});
