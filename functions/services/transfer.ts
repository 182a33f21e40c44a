/** Where a request can be handed over to: the transfer's destination, read from the directory. */
import { type AgreementVersion, covers } from '../domain/agreement';
import type { Department } from '../domain/department';
import { type Directory, findDepartment, findDepartmentByIdOrName } from '../domain/directory';
import { compareNames } from '../domain/name-order';
import type { Request } from '../domain/request';
import { calendarOf } from './calendars';

/**
 * Where a transfer of `request` to the department typed as `to` (its id, name or ID prefix) goes:
 * that department, its active agreement covering the request's customer (the one for the same
 * service if several, else the first by service name) and its calendar; or why it cannot go there.
 */
export function destinationOf(
  dir: Directory,
  request: Request,
  to: string,
): { department: Department; agreement: AgreementVersion; calendar: ReturnType<typeof calendarOf> } | string {
  const typed = to.trim();
  const department =
    findDepartmentByIdOrName(dir, typed) ?? dir.departments.find((d) => d.prefix.toLowerCase() === typed.toLowerCase());
  if (!department)
    return `There is no department "${typed}" in Kept; write its name or ID prefix, e.g. \`/sla transfer ${request.id} HR reason\`.`;
  const customer = findDepartment(dir, request.customer)?.name ?? request.customer;
  if (department.id === request.provider) return `${request.id} is already with ${department.name}.`;
  const covering = dir.agreements
    .flatMap((a) =>
      a.active && a.active.provider === department.id && covers(a.active, request.customer) ? [a.active] : [],
    )
    .sort(
      (a, b) =>
        Number(b.service === request.service) - Number(a.service === request.service) ||
        compareNames(a.service, b.service),
    );
  const agreement = covering[0];
  if (!agreement)
    return `${department.name} has no agreement covering ${customer}, so ${request.id} cannot go there; its heads can propose one with \`/sla agreements\`.`;
  return { department, agreement, calendar: calendarOf(department) };
}
