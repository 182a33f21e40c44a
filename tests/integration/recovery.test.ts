/**
 * The recovery credit on DynamoDB Local: many confirmations of one request at once credit its
 * breach once, and the ledger refuses a second credit entry for the same breach; the credit is
 * equal in the ledger, the report counters and the statement.
 */
import { buildStatement } from '../../functions/domain/statement';
import { sumCounters } from '../../functions/domain/stats';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { creditItems, readLedger } from '../../functions/store/ledger';
import { getRequest } from '../../functions/store/requests';
import { readCustomerReport, readDays } from '../../functions/store/stats';
import { transact } from '../../functions/store/transact';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable } from '../support/db';

const { opsMember, salesMember } = OPS_FOR_SALES;

let db: Db;
beforeAll(async () => {
  db = await freshTable();
  const company = opsForSales();
  (company.agreements[0] as Record<string, unknown>).recovery_credit = { share: 0.5, within: '4h' };
  await importCompany(db, company, '2026-11-10T14:00:00Z');
});
afterAll(() => dropTable(db));

it('credits a breach once under concurrent confirmations, equal in ledger, counters and statement', async () => {
  const filed = await fileFromSlack(db, {
    user: salesMember,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: 'Demo',
    description: '',
    delivery: 'view:R1',
    now: new Date('2026-11-10T15:00:00Z'),
  });
  if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
  const id = filed.request.id;
  expect(filed.request.recoveryCredit).toEqual({ share: 0.5, within: 4 * 3_600_000 });
  await runScan({ db }, new Date('2026-11-10T15:31:00Z')); // the 30m response target is missed
  const resolved = await act(db, {
    id,
    user: opsMember,
    action: { type: 'resolve', note: 'Restarted', cause: { category: 'tooling' } },
    now: new Date('2026-11-10T16:00:00Z'),
  });
  expect(resolved.outcome).toBe('done');

  const now = new Date('2026-11-10T16:30:00Z');
  const answers = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      act(db, {
        id,
        user: salesMember,
        action: { type: 'recovered', recovered: true },
        delivery: `action:${salesMember}:${i}`,
        now,
      }),
    ),
  );
  expect(answers.filter((a) => a.outcome === 'done')).toHaveLength(1);
  for (const a of answers.filter((x) => x.outcome === 'refused'))
    expect(a).toMatchObject({ message: expect.stringMatching(/already told Kept/) });

  const request = (await getRequest(db, id))!;
  const breach = request.breaches!.response!;
  const ledger = await readLedger(db, 'ops-for-sales', breach.month);
  expect(ledger.filter((e) => e.type === 'credit').map((e) => [e.request, e.kind, e.amount])).toEqual([
    [id, 'response', -25],
  ]);
  // The entry is keyed by its breach: writing it again is refused by the table itself.
  const again = ledger.find((e) => e.type === 'credit')!;
  await expect(transact(db, creditItems(db, again))).rejects.toThrow();
  expect((await readLedger(db, 'ops-for-sales', breach.month)).filter((e) => e.type === 'credit')).toHaveLength(1);

  const counters = sumCounters(
    (await readDays(db, 'ops', request.filed.day, request.filed.day)).days.map((d) => d.counters),
  );
  const statement = buildStatement({
    agreementId: 'ops-for-sales',
    month: breach.month,
    terms: {
      provider: 'ops',
      customer: 'sales',
      service: 'Demo environments',
      penalty: { unit: 'points', perBreach: 50, tiers: [] },
    },
    entries: ledger,
  });
  expect(statement.totals.credited).toBe(25);
  expect(counters['credit|points']).toBe(25);
  expect(-ledger.filter((e) => e.type === 'credit').reduce((s, e) => s + e.amount, 0)).toBe(25);
  expect(statement.totals.net).toBe(statement.totals.charged - 25);
  // Sales reads the same credit on its side: what it is owed goes down by it.
  const sales = await readCustomerReport(db, await readDirectory(db), 'sales', {
    from: request.filed.day,
    to: request.filed.day,
  });
  const row = sales.byAgreement.find((r) => r.agreement === 'ops-for-sales')!;
  expect(row.penalties.points).toMatchObject({ credited: 25, owed: statement.totals.net });
  expect(sales.penaltyTotal).toBe(statement.totals.net);
});
