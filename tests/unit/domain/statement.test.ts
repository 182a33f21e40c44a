/** The monthly penalty statement built from known ledgers: tiers, the cap, waivers, totals, and when it is due. */
import fc from 'fast-check';
import { multiplierFor, type Penalty, penaltyFor } from '../../../functions/domain/agreement';
import { compileCalendar } from '../../../functions/domain/calendar';
import {
  buildStatement,
  customersOf,
  isMonth,
  previousMonth,
  type StatementEntry,
  statementDue,
  statementFor,
} from '../../../functions/domain/statement';

/** it-for-finance in examples/company.yaml. */
const PENALTY: Penalty = { unit: 'points', perBreach: 50, tiers: [{ fromBreach: 3, multiplier: 2 }], monthlyCap: 500 };
const TERMS = { provider: 'it', customer: 'finance', service: 'Laptops and accounts', penalty: PENALTY };

/** The charges the scan writes for `requests` breached in turn (numbered, tiered, capped on the running total). */
function charges(requests: string[], penalty = PENALTY): StatementEntry[] {
  let total = 0;
  return requests.map((request, i) => {
    const n = i + 1;
    const amount = penaltyFor(penalty, n, total);
    total = Math.round((total + amount) * 100) / 100;
    const day = String(n).padStart(2, '0');
    return {
      type: 'penalty',
      request,
      kind: 'response',
      amount,
      unit: penalty.unit,
      at: `2026-10-${day}T14:00:00.000Z`,
      n,
      multiplier: multiplierFor(penalty, n),
    };
  });
}

const waiver = (request: string, amount: number, extra: Partial<StatementEntry> = {}): StatementEntry => ({
  type: 'waiver',
  request,
  kind: 'response',
  amount: -amount,
  unit: 'points',
  at: '2026-10-30T15:00:00.000Z',
  by: 'U0FINHEAD',
  reason: 'The outage was ours',
  ...extra,
});

const build = (entries: StatementEntry[], customers?: Record<string, string>, terms = TERMS) =>
  buildStatement({
    agreementId: 'it-for-finance',
    month: '2026-10',
    terms,
    entries,
    ...(customers ? { customers } : {}),
  });

describe('a statement of a known ledger', () => {
  it('two breaches: no tier, the cap far away, nothing waived', () => {
    const s = build(charges(['IT-1', 'IT-2']));
    expect(s.breaches.map((b) => [b.request, b.n, b.multiplier, b.amount, b.capped])).toEqual([
      ['IT-1', 1, 1, 50, false],
      ['IT-2', 2, 1, 50, false],
    ]);
    expect(s.tiersReached).toEqual([]);
    expect(s.capReached).toBe(false);
    expect(s.totals).toEqual({ breaches: 2, charged: 100, waived: 0, net: 100 });
  });

  it('eight breaches: the ×2 tier from the 3rd, the cap of 500 reached at the 6th, the 7th and 8th cost nothing', () => {
    const s = build(charges(['IT-1', 'IT-2', 'IT-3', 'IT-4', 'IT-5', 'IT-6', 'IT-7', 'IT-8']));
    expect(s.breaches.map((b) => b.amount)).toEqual([50, 50, 100, 100, 100, 100, 0, 0]);
    expect(s.breaches.map((b) => b.multiplier)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
    expect(s.breaches.filter((b) => b.capped).map((b) => b.n)).toEqual([7, 8]);
    expect(s.tiersReached).toEqual([{ fromBreach: 3, multiplier: 2 }]);
    expect(s.capReached).toBe(true);
    expect(s.totals).toEqual({ breaches: 8, charged: 500, waived: 0, net: 500 });
  });

  it('the cap cutting a breach part way counts as reached', () => {
    const penalty = { ...PENALTY, monthlyCap: 150 };
    const s = build(charges(['IT-1', 'IT-2', 'IT-3'], penalty), undefined, { ...TERMS, penalty });
    expect(s.breaches.map((b) => [b.amount, b.capped])).toEqual([
      [50, false],
      [50, false],
      [50, true],
    ]);
    expect(s.capReached).toBe(true);
  });

  it('a waiver sits on its breach with who and why, and the net is charged less waived', () => {
    const s = build([...charges(['IT-1', 'IT-2', 'IT-3']), waiver('IT-3', 100)]);
    expect(s.breaches[2]!.waiver).toEqual({
      by: 'U0FINHEAD',
      reason: 'The outage was ours',
      at: '2026-10-30T15:00:00.000Z',
      amount: 100,
    });
    expect(s.breaches[0]!.waiver).toBeUndefined();
    expect(s.waivers).toEqual([expect.objectContaining({ request: 'IT-3', kind: 'response', cycle: 1, amount: 100 })]);
    expect(s.totals).toEqual({ breaches: 3, charged: 200, waived: 100, net: 100 });
  });

  it("a waiver of a reopened request's second resolution breach is not the first one's", () => {
    const first: StatementEntry = { ...charges(['IT-1'])[0]!, kind: 'resolution' };
    const second: StatementEntry = { ...charges(['IT-1', 'IT-1'])[1]!, kind: 'resolution', cycle: 2 };
    const s = build([first, second, waiver('IT-1', 50, { kind: 'resolution', cycle: 2 })]);
    expect(s.breaches.map((b) => [b.cycle, b.waiver?.amount])).toEqual([
      [1, undefined],
      [2, 50],
    ]);
  });

  it('entries in any order give the same statement', () => {
    const entries = [...charges(['IT-1', 'IT-2', 'IT-3']), waiver('IT-2', 50)];
    expect(build([...entries].reverse())).toEqual(build(entries));
  });

  it('a month without a breach owes nothing', () => {
    const s = build([]);
    expect(s.breaches).toEqual([]);
    expect(s.totals).toEqual({ breaches: 0, charged: 0, waived: 0, net: 0 });
    expect(s.capReached).toBe(false);
  });

  it('an agreement with every department: each customer sees its own breaches and totals; tiers and cap stay shared', () => {
    const terms = { ...TERMS, customer: '*' };
    const s = build(
      [...charges(['IT-1', 'IT-2', 'IT-3']), waiver('IT-3', 100)],
      { 'IT-1': 'finance', 'IT-2': 'support', 'IT-3': 'finance' },
      terms,
    );
    expect(customersOf(s)).toEqual(['finance', 'support']);
    const finance = statementFor(s, 'finance');
    expect(finance.breaches.map((b) => b.request)).toEqual(['IT-1', 'IT-3']);
    expect(finance.totals).toEqual({ breaches: 2, charged: 150, waived: 100, net: 50 });
    expect(finance.tiersReached).toEqual(s.tiersReached);
    expect(statementFor(s, 'support').totals).toEqual({ breaches: 1, charged: 50, waived: 0, net: 50 });
    // One customer: the statement as it is.
    const single = build(charges(['IT-1']));
    expect(statementFor(single, 'finance')).toBe(single);
  });

  it('totals always add up: charged is the charges, never past the cap, net = charged - waived', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.nat(29), { maxLength: 10 }),
        fc.integer({ min: 1, max: 200 }),
        (count, waivedIndexes, perBreach) => {
          const penalty = { ...PENALTY, perBreach, monthlyCap: perBreach * 5 };
          const entries = charges(
            Array.from({ length: count }, (_, i) => `IT-${i + 1}`),
            penalty,
          );
          const waived = [...new Set(waivedIndexes.filter((i) => i < count))];
          for (const i of waived) entries.push(waiver(`IT-${i + 1}`, entries[i]!.amount));
          const s = build(entries, undefined, { ...TERMS, penalty });
          const sum = entries.filter((e) => e.type === 'penalty').reduce((t, e) => t + e.amount, 0);
          expect(s.totals.charged).toBeCloseTo(sum, 2);
          expect(s.totals.charged).toBeLessThanOrEqual(penalty.monthlyCap);
          expect(s.totals.net).toBeCloseTo(s.totals.charged - s.totals.waived, 2);
          expect(s.breaches.filter((b) => b.waiver)).toHaveLength(waived.length);
        },
      ),
    );
  });
});

describe('when statements are due', () => {
  /** IT in examples/company.yaml: New York, Monday to Friday 09-17. */
  const it9to5 = compileCalendar({
    timezone: 'America/New_York',
    hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
  });
  const at = (iso: string) => Date.parse(iso);

  it('1 November 2026 is a Sunday: October is due at 09:00 on Monday 2 November, not before', () => {
    expect(statementDue(it9to5, at('2026-11-01T16:00:00Z'))).toEqual({
      month: '2026-10',
      dueAt: at('2026-11-02T14:00:00Z'),
      due: false,
    });
    expect(statementDue(it9to5, at('2026-11-02T13:59:59Z')).due).toBe(false);
    expect(statementDue(it9to5, at('2026-11-02T14:00:00Z')).due).toBe(true);
    expect(statementDue(it9to5, at('2026-11-30T23:00:00Z'))).toMatchObject({ month: '2026-10', due: true });
  });

  it("the month is the provider's: 23:30 on 31 October in New York is still October", () => {
    expect(statementDue(it9to5, at('2026-11-01T03:30:00Z'))).toMatchObject({ month: '2026-09', due: true });
  });

  it('around the year', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(statementDue(it9to5, at('2027-01-04T14:00:00Z'))).toMatchObject({ month: '2026-12', due: true });
  });

  it.each([
    ['2026-10', true],
    ['2026-1', false],
    ['2026-13', false],
    ['2026-00', false],
    ['October', false],
  ])('%s is a month: %s', (text, ok) => expect(isMonth(text)).toBe(ok));
});
