/** Who can answer a proposal, and the two ways nobody could (a proposal nobody answers waits for ever). */
import type { AgreementTerms } from '../../../functions/domain/agreement';
import { type Directory, EMPTY_DIRECTORY } from '../../../functions/domain/directory';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import { answerers, draftProposal, nobodyToAnswer } from '../../../functions/domain/proposal';
import { department } from '../../support/departments';

const ANA = 'U0ANAHEAD1';
const BEN = 'U0BENHEAD1';
const ADMIN = 'U0ADMIN001';
const dir: Directory = {
  ...EMPTY_DIRECTORY,
  departments: [department('it', 'IT', [ANA]), department('hr', 'HR', [ANA]), department('finance', 'Finance', [BEN])],
};
const terms = (customer: string): AgreementTerms => ({
  provider: 'it',
  customer,
  service: 'Laptops',
  targets: { P1: { response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS } },
  penalty: { unit: 'points', perBreach: 10, tiers: [] },
  atRisk: 0.75,
});
const proposed = (customer: string) =>
  draftProposal({ dir, terms: terms(customer), user: ANA, side: 'it', now: '2026-11-25T12:00:00.000Z' });

it("the other side's heads answer, never the proposer", () => {
  expect(answerers(dir, [], proposed('finance'))).toEqual([BEN]);
  expect(nobodyToAnswer(dir, [], proposed('finance'))).toBeUndefined();
});

it('to every department: the admins answer; with none set, nobody could, and it says how to fix it', () => {
  expect(nobodyToAnswer(dir, [ADMIN], proposed('*'))).toBeUndefined();
  expect(nobodyToAnswer(dir, [], proposed('*'))).toBe(
    'Proposals to every department are answered by Kept admins, and Kept has none yet: ask whoever runs Kept to set KEPT_ADMINS, or pick one department.',
  );
  expect(nobodyToAnswer(dir, [ANA], proposed('*'))).toMatch(/^Proposals to every department/); // the only admin proposed it
});

it('to a department whose only head is the proposer: nobody could accept it', () => {
  expect(nobodyToAnswer(dir, [ADMIN], proposed('hr'))).toBe(
    'Nobody could accept this: HR has no head besides you. Ask a Kept admin to add one with `/sla dept heads hr add @someone`.',
  );
});

it('to a department left with no head at all (its last one left Slack): the admins answer', () => {
  const headless: Directory = {
    ...dir,
    departments: dir.departments.map((d) => (d.id === 'finance' ? { ...d, heads: [] } : d)),
  };
  const p = draftProposal({ dir, terms: terms('finance'), user: ANA, side: 'it', now: '2026-11-25T12:00:00.000Z' });
  expect(answerers(headless, [ADMIN], p)).toEqual([ADMIN]);
  expect(nobodyToAnswer(headless, [ADMIN], p)).toBeUndefined();
});
