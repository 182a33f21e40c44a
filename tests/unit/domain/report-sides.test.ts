/**
 * The customer side and the company view (functions/domain/report-sides.ts) against the provider's
 * report built from the same day counters: an agreement with a named customer shows the same
 * requests, met and breached on every side; a `*` agreement shows each customer its own share.
 */
import fc from 'fast-check';
import type { AgreementVersion } from '../../../functions/domain/agreement';
import type { AgreementRecord } from '../../../functions/domain/directory';
import { buildReport } from '../../../functions/domain/report';
import { buildCompanyReport, buildCustomerReport } from '../../../functions/domain/report-sides';
import { type Counters, customerKey } from '../../../functions/domain/stats';

const agreement = (id: string, provider: string, customer: string): AgreementRecord => ({
  id,
  latestVersion: 1,
  active: { id, version: 1, provider, customer, service: id, status: 'active' } as unknown as AgreementVersion,
});
const AGREEMENTS = [agreement('it-for-finance', 'it', 'finance'), agreement('it-for-all', 'it', '*')];
const NAMES = { it: 'IT', finance: 'Finance', sales: 'Sales' };

/** One request's counters as stats.ts writes them: the provider's and its customer's. */
const request = fc
  .record({
    agreement: fc.constantFrom('it-for-finance', 'it-for-all'),
    customer: fc.constantFrom('finance', 'sales'),
    priority: fc.constantFrom('P1', 'P2'),
    outcome: fc.constantFrom('met', 'breached', 'open'),
    penalty: fc.integer({ min: 0, max: 100 }),
    day: fc.constantFrom('2026-03-02', '2026-03-15', '2026-04-01'),
  })
  .filter((r) => r.agreement !== 'it-for-finance' || r.customer === 'finance');

function add(
  c: Counters,
  r: { agreement: string; customer: string; priority: string; outcome: string; penalty: number },
) {
  const inc = (k: string, n = 1) => (c[k] = (c[k] ?? 0) + n);
  const slice = `${r.agreement}|${r.priority}`;
  inc('filed');
  inc(`filed|${slice}`);
  inc(customerKey(r.customer, 'filed', r.agreement));
  if (r.outcome !== 'open') {
    inc(r.outcome);
    inc(`${r.outcome}|${slice}`);
    inc(customerKey(r.customer, r.outcome, r.agreement));
  }
  if (r.outcome === 'breached' && r.penalty > 0) {
    inc('penalty|points', r.penalty);
    inc(customerKey(r.customer, 'penalty', r.agreement, 'points'), r.penalty);
  }
}

it("a named customer's figures equal the provider's for the agreement; '*' shares add up to the provider's", () => {
  fc.assert(
    fc.property(fc.array(request, { maxLength: 30 }), (requests) => {
      const days = new Map<string, Counters>();
      for (const r of requests) {
        const c = days.get(r.day) ?? {};
        add(c, r);
        days.set(r.day, c);
      }
      const input = {
        from: '2026-03-01',
        to: '2026-03-31',
        names: NAMES,
        agreements: AGREEMENTS,
        providers: [{ department: 'it', days: [...days].map(([day, counters]) => ({ day, counters })) }],
      };
      const provider = buildReport({
        department: { id: 'it', name: 'IT' },
        from: input.from,
        to: input.to,
        days: input.providers[0]!.days,
        better: [],
        agreementNames: {},
      });
      const providerSum = (agreement: string, key: 'requests' | 'met' | 'breached') =>
        provider.byAgreement.filter((a) => a.agreement === agreement).reduce((n, a) => n + a[key], 0);
      const finance = buildCustomerReport(input, 'finance');
      const sales = buildCustomerReport(input, 'sales');
      const company = buildCompanyReport(input);
      for (const key of ['requests', 'met', 'breached'] as const) {
        const named = finance.byAgreement.find((a) => a.agreement === 'it-for-finance')!;
        expect(named[key]).toBe(providerSum('it-for-finance', key));
        const shares = [finance, sales].map((r) => r.byAgreement.find((a) => a.agreement === 'it-for-all')![key]);
        expect(shares[0]! + shares[1]!).toBe(providerSum('it-for-all', key));
        expect(company.byAgreement.find((a) => a.agreement === 'it-for-all')![key]).toBe(
          providerSum('it-for-all', key),
        );
      }
      expect(sales.byAgreement.map((a) => a.agreement)).toEqual(['it-for-all']);
      expect(finance.penaltyTotal + sales.penaltyTotal).toBe(provider.penaltyTotal);
    }),
  );
});
