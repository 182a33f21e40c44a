/**
 * A department's written shape: the YAML import's `departments:` entries and `/sla dept`, checked
 * with zod (every problem at its path), and the `Department` Kept keeps made from it and back.
 * Pure domain code; the rules about people are in department.ts.
 */
import * as z from '../zod';
import { CalendarSpec } from './calendar-spec';
import type { Department } from './department';
import { isChannelId, isUsergroupId, isUserId } from './slack-ids';

export const DEPARTMENT_ID_HELP =
  'use 1-32 lowercase letters, digits or dashes, starting with a letter, e.g. it or people-ops';
const DEPARTMENT_ID = /^[a-z][a-z0-9-]{0,31}$/;

const PREFIX = /^[A-Z][A-Z0-9]{0,9}$/;

export const isDepartmentId = (text: string): boolean => DEPARTMENT_ID.test(text);

const quoted = (value: unknown) => JSON.stringify(value);

/** The written shape, built on first use: most cold starts read no department as written (#22). */
function writtenShape() {
  const DepartmentIdSpec = z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? 'a department id is required'
          : `${quoted(iss.input)} is not a department id; ${DEPARTMENT_ID_HELP}`,
    })
    .check(
      z.refine(isDepartmentId, {
        error: (iss) => `${quoted(iss.input)} is not a department id; ${DEPARTMENT_ID_HELP}`,
      }),
    );

  const UserIdSpec = z
    .string({
      error: (iss) =>
        `${quoted(iss.input)} is not a Slack user ID; copy it from the person's profile (⋮ > Copy member ID), e.g. U0ABC1234`,
    })
    .check(
      z.refine(isUserId, {
        error: (iss) =>
          `${quoted(iss.input)} is not a Slack user ID; copy it from the person's profile (⋮ > Copy member ID), e.g. U0ABC1234`,
      }),
    );

  const people = (what: string) =>
    z.array(UserIdSpec, { error: `must be a list of Slack user IDs, e.g. [U0ABC1234]` }).check(
      z.superRefine((ids, ctx) => {
        const seen = new Set<string>();
        ids.forEach((id, i) => {
          if (seen.has(id))
            ctx.addIssue({ code: 'custom', path: [i], message: `${id} is listed twice among the ${what}` });
          seen.add(id);
        });
      }),
    );

  return z.strictObject(
    {
      id: DepartmentIdSpec,
      name: z
        .string({
          error: (iss) => (iss.input === undefined ? 'name is required' : `must be text, not ${quoted(iss.input)}`),
        })
        .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(80, 'is longer than 80 characters')),
      heads: people('heads').check(
        z.minLength(1, 'a department needs at least one head: heads accept agreements and see penalties'),
      ),
      members: z.optional(people('members')),
      usergroup: z.optional(
        z
          .string({
            error: (iss) => `${quoted(iss.input)} is not a Slack user group ID; it starts with S, e.g. S0ITTEAM1`,
          })
          .check(
            z.refine(isUsergroupId, {
              error: (iss) => `${quoted(iss.input)} is not a Slack user group ID; it starts with S, e.g. S0ITTEAM1`,
            }),
          ),
      ),
      channel: z
        .string({
          error: (iss) =>
            iss.input === undefined
              ? 'channel is required: request cards are posted there'
              : `${quoted(iss.input)} is not a Slack channel ID`,
        })
        .check(
          z.refine(isChannelId, {
            error: (iss) =>
              `${quoted(iss.input)} is not a Slack channel ID; open the channel's details and copy the ID at the bottom, e.g. C0ITQUEUE`,
          }),
        ),
      calendar: CalendarSpec,
      prefix: z.optional(
        z
          .string({
            error: (iss) =>
              `${quoted(iss.input)} is not a request-ID prefix; use 1-10 capital letters or digits, starting with a letter, e.g. IT`,
          })
          .check(
            z.refine((p) => PREFIX.test(p), {
              error: (iss) =>
                `${quoted(iss.input)} is not a request-ID prefix; use 1-10 capital letters or digits, starting with a letter, e.g. IT`,
            }),
          ),
      ),
      // A front-line department's choice of the agreements that serve its customers (default: those
      // where it is the customer); the ids are checked against the agreements by the import.
      serves_customers_through: z.optional(
        z.array(z.string({ error: (iss) => `${quoted(iss.input)} is not an agreement id` }), {
          error: 'must be a list of agreement ids, e.g. [it-for-sales, logistics-for-sales]',
        }),
      ),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map(quoted).join(', ')} is not a department field; use id, name, heads, members, usergroup, channel, calendar, prefix, serves_customers_through`
          : 'must be a department: an object with id, name, heads, channel and calendar',
    },
  );
}

let built: ReturnType<typeof writtenShape> | undefined;
/** The written shape of a department (import file); `/sla dept` builds the same object. */
export const DepartmentSpec = z.lazy(() => {
  built ??= writtenShape();
  return built;
});
export type DepartmentSpec = z.infer<typeof DepartmentSpec>;

/** `people-ops` -> `PEOPLEOPS`: the default request-ID prefix. */
export function defaultPrefix(id: string): string {
  const letters = id.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return letters.slice(0, 10);
}

export function departmentFromSpec(
  spec: DepartmentSpec,
  cached?: Pick<Department, 'usergroup' | 'usergroupMembers' | 'usergroupSyncedAt'>,
): Department {
  const sameGroup = cached !== undefined && cached.usergroup === spec.usergroup;
  return {
    id: spec.id,
    name: spec.name,
    heads: spec.heads,
    members: spec.members ?? [],
    ...(spec.usergroup ? { usergroup: spec.usergroup } : {}),
    usergroupMembers: sameGroup ? cached.usergroupMembers : [],
    ...(sameGroup && cached.usergroupSyncedAt ? { usergroupSyncedAt: cached.usergroupSyncedAt } : {}),
    channel: spec.channel,
    calendar: spec.calendar,
    prefix: spec.prefix ?? defaultPrefix(spec.id),
    ...(spec.serves_customers_through?.length ? { servesCustomersThrough: spec.serves_customers_through } : {}),
  };
}

/** The written shape of a kept department (what the import compares against). */
export function specOfDepartment(d: Department): DepartmentSpec {
  return {
    id: d.id,
    name: d.name,
    heads: d.heads,
    members: d.members,
    ...(d.usergroup ? { usergroup: d.usergroup } : {}),
    channel: d.channel,
    calendar: d.calendar,
    prefix: d.prefix,
    ...(d.servesCustomersThrough?.length ? { serves_customers_through: d.servesCustomersThrough } : {}),
  };
}
