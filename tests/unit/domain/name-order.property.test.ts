/**
 * Departments and services are listed in the order people expect from `localeCompare`, also when
 * Kept skips the collator for plain names (functions/domain/name-order.ts).
 */
import fc from 'fast-check';
import { compareNames } from '../../../functions/domain/name-order';

const plainName = fc.string({ unit: fc.constantFrom(...'aAbBzZ09 iIsS'.split('')), maxLength: 8 });
const anyName = fc.oneof(plainName, fc.string({ maxLength: 8 }), fc.constantFrom('Équipe', 'Ärzte', 'IT-Ops', 'R&D'));
const sign = (n: number) => Math.sign(n);

describe('the order of names', () => {
  it('is the order localeCompare gives, for plain names and any other', () => {
    fc.assert(
      fc.property(fc.oneof(plainName, anyName), fc.oneof(plainName, anyName), (a, b) => {
        expect(sign(compareNames(a, b))).toBe(sign(a.localeCompare(b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('sorts a company’s services as people read them: case ignored, lowercase first, spaces before digits before letters', () => {
    const names = ['it', 'Finance', 'IT', 'people Ops', 'People ops', 'HR 2', 'HR', 'HR 10', 'Équipe', 'zeta', 'Zeta'];
    expect([...names].sort(compareNames)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect([...names].sort(compareNames)).toEqual([
      'Équipe',
      'Finance',
      'HR',
      'HR 10',
      'HR 2',
      'it',
      'IT',
      'people Ops',
      'People ops',
      'zeta',
      'Zeta',
    ]);
  });
});
