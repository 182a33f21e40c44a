import type { AgreementTerms, Penalty } from '../../../functions/domain/agreement';
import {
  customerLabel,
  describeAtRisk,
  describePenalty,
  describeTarget,
  diffTerms,
  formatAmount,
  ordinal,
} from '../../../functions/domain/agreement-text';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';

const names = (id: string) => ({ it: 'IT', finance: 'Finance', hr: 'HR' })[id] ?? id;

const base: AgreementTerms = {
  provider: 'it',
  customer: 'finance',
  service: 'Laptops and accounts',
  targets: {
    P1: { response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS },
    P4: { response: 8 * HOUR_MS, resolution: 40 * HOUR_MS },
  },
  penalty: { unit: 'points', perBreach: 50, tiers: [{ fromBreach: 3, multiplier: 2 }], monthlyCap: 500 },
  atRisk: 0.75,
};

const penalty = (p: Partial<Penalty>): Penalty => ({ unit: 'points', perBreach: 50, tiers: [], ...p });

describe('describeTarget', () => {
  it('says how long answering and solving may take', () => {
    expect(describeTarget({ response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS })).toBe('answer in 30m, solve in 4h');
    expect(describeTarget({ response: 90 * MINUTE_MS, resolution: 24 * HOUR_MS })).toBe(
      'answer in 1h30m, solve in 24h',
    );
  });
});

describe('formatAmount', () => {
  it('writes points in singular and plural', () => {
    expect(formatAmount(50, 'points')).toBe('50 points');
    expect(formatAmount(1, 'points')).toBe('1 point');
    expect(formatAmount(1000, 'points')).toBe('1,000 points');
    expect(formatAmount(2.5, 'points')).toBe('2.5 points');
  });

  it('writes currencies the way English readers expect', () => {
    expect(formatAmount(50, 'EUR')).toBe('€50.00');
    expect(formatAmount(1000, 'USD')).toBe('$1,000.00');
  });

  it('does not throw on a code Intl does not know', () => {
    expect(formatAmount(5, 'XX1')).toBe('5 XX1');
  });
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [101, '101st'],
    [111, '111th'],
  ])('writes %i as %s', (n, text) => {
    expect(ordinal(n)).toBe(text);
  });
});

describe('describePenalty', () => {
  it('names the amount, the repeat-breach tier and the monthly cap', () => {
    expect(describePenalty(base.penalty)).toBe(
      '50 points per breach; from the 3rd breach in a calendar month ×2; at most 500 points a month',
    );
  });

  it('lists several tiers in one clause', () => {
    const text = describePenalty(
      penalty({
        tiers: [
          { fromBreach: 3, multiplier: 2 },
          { fromBreach: 5, multiplier: 3 },
        ],
      }),
    );
    expect(text).toBe('50 points per breach; from the 3rd breach in a calendar month ×2, from the 5th ×3');
  });

  it('leaves out the cap when there is none', () => {
    expect(describePenalty(penalty({ unit: 'EUR', perBreach: 20 }))).toBe('€20.00 per breach');
  });

  it('says breaches are only recorded when they cost nothing', () => {
    expect(describePenalty(penalty({ perBreach: 0, tiers: [{ fromBreach: 2, multiplier: 2 }] }))).toBe(
      'no penalty (breaches are recorded only)',
    );
  });
});

describe('describeAtRisk and customerLabel', () => {
  it('writes the at-risk share as a percentage without floating-point noise', () => {
    expect(describeAtRisk(0.75)).toBe("warns when 75% of a target's time is used");
    expect(describeAtRisk(0.7)).toBe("warns when 70% of a target's time is used");
  });

  it('calls the * customer every department and others by name', () => {
    expect(customerLabel('*', names)).toBe('every department');
    expect(customerLabel('finance', names)).toBe('Finance');
  });
});

describe('diffTerms', () => {
  it('is empty when nothing changed', () => {
    expect(diffTerms(base, structuredClone(base), names)).toEqual([]);
  });

  it('writes one line per change, in a fixed order', () => {
    const after: AgreementTerms = {
      ...base,
      customer: '*',
      service: 'Laptops',
      targets: {
        P1: { response: 30 * MINUTE_MS, resolution: 3 * HOUR_MS },
        P3: { response: 24 * HOUR_MS, resolution: 72 * HOUR_MS },
      },
      penalty: { unit: 'points', perBreach: 60, tiers: [{ fromBreach: 3, multiplier: 2 }], monthlyCap: 500 },
      atRisk: 0.8,
    };
    expect(diffTerms(base, after, names)).toEqual([
      'Customer: Finance → every department',
      'Service: Laptops and accounts → Laptops',
      'P1 solve: 4h → 3h',
      'P3: new (answer in 24h, solve in 72h)',
      'P4: dropped (was answer in 8h, solve in 40h)',
      'Penalty: 50 points per breach; from the 3rd breach in a calendar month ×2; at most 500 points a month → 60 points per breach; from the 3rd breach in a calendar month ×2; at most 500 points a month',
      'At-risk warning: 75% → 80%',
    ]);
  });

  it('reports a changed answer target separately from the solve target', () => {
    const after = { ...base, targets: { ...base.targets, P1: { response: 15 * MINUTE_MS, resolution: 4 * HOUR_MS } } };
    expect(diffTerms(base, after, names)).toEqual(['P1 answer: 30m → 15m']);
  });
});
