/**
 * `kept statement --dept ID --month YYYY-MM [--format text|json]`: the monthly penalty statements
 * of every agreement a department provides and of every one it receives (of an agreement for every
 * department: its own breaches), read from the ledger as the heads' monthly DM shows them. Reads
 * only. Bad input (an unknown department, a month that is not YYYY-MM) is one line on stderr and
 * exit code 2.
 */
import { parseArgs } from 'node:util';
import { parseStoreConfig } from '../../functions/config';
import { findDepartment, findDepartmentByIdOrName } from '../../functions/domain/directory';
import { isMonth } from '../../functions/domain/statement';
import { statementText } from '../../functions/domain/statement-format';
import { readDepartmentStatements } from '../../functions/services/statements';
import { readDirectory } from '../../functions/store/directory';
import { withDb } from './db';
import { type CliIO, EXIT } from './io';

const USAGE = 'usage: kept statement --dept ID --month YYYY-MM [--format text|json]';
const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

export async function statement(args: string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { dept: { type: 'string' }, month: { type: 'string' }, format: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`kept statement: ${(err as Error).message.split('\n')[0]}; ${USAGE}`);
    return EXIT.usage;
  }
  if (values.dept === undefined) {
    io.err(`kept statement: --dept is required; ${USAGE}`);
    return EXIT.usage;
  }
  if (values.month === undefined) {
    io.err(`kept statement: --month is required; ${USAGE}`);
    return EXIT.usage;
  }
  if (!isMonth(values.month)) {
    io.err(`kept statement: --month "${values.month}" is not a month; write YYYY-MM, e.g. 2026-10`);
    return EXIT.usage;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) {
    io.err(`kept statement: --format "${values.format}" is not a format; use text or json`);
    return EXIT.usage;
  }
  const month = values.month;
  const wanted = values.dept;
  const config = parseStoreConfig(io.env); // the database only: a statement never talks to Slack
  return withDb(config, async (db) => {
    const dir = await readDirectory(db);
    const department = findDepartmentByIdOrName(dir, wanted);
    if (!department) {
      const known = dir.departments.map((d) => d.id).join(', ');
      io.err(
        `kept statement: there is no department "${wanted}"; ${known ? `departments: ${known}` : 'import some first with `kept import FILE.yaml`'}`,
      );
      return EXIT.usage;
    }
    const statements = await readDepartmentStatements(db, dir, department.id, month);
    if (format === 'json') {
      io.out(JSON.stringify(statements, null, 2));
      return EXIT.ok;
    }
    const names = (id: string) => findDepartment(dir, id)?.name ?? id;
    const blocks = [
      `${department.name}: penalty statements of ${month}`,
      '',
      `Provides (${statements.provides.length})`,
      ...(statements.provides.length ? statements.provides.map((s) => statementText(s, names)) : ['  none']),
      '',
      `Receives (${statements.receives.length})`,
      ...(statements.receives.length ? statements.receives.map((s) => statementText(s, names)) : ['  none']),
    ];
    io.out(blocks.join('\n'));
    return EXIT.ok;
  });
}
