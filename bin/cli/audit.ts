/**
 * `kept audit [--since DATE] [--dept ID] [--format table|json|csv]`: the audit trail, oldest
 * first: who changed a department, an agreement, an admin setting or a penalty, when, and what it
 * was before and after (store/audit.ts). Without `--dept`, every department's trail and Kept's
 * own (tips, digest settings), merged. `--since` is a date (`YYYY-MM-DD`, UTC) or an ISO instant.
 * Bad input is one line on stderr and exit code 2.
 */
import { parseArgs } from 'node:util';
import { parseStoreConfig } from '../../functions/config';
import { changedFields } from '../../functions/domain/audit';
import { findDepartmentByIdOrName } from '../../functions/domain/directory';
import { csvField } from '../../functions/domain/report-format';
import { isLocalDate } from '../../functions/domain/report-period';
import { AUDIT_KEPT, type AuditLine, readAudit } from '../../functions/store/audit';
import { readDirectory } from '../../functions/store/directory';
import { withDb } from './db';
import { type CliIO, EXIT } from './io';

const USAGE = 'usage: kept audit [--since YYYY-MM-DD] [--dept ID] [--format table|json|csv]';
const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

function jsonOf(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // cut short at 20 KB: kept as the text it is
  }
}

function summary(line: AuditLine): string {
  const fields = changedFields(line.before, line.after);
  return fields.length ? `${line.action}: ${fields.join(', ')}` : line.action;
}

export function formatAudit(lines: readonly AuditLine[], format: Format): string {
  if (format === 'json')
    return JSON.stringify(
      lines.map((l) => ({ ...l, before: jsonOf(l.before), after: jsonOf(l.after) })),
      null,
      2,
    );
  if (format === 'csv') {
    const header = ['at', 'by', 'subject', 'id', 'action', 'departments', 'before', 'after'];
    const rows = lines.map((l) =>
      [l.at, l.by, l.subject, l.id, l.action, l.departments.join(' '), l.before ?? '', l.after ?? '']
        .map(csvField)
        .join(','),
    );
    return [header.join(','), ...rows].join('\r\n');
  }
  if (lines.length === 0) return 'No changes recorded in this period.';
  const rows = [
    ['When (UTC)', 'Who', 'What', 'Change'],
    ...lines.map((l) => [l.at.slice(0, 19).replace('T', ' '), l.by, `${l.subject} ${l.id}`, summary(l)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

class Invalid extends Error {}

export async function audit(args: string[], io: CliIO): Promise<number> {
  let since: string | undefined;
  let dept: string | undefined;
  let format: Format;
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: { since: { type: 'string' }, dept: { type: 'string' }, format: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (err) {
      throw new Invalid(`${(err as Error).message.split('\n')[0]}; ${USAGE}`);
    }
    if (values.since !== undefined && !isLocalDate(values.since) && !INSTANT.test(values.since))
      throw new Invalid(`--since "${values.since}" is not a date; write YYYY-MM-DD, e.g. 2026-11-01`);
    since = values.since;
    dept = values.dept?.toLowerCase();
    const f = values.format ?? 'table';
    if (!(FORMATS as readonly string[]).includes(f))
      throw new Invalid(`--format "${f}" is not a format; use table, json or csv`);
    format = f as Format;
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    io.err(`kept audit: ${err.message}`);
    return EXIT.usage;
  }

  const config = parseStoreConfig(io.env); // the database only
  return withDb(config, async (db) => {
    const dir = await readDirectory(db);
    let scopes: string[];
    if (dept !== undefined) {
      const department = findDepartmentByIdOrName(dir, dept);
      if (!department) {
        const known = dir.departments.map((d) => d.id).join(', ');
        io.err(`kept audit: there is no department "${dept}"${known ? `; departments: ${known}` : ''}`);
        return EXIT.usage;
      }
      scopes = [department.id];
    } else scopes = [...dir.departments.map((d) => d.id), AUDIT_KEPT];
    const lines = await readAudit(db, scopes, since ? { since } : {});
    io.out(formatAudit(lines, format));
    return EXIT.ok;
  });
}
