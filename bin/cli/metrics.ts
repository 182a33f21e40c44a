/**
 * `kept metrics push --dept ID --metric NAME --week YYYY-Www --value N` (one figure, e.g. from a
 * pipeline) and `kept metrics import FILE.csv` (header week,department,metric,value): front-line
 * departments' weekly customer figures, shown beside the compliance of what they receive in
 * `kept report --side customer` and `/sla report customer`. A week given again replaces its value.
 * Bad input is one line per problem on stderr, exit code 2, and nothing written.
 */
import { parseArgs } from 'node:util';
import { parseStoreConfig } from '../../functions/config';
import { checkMetricEntries, type MetricValue } from '../../functions/domain/loyalty';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { putMetric, readMetrics } from '../../functions/store/metrics';
import { withDb } from './db';
import { type CliIO, EXIT } from './io';

const USAGE =
  'usage: kept metrics push --dept ID --metric NAME --week YYYY-Www --value N | kept metrics import FILE.csv';
const CSV_HEAD = ['week', 'department', 'metric', 'value'] as const;

class Invalid extends Error {}

const who = (env: CliIO['env']) => `cli:${(env.USER ?? env.USERNAME ?? '').trim() || 'kept metrics'}`;

/** A number as written (`41`, `-3.5`), or the text itself so the check names it. */
const numberOf = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text);

/** The CSV's rows as entries (no quoting: names, weeks and numbers hold no commas), or why not. */
function csvEntries(text: string, file: string): Record<string, unknown>[] {
  const lines = text.split(/\r?\n/);
  const head = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  if (head.length !== CSV_HEAD.length || CSV_HEAD.some((h) => !head.includes(h)))
    throw new Invalid(
      `${file} row 1: the header must be ${CSV_HEAD.join(',')} (in any order), not "${lines[0] ?? ''}"`,
    );
  const entries: Record<string, unknown>[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length !== head.length)
      throw new Invalid(`${file} row ${i + 2}: has ${cells.length} values; give ${CSV_HEAD.join(',')}`);
    const entry: Record<string, unknown> = {};
    for (const [j, h] of head.entries()) entry[h] = h === 'value' ? numberOf(cells[j]!) : cells[j];
    entries.push({ ...entry, row: i + 2 });
  });
  if (entries.length === 0) throw new Invalid(`${file} has no rows after its header; nothing to import`);
  return entries;
}

async function save(db: Db, values: readonly MetricValue[], env: CliIO['env']): Promise<number> {
  const at = new Date().toISOString();
  const by = who(env);
  let replaced = 0;
  const kept = new Map<string, number>();
  for (const dept of new Set(values.map((v) => v.department)))
    for (const v of await readMetrics(db, dept)) kept.set(`${v.department}|${v.metric}|${v.week}`, v.value);
  for (const v of values) {
    const before = kept.get(`${v.department}|${v.metric}|${v.week}`);
    if (before === v.value) continue;
    if (before !== undefined) replaced++;
    await putMetric(db, v, { by, at });
  }
  return replaced;
}

export async function metrics(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  let entries: Record<string, unknown>[];
  let source: string;
  try {
    if (sub === 'push') {
      let values;
      try {
        ({ values } = parseArgs({
          args: rest,
          options: {
            dept: { type: 'string' },
            metric: { type: 'string' },
            week: { type: 'string' },
            value: { type: 'string' },
          },
          strict: true,
          allowPositionals: false,
        }));
      } catch (err) {
        throw new Invalid(`${(err as Error).message.split('\n')[0]}; ${USAGE}`);
      }
      for (const name of ['dept', 'metric', 'week', 'value'] as const)
        if (values[name] === undefined) throw new Invalid(`--${name} is required; ${USAGE}`);
      entries = [
        {
          department: values.dept!.toLowerCase(),
          metric: values.metric,
          week: values.week,
          value: numberOf(values.value!),
        },
      ];
      source = 'push';
    } else if (sub === 'import') {
      if (rest.length !== 1) throw new Invalid(`give one CSV file; ${USAGE}`);
      source = rest[0]!;
      let text: string;
      try {
        text = await io.readFile(source);
      } catch (err) {
        throw new Invalid(`cannot read ${source}: ${(err as Error).message.split('\n')[0]}`);
      }
      entries = csvEntries(text, source);
    } else throw new Invalid(sub === undefined ? USAGE : `"${sub}" is not a metrics command; ${USAGE}`);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    io.err(`kept metrics: ${err.message}`);
    return EXIT.usage;
  }

  return withDb(parseStoreConfig(io.env), async (db) => {
    const dir = await readDirectory(db);
    const rows = entries.map((e) => e.row as number | undefined);
    const checked = checkMetricEntries(
      entries.map(({ row: _row, ...e }) => e),
      dir.departments.map((d) => d.id),
      (i) => `row ${rows[i]}`,
    );
    if (!checked.ok) {
      for (const issue of checked.error) {
        const [i, field] = issue.path as [number, string | undefined];
        const where =
          source === 'push' ? `--${field === 'department' ? 'dept' : (field ?? 'value')}` : `${source} row ${rows[i]}`;
        io.err(`kept metrics: ${where}: ${issue.message}`);
      }
      if (source !== 'push') io.err(`kept metrics: nothing was imported from ${source}.`);
      return EXIT.usage;
    }
    const replaced = await save(db, checked.value, io.env);
    if (source === 'push') {
      const v = checked.value[0]!;
      io.out(
        `${v.department} ${v.metric} ${v.week}: ${v.value} saved${replaced ? ' (it replaces the earlier value)' : ''}.`,
      );
    } else {
      const n = checked.value.length;
      io.out(
        `${source}: ${n} weekly figure${n === 1 ? '' : 's'} saved${replaced ? `; ${replaced} replaced earlier values` : ''}.`,
      );
    }
    return EXIT.ok;
  });
}
