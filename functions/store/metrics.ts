/**
 * Front-line departments' weekly customer figures (NPS, satisfaction, churn, complaints: any named
 * metric), one partition per department: `METRIC#<department>` / `<metric>#<week>`. A week's value
 * is put whole, so pushing or importing the same week again replaces it (the last one counts) and
 * the same push twice leaves one value. A report reads a department's figures with one Query.
 */

import type { Directory } from '../domain/directory';
import { buildLoyalty, type Loyalty, type MetricValue, servingAgreements, weeksUpTo } from '../domain/loyalty';
import { mondayOfWeek } from '../domain/weeks';
import type { Db } from './client';
import { PutCommand } from './commands';
import { readDays } from './stats';
import { queryAll } from './transact';

export const metricPk = (department: string) => `METRIC#${department}`;
export const metricSk = (metric: string, week: string) => `${metric}#${week}`;

/** Saves one week's value of a metric, replacing any value that week had. */
export async function putMetric(db: Db, v: MetricValue, who: { by: string; at: string }): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        pk: metricPk(v.department),
        sk: metricSk(v.metric, v.week),
        department: v.department,
        metric: v.metric,
        week: v.week,
        value: v.value,
        updatedAt: who.at,
        updatedBy: who.by,
      },
    }),
  );
}

/** Every weekly value of a department's metrics (or of the weeks `from`..`to`), by metric then week. */
export async function readMetrics(
  db: Db,
  department: string,
  weeks?: { from: string; to: string },
): Promise<MetricValue[]> {
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': metricPk(department) },
  });
  return items
    .filter((i) => typeof i.metric === 'string' && typeof i.week === 'string' && typeof i.value === 'number')
    .map((i) => ({ department, metric: String(i.metric), week: String(i.week), value: Number(i.value) }))
    .filter((v) => !weeks || (v.week >= weeks.from && v.week <= weeks.to));
}

/**
 * The customer loyalty section of a front-line department's report: its metric values over the
 * weeks up to `lastDay` (a local date) beside the weekly compliance of the agreements that serve
 * it. One Query for the metrics; when there are any, one per provider. Undefined when the
 * department has no metric values in those weeks.
 */
export async function readLoyalty(
  db: Db,
  dir: Directory,
  department: { id: string; servesCustomersThrough?: readonly string[] },
  lastDay: string,
): Promise<Loyalty | undefined> {
  const weeks = weeksUpTo(lastDay);
  const values = await readMetrics(db, department.id, { from: weeks[0]!, to: weeks.at(-1)! });
  if (values.length === 0) return undefined;
  const declared = department.servesCustomersThrough;
  const agreements = servingAgreements(dir.agreements, department.id, declared);
  const providers = [
    ...new Set(agreements.map((a) => (a.active ?? a.pending)?.provider).filter((p): p is string => !!p)),
  ];
  // The providers' local dates from the Monday of the first week to the report's last day.
  const from = new Date(mondayOfWeek(weeks[0]!)!).toISOString().slice(0, 10);
  const read = await Promise.all(
    providers.map(async (p) => ({ department: p, days: (await readDays(db, p, from, lastDay)).days })),
  );
  return buildLoyalty({
    department: department.id,
    weeks,
    agreements: dir.agreements,
    ...(declared ? { declared } : {}),
    providers: read,
    values,
  });
}
