/** The department a person typed (`/sla new it`, `/sla report Finance`, `kept report --dept …`): id first, then name. */
import { type Directory, findDepartment, findDepartmentByIdOrName } from '../../../functions/domain/directory';
import { department } from '../../support/departments';

const dir: Directory = {
  rev: 1,
  departments: [department('it', 'IT', ['U0A']), department('ops', 'it', ['U0B']), department('fin', 'Finance', [])],
  agreements: [],
  digests: [],
};

it('finds a department by its id, whatever the case typed', () => {
  expect(findDepartmentByIdOrName(dir, 'fin')?.id).toBe('fin');
  expect(findDepartmentByIdOrName(dir, 'FIN')?.id).toBe('fin');
});

it('finds a department by its name, in any case', () => {
  expect(findDepartmentByIdOrName(dir, 'finance')?.id).toBe('fin');
  expect(findDepartmentByIdOrName(dir, 'FINANCE')?.id).toBe('fin');
});

it('prefers the id when one department has it as its id and another as its name', () => {
  expect(findDepartmentByIdOrName(dir, 'IT')?.id).toBe('it');
});

it('finds nothing for an unknown word, and findDepartment matches ids only', () => {
  expect(findDepartmentByIdOrName(dir, 'sales')).toBeUndefined();
  expect(findDepartment(dir, 'Finance')).toBeUndefined();
});
