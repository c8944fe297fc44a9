import { parseArgs } from 'node:util';
import { systemActor } from '../audit/record-event.js';
import { ConfigError, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { createAdmin } from '../directory/users/create-admin.js';
import { prepareDatabase } from '../startup.js';
import { readSecret } from './read-secret.js';

const USAGE = `Membuat akun admin pertama untuk instalasi nyata.

Pemakaian:
  npm run create-admin -- --email admin@jatengprov.go.id --name "Nama Lengkap"

Kata sandi diminta tanpa ditampilkan, atau diambil dari variabel lingkungan IKRAR_ADMIN_PASSWORD
(untuk otomasi). Basis data diambil dari DATABASE_PATH seperti aplikasi.`;

const PROBLEMS: Record<string, string> = {
  invalid_email: 'Alamat email tidak sah.',
  invalid_name: 'Nama lengkap harus 3–150 karakter dan tanpa karakter kendali.',
  email_taken: 'Email itu sudah dipakai akun lain.',
  too_short: 'Kata sandi minimal 10 karakter.',
  too_long: 'Kata sandi maksimal 128 karakter.',
  too_common: 'Kata sandi terlalu umum; pilih yang lain.',
  contains_identity: 'Kata sandi tidak boleh memuat nama atau email.',
  same_as_current: 'Kata sandi harus berbeda.',
  unchecked: 'Kata sandi belum dapat diperiksa; coba lagi.',
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.email || !values.name) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig({ ...process.env, IKRAR_DEMO: '0' });
  const { db, services } = await prepareDatabase(config, createLogger('warn'));
  try {
    let password = process.env.IKRAR_ADMIN_PASSWORD;
    if (!password) {
      password = await readSecret('Kata sandi admin: ');
      if ((await readSecret('Ulangi kata sandi: ')) !== password) {
        console.error('Kedua kata sandi tidak sama. Tidak ada yang dibuat.');
        return 1;
      }
    }
    const result = await createAdmin(services, {
      email: values.email,
      fullName: values.name,
      password,
      actor: systemActor,
    });
    if (!result.ok) {
      console.error(`${PROBLEMS[result.problem] ?? result.problem} Tidak ada yang dibuat.`);
      return 1;
    }
    console.log(
      `Admin ${values.email.trim().toLowerCase()} dibuat di ${config.databasePath}. Silakan masuk di ${config.baseUrl}/masuk`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Gagal: ${(err as Error).message}`);
    process.exit(1);
  },
);
