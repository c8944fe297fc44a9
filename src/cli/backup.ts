import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { backupDatabase } from '../db/backup.js';

// `npm run backup [-- <file>]`: an online copy of DATABASE_PATH, safe while the app runs. Without a file name the
// copy goes to backups/ beside the database, named after the time (UTC). Exit 0: copied and checked; 1: not.
const { databasePath } = loadConfig({ ...process.env, IKRAR_DEMO: '0' });
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
const target = process.argv[2] ?? join(databasePath, '..', 'backups', `ikrar-${stamp}.sqlite`);

const MESSAGES = {
  no_source: `Basis data tidak ditemukan: ${databasePath}`,
  target_exists: `Berkas tujuan sudah ada, tidak ditimpa: ${target}`,
  corrupt_copy: `Salinan gagal diperiksa (integrity_check), jangan dipakai: ${target}`,
};

const outcome = await backupDatabase(databasePath, target);
if (outcome.ok) {
  console.log(
    `Cadangan tersimpan: ${target} (${(outcome.bytes / 1024 / 1024).toFixed(1)} MB, diperiksa utuh)`,
  );
} else {
  console.error(`${MESSAGES[outcome.problem]}${outcome.detail ? ` (${outcome.detail})` : ''}`);
  process.exitCode = 1;
}
