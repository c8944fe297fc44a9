import { join, resolve } from 'node:path';
import { loadConfig } from '../core/config.js';
import { backupDatabase } from '../db/backup.js';
import { backupPostgres } from '../db/backup-postgres.js';
import { databaseLabel } from '../db/database.js';

// `npm run backup [-- <file>]`: an online copy of the database (DATABASE_PATH's file, or PostgreSQL's at DATABASE_URL
// as a pg_dump archive), safe while the app runs (needs a built app, as
// `npm start` leaves it; it does not build, so as not to rewrite dist/ under a running app). Without a file name
// the copy goes to backups/ beside the database, named after the time (UTC). Exit 0: copied and checked; 1: not.
const argument = process.argv[2];
if (argument?.startsWith('-')) {
  console.error(
    'Pemakaian: npm run backup [-- berkas-tujuan.sqlite]  (tanpa berkas: backups/ di samping basis data)',
  );
  process.exit(argument === '--help' || argument === '-h' ? 0 : 1);
}
const config = loadConfig({ ...process.env, IKRAR_DEMO: '0' });
const { databasePath, databaseUrl } = config;
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
// npm runs scripts from the project folder; a file named on the command line means the caller's folder. PostgreSQL's
// dumps go to backups/ in the project folder unless named.
const target = argument
  ? resolve(process.env.INIT_CWD ?? process.cwd(), argument)
  : databaseUrl
    ? join('backups', `ikrar-${stamp}.dump`)
    : join(databasePath, '..', 'backups', `ikrar-${stamp}.sqlite`);
const source = databaseUrl ? databaseLabel(config) : databasePath;

const MESSAGES = {
  no_source: `Basis data tidak ditemukan atau tidak dapat dihubungi: ${source}`,
  not_owner: `Jalankan sebagai pemilik berkas basis data (${databasePath}), pengguna yang menjalankan aplikasi`,
  target_exists: `Berkas tujuan sudah ada, tidak ditimpa: ${target}`,
  cannot_write: `Cadangan tidak dapat ditulis ke ${target}`,
  corrupt_copy: 'Salinan gagal diperiksa (integrity_check) dan dihapus',
};

const outcome = databaseUrl
  ? await backupPostgres({ databaseUrl, databaseSchema: config.databaseSchema }, target)
  : await backupDatabase(databasePath, target);
if (outcome.ok) {
  console.log(
    `Cadangan tersimpan: ${target} (${(outcome.bytes / 1024 / 1024).toFixed(1)} MB, diperiksa utuh)`,
  );
} else {
  console.error(`${MESSAGES[outcome.problem]}${outcome.detail ? ` (${outcome.detail})` : ''}`);
  process.exitCode = 1;
}
