import { loadConfig } from '../core/config.js';
import { runLedgerVerify } from '../pledges/verification/verify-command.js';

// Checks the signature ledger of the configured database (DATABASE_URL, else DATABASE_PATH, as the app would open
// it). Exit 0: intact; 1: broken.
process.exitCode = await runLedgerVerify(loadConfig({ ...process.env, IKRAR_DEMO: '0' }), console);
