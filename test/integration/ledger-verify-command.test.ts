import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { openDatabase } from '../../src/db/database.js';
import { runLedgerVerify } from '../../src/pledges/verification/verify-command.js';
import { prepareDatabase } from '../../src/startup.js';

describe('npm run ledger:verify', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const output = () => {
    const lines: string[] = [];
    return { lines, out: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } };
  };

  it('passes on the demo database and fails on a copy whose ledger row was edited by hand', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ikrar-ledger-'));
    const path = join(dir, 'ikrar.sqlite');
    const prepared = await prepareDatabase(
      loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path }),
      createLogger('silent'),
    );
    const head = await prepared.services.ledger.head();
    await prepared.db.close();

    const intact = output();
    expect(await runLedgerVerify(loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path }), intact.out)).toBe(0);
    expect(intact.lines.join('\n')).toContain(
      `Buku besar utuh: ${head?.seq} entri, semua tanda tangan cocok. Kepala: #${head?.seq} ${head?.hash}`,
    );

    const copy = join(dir, 'salinan.sqlite');
    copyFileSync(path, copy);
    const db = openDatabase(copy);
    await sql`DROP TRIGGER ledger_no_update`.execute(db.q);
    // Entry 7 made to say it records a void (the demo's first entries are signings on paper).
    await sql`UPDATE ledger SET payload = replace(replace(payload, '"kind":"sign"', '"kind":"void"'),
                                                  '"kind":"paper"', '"kind":"void"') WHERE seq = 7`.execute(
      db.q,
    );
    await db.close();

    const broken = output();
    expect(await runLedgerVerify(loadConfig({ NODE_ENV: 'test', DATABASE_PATH: copy }), broken.out)).toBe(1);
    expect(broken.lines.join('\n')).toContain(
      'Buku besar RUSAK mulai entri #7: hash tidak cocok dengan isi entri',
    );
  });
});
