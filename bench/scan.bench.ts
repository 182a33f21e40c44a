/**
 * (e) The scan with many open requests of which few are due. DynamoDB Local in memory, a 24x7
 * provider; N open requests filed over the last hours whose next check lies in the future, and 50
 * whose targets have been missed. One scan run records the 50 requests' breaches. Measured: the
 * DynamoDB calls and the items the scan reads (Query/Get results, counted by a middleware on the
 * client), and the time, for N = 1,000 and N = 100,000: the reads must follow the 50, not N.
 * Seeding writes the request items directly (BatchWriteItem), built by the real domain and store
 * code (fileRequest, requestItem), since the transactional path would take an hour for 100,000.
 * Then the same with a three-step escalation ladder on the agreement: the open requests were filed
 * in the last 50 minutes (no step due yet) and the 50 due ones 5 hours ago, each with its three
 * steps due; one run sends the 150 steps.
 */

import { compileCalendar } from '../functions/domain/calendar';
import { fileRequest, requestId } from '../functions/domain/request';
import { runScan } from '../functions/jobs/scan';
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createDb, type Db } from '../functions/store/client';
import { readDirectory } from '../functions/store/directory';
import { ensureTable } from '../functions/store/table';
import { importCompany } from '../tests/support/company';
import { round } from './stats';
import { announcedRequestItem, batchWrite } from './support';
import type { Bench, BenchResult } from './types';

const DUE = 50;
const SIZES = [1_000, 100_000];
/** Issue #22: a due request's breaches cost at most 4 calls; a ladder's steps are each their own change (#18: 10). */
const CALL_BUDGET_PER_DUE = 4;
const LADDER_CALL_BUDGET_PER_DUE = 10;
const NOW = Date.parse('2026-11-25T12:00:00Z');

/** Three steps, all due 5 hours after filing (P2: response 8h, resolution 40h). */
const LADDER = [
  { unacknowledged_for: '1h', notify: 'provider_heads' },
  { at: 0.5, target: 'response', notify: 'assignee' },
  { at: 0.1, target: 'resolution', notify: 'channel' },
];

const COMPANY = {
  departments: [
    {
      id: 'ops',
      name: 'Operations',
      heads: ['U0OPSHEAD1'],
      members: ['U0OPSMEM01'],
      channel: 'C0OPSQUEUE',
      prefix: 'OPS',
      calendar: { timezone: 'UTC' },
    },
    {
      id: 'sales',
      name: 'Sales',
      heads: ['U0SALHEAD1'],
      members: ['U0SALMEM01'],
      channel: 'C0SALQUEUE',
      calendar: { timezone: 'UTC' },
    },
  ],
  agreements: [
    {
      id: 'ops-for-sales',
      provider: 'ops',
      customer: 'sales',
      service: 'Demo environments',
      targets: { P2: { response: '8h', resolution: '40h' } },
      penalty: { unit: 'points', per_breach: 10 },
    },
  ],
};

async function seed(db: Db, open: number, ladder: boolean): Promise<void> {
  const company = ladder
    ? { ...COMPANY, agreements: COMPANY.agreements.map((a) => ({ ...a, escalation: LADDER })) }
    : COMPANY;
  await importCompany(db, company, '2026-11-01T00:00:00Z');
  const agreement = (await readDirectory(db)).agreements[0]!.active!;
  const calendar = compileCalendar({ timezone: 'UTC' });
  const items: Record<string, unknown>[] = [];
  for (let i = 1; i <= open + DUE; i++) {
    // The first DUE requests were filed 2 days ago (both targets missed); the rest in the last 4 hours.
    // With the ladder: the DUE requests 5 hours ago (three steps due, no target missed); the rest in the last 50 minutes.
    const at = ladder
      ? i <= DUE
        ? NOW - 5 * 3_600_000 - i * 1000
        : NOW - ((i * 7919) % (50 * 60_000))
      : i <= DUE
        ? NOW - 2 * 86_400_000 - i * 1000
        : NOW - ((i * 7919) % (4 * 3_600_000));
    const filed = fileRequest({
      id: requestId('OPS', i),
      number: i,
      agreement,
      customer: 'sales',
      priority: 'P2',
      title: `Request ${i}`,
      description: '',
      requester: 'U0SALMEM01',
      at,
      calendar,
    });
    if (!filed.ok) throw new Error(filed.error);
    items.push(announcedRequestItem(filed.value.request));
  }
  await batchWrite(db, items, (i) => {
    if (i % 10_000 === 0) process.stderr.write(`  seeded ${i} of ${items.length}\r`);
  });
  process.stderr.write('\n');
}

async function measure(open: number, ladder = false): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal();
  const db = createDb({ table: 'kept-scan-bench', endpoint: dynamo.endpoint });
  try {
    await ensureTable(db);
    await seed(db, open, ladder);
    let calls = 0;
    let itemsRead = 0;
    db.raw.middlewareStack.add(
      (next) => async (args) => {
        calls++;
        const out = await next(args);
        const o = out.output as { Count?: number; Item?: unknown };
        itemsRead += o.Count ?? (o.Item ? 1 : 0);
        return out;
      },
      { step: 'initialize', name: 'countCalls' },
    );
    const start = performance.now();
    const result = await runScan({ db }, new Date(NOW));
    const ms = performance.now() - start;
    if (ladder && (result.escalations !== LADDER.length * DUE || result.breaches !== 0))
      throw new Error(`expected ${LADDER.length * DUE} steps and no breach, got ${JSON.stringify(result)}`);
    if (!ladder && result.breaches !== 2 * DUE) throw new Error(`expected ${2 * DUE} breaches, got ${result.breaches}`);
    const perDue = ladder ? LADDER_CALL_BUDGET_PER_DUE : CALL_BUDGET_PER_DUE;
    const label = `${open >= 1000 ? `${open / 1000}k` : String(open)}${ladder ? '_ladder' : ''}`;
    return [
      {
        name: `scan_${label}_open_${DUE}_due_dynamodb_calls`,
        value: calls,
        unit: 'calls',
        budget: `<= ${perDue} per due request (${perDue * DUE})`,
        ok: calls <= perDue * DUE,
      },
      { name: `scan_${label}_open_${DUE}_due_items_read`, value: itemsRead, unit: 'items' },
      { name: `scan_${label}_open_${DUE}_due_time`, value: round(ms), unit: 'ms' },
    ];
  } finally {
    db.raw.destroy();
    await dynamo.stop();
  }
}

export const run: Bench = async () => {
  const results: BenchResult[] = [];
  for (const size of SIZES) {
    process.stderr.write(`scan bench: ${size} open requests, ${DUE} due\n`);
    results.push(...(await measure(size)));
  }
  for (const size of SIZES) {
    process.stderr.write(`scan bench: ${size} open requests, ${DUE} due, ladders of ${LADDER.length} steps\n`);
    results.push(...(await measure(size, true)));
  }
  // The 100k table must cost what the 1k table costs: reads follow the due requests, not the table.
  for (const ladder of [false, true]) {
    const calls = results
      .filter((r) => r.name.endsWith('_dynamodb_calls') && r.name.includes('_ladder_') === ladder)
      .map((r) => r.value);
    const growth = round(calls[1]! / calls[0]!, 2);
    results.push({
      name: `scan_calls_100k_vs_1k_open${ladder ? '_ladder' : ''}`,
      value: calls[1]!,
      unit: 'calls',
      baseline: calls[0]!,
      ratio: growth,
      budget: '<= 1.1x (100 times the table)',
      ok: growth <= 1.1,
    });
  }
  return results;
};
