import fc from 'fast-check';
import {
  type AgreementTerms,
  covers,
  EVERY_DEPARTMENT,
  MAX_AMOUNT,
  multiplierFor,
  normaliseUnit,
  overlaps,
  type Penalty,
  PRIORITIES,
  penaltyFor,
  serviceKey,
  suggestAgreementId,
  type Targets,
} from '../../../functions/domain/agreement';
import {
  AgreementTermsSpec,
  PenaltySpec,
  sameTerms,
  specOfTerms,
  termsFromSpec,
} from '../../../functions/domain/agreement-spec';
import { HOUR_MS, MAX_DURATION_MS, MINUTE_MS } from '../../../functions/domain/duration';
import { DEFAULT_AT_RISK } from '../../../functions/domain/target-clock';

/** A deep copy, as plain data. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const TIERED: Penalty = { unit: 'points', perBreach: 50, tiers: [{ fromBreach: 3, multiplier: 2 }], monthlyCap: 500 };
const PAYROLL: Penalty = {
  unit: 'EUR',
  perBreach: 150,
  tiers: [
    { fromBreach: 2, multiplier: 1.5 },
    { fromBreach: 4, multiplier: 2 },
  ],
  monthlyCap: 1200,
};

const TERMS: AgreementTerms = {
  provider: 'it',
  customer: 'finance',
  service: 'Laptops and accounts',
  targets: {
    P1: { response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS },
    P2: { response: 2 * HOUR_MS, resolution: 16 * HOUR_MS },
  },
  penalty: TIERED,
  atRisk: 0.75,
};

describe('penalties', () => {
  it('a breach costs per_breach until a tier starts', () => {
    expect(multiplierFor(TIERED, 1)).toBe(1);
    expect(multiplierFor(TIERED, 2)).toBe(1);
    expect(penaltyFor(TIERED, 1, 0)).toBe(50);
    expect(penaltyFor(TIERED, 2, 50)).toBe(50);
  });

  it('from its threshold on, a tier multiplies every further breach of the month', () => {
    expect(multiplierFor(TIERED, 3)).toBe(2);
    expect(multiplierFor(TIERED, 9)).toBe(2);
    expect(penaltyFor(TIERED, 3, 100)).toBe(100);
  });

  it('the highest tier reached applies', () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => multiplierFor(PAYROLL, n))).toEqual([1, 1.5, 1.5, 2, 2, 2]);
    expect([1, 2, 3, 4].map((n) => penaltyFor({ ...PAYROLL, monthlyCap: undefined }, n, 0))).toEqual([
      150, 225, 225, 300,
    ]);
  });

  it('without tiers every breach costs the same', () => {
    const flat: Penalty = { unit: 'points', perBreach: 10, tiers: [] };
    expect([1, 2, 50].map((n) => multiplierFor(flat, n))).toEqual([1, 1, 1]);
    expect(penaltyFor(flat, 50, 490)).toBe(10);
  });

  it('the monthly cap cuts the breach that would pass it', () => {
    // 50 + 50 + 100 + 100 + 100 = 400; the 6th breach would cost 100 but only 100 is left; the 7th gets what remains.
    expect(penaltyFor(TIERED, 6, 400)).toBe(100);
    expect(penaltyFor(TIERED, 7, 450)).toBe(50);
  });

  it('once the cap is reached, further breaches cost nothing (also when the month is already over it)', () => {
    expect(penaltyFor(TIERED, 8, 500)).toBe(0);
    expect(penaltyFor(TIERED, 9, 520)).toBe(0);
  });

  it('amounts keep two decimals without floating-point dust', () => {
    const cents: Penalty = { unit: 'EUR', perBreach: 0.1, tiers: [{ fromBreach: 2, multiplier: 3 }] };
    expect(penaltyFor(cents, 2, 0.1)).toBe(0.3);
    expect(penaltyFor({ unit: 'EUR', perBreach: 12.5, tiers: [{ fromBreach: 2, multiplier: 1.5 }] }, 2, 12.5)).toBe(
      18.75,
    );
    expect(penaltyFor({ unit: 'EUR', perBreach: 1, tiers: [], monthlyCap: 100 }, 1, 99.7)).toBe(0.3);
  });

  it('a month never costs more than its cap, whatever the breaches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
        fc.uniqueArray(fc.integer({ min: 2, max: 20 }), { maxLength: 4 }).map((xs) => xs.sort((a, b) => a - b)),
        fc.integer({ min: 100, max: 1000 }).map((m) => m / 100),
        fc.integer({ min: 0, max: 1_000_000 }).map((c) => c / 100),
        fc.integer({ min: 1, max: 40 }),
        (perBreach, froms, multiplier, cap, breaches) => {
          const penalty: Penalty = {
            unit: 'EUR',
            perBreach,
            tiers: froms.map((fromBreach) => ({ fromBreach, multiplier })),
            monthlyCap: Math.max(cap, perBreach),
          };
          let total = 0;
          for (let n = 1; n <= breaches; n++) {
            const cost = penaltyFor(penalty, n, total);
            expect(cost).toBeGreaterThanOrEqual(0);
            expect(Math.round(cost * 100)).toBeCloseTo(cost * 100, 6);
            total = Math.round((total + cost) * 100) / 100;
          }
          expect(total).toBeLessThanOrEqual(penalty.monthlyCap!);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('which requests an agreement covers', () => {
  it('service names compare without case or extra spaces', () => {
    expect(serviceKey('  Laptops \t and   Accounts ')).toBe('laptops and accounts');
    expect(serviceKey('Laptops and accounts')).toBe(serviceKey('LAPTOPS AND ACCOUNTS'));
  });

  it('two agreements overlap when provider, service and customer meet', () => {
    const laptops = { provider: 'it', customer: 'finance', service: 'Laptops and accounts' };
    expect(overlaps(laptops, { ...laptops, service: 'laptops  and ACCOUNTS' })).toBe(true);
    expect(overlaps(laptops, { ...laptops, customer: EVERY_DEPARTMENT })).toBe(true);
    expect(overlaps({ ...laptops, customer: EVERY_DEPARTMENT }, laptops)).toBe(true);
    expect(overlaps({ ...laptops, customer: EVERY_DEPARTMENT }, { ...laptops, customer: EVERY_DEPARTMENT })).toBe(true);
  });

  it('a different provider, customer or service keeps agreements apart', () => {
    const laptops = { provider: 'it', customer: 'finance', service: 'Laptops and accounts' };
    expect(overlaps(laptops, { ...laptops, provider: 'facilities' })).toBe(false);
    expect(overlaps(laptops, { ...laptops, customer: 'people-ops' })).toBe(false);
    expect(overlaps(laptops, { ...laptops, service: 'Laptops' })).toBe(false);
  });

  it('overlapping is symmetric', () => {
    const party = fc.record({
      provider: fc.constantFrom('it', 'finance'),
      customer: fc.constantFrom('it', 'finance', 'support', EVERY_DEPARTMENT),
      service: fc.constantFrom('Laptops', ' laptops', 'LAPTOPS ', 'Printers'),
    });
    fc.assert(fc.property(party, party, (a, b) => overlaps(a, b) === overlaps(b, a)));
  });

  it('an agreement covers its customer, and every department when the customer is *', () => {
    expect(covers({ customer: 'finance' }, 'finance')).toBe(true);
    expect(covers({ customer: 'finance' }, 'support')).toBe(false);
    expect(covers({ customer: EVERY_DEPARTMENT }, 'support')).toBe(true);
    expect(covers({ customer: EVERY_DEPARTMENT }, 'it')).toBe(true);
  });
});

describe('suggested agreement ids', () => {
  const AGREEMENT_ID = /^[a-z][a-z0-9-]{0,63}$/;

  it('are made of the parties and the service', () => {
    expect(suggestAgreementId(TERMS, new Set())).toBe('it-for-finance-laptops-and-accounts');
  });

  it('say "all" for an agreement with every department', () => {
    expect(
      suggestAgreementId(
        { provider: 'it', customer: EVERY_DEPARTMENT, service: 'Printers & meeting rooms' },
        new Set(),
      ),
    ).toBe('it-for-all-printers-meeting-rooms');
  });

  it('get a number when the id is taken, the first free one', () => {
    const taken = new Set(['it-for-finance-laptops-and-accounts', 'it-for-finance-laptops-and-accounts-2']);
    expect(suggestAgreementId(TERMS, taken)).toBe('it-for-finance-laptops-and-accounts-3');
    expect(suggestAgreementId(TERMS, new Set(['it-for-finance-laptops-and-accounts']))).toBe(
      'it-for-finance-laptops-and-accounts-2',
    );
  });

  it('drop accents and other letters outside a-z', () => {
    expect(suggestAgreementId({ provider: 'it', customer: 'finance', service: 'Café Bar' }, new Set())).toBe(
      'it-for-finance-cafe-bar',
    );
    expect(suggestAgreementId({ provider: 'sales-jp', customer: 'it', service: 'ノートパソコン' }, new Set())).toBe(
      'sales-jp-for-it',
    );
  });

  it('are always a valid agreement id not taken yet', () => {
    const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/);
    fc.assert(
      fc.property(
        id,
        fc.oneof(id, fc.constant(EVERY_DEPARTMENT)),
        fc.string({ maxLength: 100, unit: 'binary' }),
        fc.nat({ max: 5 }),
        (provider, customer, service, clashes) => {
          const terms = { provider, customer, service };
          const taken = new Set<string>();
          for (let i = 0; i < clashes; i++) taken.add(suggestAgreementId(terms, taken));
          const fresh = suggestAgreementId(terms, taken);
          expect(fresh).toMatch(AGREEMENT_ID);
          expect(taken.has(fresh)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('units', () => {
  it('points in any case, and ISO currency codes in any case, are units', () => {
    expect(normaliseUnit('points')).toBe('points');
    expect(normaliseUnit(' Points ')).toBe('points');
    expect(normaliseUnit('eur')).toBe('EUR');
    expect(normaliseUnit(' usd ')).toBe('USD');
    expect(normaliseUnit('JPY')).toBe('JPY');
  });

  it('anything else is not a unit', () => {
    for (const unit of ['', 'pts', 'point', 'XYZ', 'EURO', '€', 'dollars', 'E U R'])
      expect(normaliseUnit(unit)).toBeUndefined();
  });
});

describe('terms as written and as kept', () => {
  it('the same terms written the same way are the same', () => {
    expect(sameTerms(TERMS, copy(TERMS))).toBe(true);
    const reordered: AgreementTerms = {
      atRisk: 0.75,
      penalty: { monthlyCap: 500, tiers: [{ multiplier: 2, fromBreach: 3 }], perBreach: 50, unit: 'points' },
      targets: { P2: TERMS.targets.P2, P1: TERMS.targets.P1 },
      service: TERMS.service,
      customer: 'finance',
      provider: 'it',
    };
    expect(sameTerms(TERMS, reordered)).toBe(true);
  });

  it('any change to a target, the penalty, at_risk or the parties makes them differ', () => {
    const changes: ((t: AgreementTerms) => void)[] = [
      (t) => (t.targets.P2!.resolution = 12 * HOUR_MS),
      (t) => delete t.targets.P2,
      (t) => (t.targets.P3 = { response: HOUR_MS, resolution: 8 * HOUR_MS }),
      (t) => (t.penalty.perBreach = 60),
      (t) => (t.penalty.tiers = []),
      (t) => delete t.penalty.monthlyCap,
      (t) => (t.penalty.unit = 'EUR'),
      (t) => (t.atRisk = 0.8),
      (t) => (t.customer = EVERY_DEPARTMENT),
      (t) => (t.service = 'Laptops'),
    ];
    for (const change of changes) {
      const other = copy(TERMS);
      change(other);
      expect(sameTerms(TERMS, other)).toBe(false);
    }
  });

  it('written terms read back with the documented defaults', () => {
    const parsed = AgreementTermsSpec.parse({
      provider: 'it',
      customer: '*',
      service: ' Printers and meeting rooms ',
      targets: { P2: { response: '1h', resolution: '8h' } },
      penalty: { unit: 'Points', per_breach: 10 },
    });
    expect(termsFromSpec(parsed)).toEqual({
      provider: 'it',
      customer: '*',
      service: 'Printers and meeting rooms',
      targets: { P2: { response: HOUR_MS, resolution: 8 * HOUR_MS } },
      penalty: { unit: 'points', perBreach: 10, tiers: [] },
      atRisk: DEFAULT_AT_RISK,
    });
  });

  it('amounts with cents are accepted up to the largest amount, and a third decimal is not', () => {
    for (const amount of [0.01, 19.99, 1234567.89, 150_000_000.02, 271_696_120.71, 999_999_999.99, MAX_AMOUNT]) {
      expect(PenaltySpec.safeParse({ unit: 'EUR', per_breach: 0, monthly_cap: amount }).success).toBe(true);
    }
    for (const amount of [0.001, 12.345, 150_000_000.025]) {
      expect(
        PenaltySpec.safeParse({ unit: 'EUR', per_breach: 0, monthly_cap: amount }).error?.issues.map((i) => i.message),
      ).toEqual(['has more than two decimals']);
    }
  });

  it('terms are written with canonical durations and without empty parts', () => {
    expect(
      specOfTerms({
        ...TERMS,
        targets: { P3: { response: 90 * MINUTE_MS, resolution: 40 * HOUR_MS } },
        penalty: { unit: 'points', perBreach: 10, tiers: [] },
      }),
    ).toEqual({
      provider: 'it',
      customer: 'finance',
      service: 'Laptops and accounts',
      targets: { P3: { response: '1h30m', resolution: '40h' } },
      penalty: { unit: 'points', per_breach: 10 },
      at_risk: 0.75,
    });
  });

  it('any valid terms survive being written and read back', () => {
    const minutes = fc.integer({ min: 1, max: MAX_DURATION_MS / MINUTE_MS });
    const target = fc
      .tuple(minutes, minutes)
      .map(([a, b]) => ({ response: Math.min(a, b) * MINUTE_MS, resolution: Math.max(a, b) * MINUTE_MS }));
    const targets = fc
      .record(
        Object.fromEntries(PRIORITIES.map((p) => [p, target])) as Record<(typeof PRIORITIES)[number], typeof target>,
        { requiredKeys: [] },
      )
      .filter((t) => Object.keys(t).length > 0) as fc.Arbitrary<Targets>;
    const cents = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((c) => c / 100);
    const penalty: fc.Arbitrary<Penalty> = fc
      .record({
        unit: fc.constantFrom('points', 'EUR', 'USD', 'GBP', 'JPY'),
        perBreach: cents(100_000),
        tiers: fc
          .uniqueArray(fc.integer({ min: 2, max: 1000 }), { maxLength: 10 })
          .chain((froms) =>
            fc.tuple(
              ...froms
                .sort((a, b) => a - b)
                .map((fromBreach) =>
                  fc.integer({ min: 100, max: 10_000 }).map((m) => ({ fromBreach, multiplier: m / 100 })),
                ),
            ),
          ),
        extraCap: fc.option(cents(MAX_AMOUNT - 100_000), { nil: undefined }),
      })
      .map(({ extraCap, ...p }) => ({
        ...p,
        ...(extraCap !== undefined ? { monthlyCap: Math.round((p.perBreach + extraCap) * 100) / 100 } : {}),
      }));
    const deptId = fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/);
    const terms: fc.Arbitrary<AgreementTerms> = fc.record({
      provider: deptId,
      customer: fc.oneof(deptId, fc.constant(EVERY_DEPARTMENT)),
      service: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() === s && s.length > 0),
      targets,
      penalty,
      atRisk: fc.integer({ min: 1, max: 99 }).map((n) => n / 100),
    });
    fc.assert(
      fc.property(terms, (t) => {
        const written = specOfTerms(t);
        const read = AgreementTermsSpec.safeParse(JSON.parse(JSON.stringify(written)));
        if (!read.success)
          throw new Error(read.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
        expect(termsFromSpec(read.data)).toEqual(t);
        expect(sameTerms(termsFromSpec(read.data), t)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
