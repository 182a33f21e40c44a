/**
 * A `Department`: who leads it, who works in it, where its request cards go, the working-time
 * `Calendar` its clocks run on, and the prefix of its request IDs (`IT` -> `IT-42`).
 * Pure domain code: the written shape (YAML import, `/sla dept`) and the rules about people.
 */
import * as z from '../zod';
import { CalendarSpec } from './calendar-spec';
import { isChannelId, isUsergroupId, isUserId, SLACK_USER_ID } from './slack-ids';

export const DEPARTMENT_ID_HELP =
  'use 1-32 lowercase letters, digits or dashes, starting with a letter, e.g. it or people-ops';
const DEPARTMENT_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** Slack's IDs live in their own module (config.ts and the Slack layer check them without this one). */
export { isChannelId, isUsergroupId, isUserId, SLACK_USER_ID };

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

/** A department as Kept keeps it. */
export interface Department {
  id: string;
  name: string;
  heads: string[];
  members: string[];
  usergroup?: string;
  /** The user group's members as Slack last told us (`usergroups.users.list`), with when. */
  usergroupMembers: string[];
  usergroupSyncedAt?: string;
  channel: string;
  calendar: CalendarSpec;
  prefix: string;
  /** The agreements that serve its customers, when it declared them (loyalty.ts servingAgreements). */
  servesCustomersThrough?: string[];
}

/** `people-ops` -> `PEOPLEOPS`: the default request-ID prefix. */
export function defaultPrefix(id: string): string {
  const letters = id.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return letters.slice(0, 10);
}

/**
 * Whether a department's user-group members are due to be read from Slack again: it has a group
 * that was never read, or was read `maxAgeMs` or more before `now`.
 */
export function usergroupStale(
  d: Pick<Department, 'usergroup' | 'usergroupSyncedAt'>,
  now: number,
  maxAgeMs: number,
): boolean {
  if (!d.usergroup) return false;
  return !d.usergroupSyncedAt || now - Date.parse(d.usergroupSyncedAt) >= maxAgeMs;
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

export const isHead = (d: Department, user: string): boolean => d.heads.includes(user);

/** The department without `user` among its heads, members or user-group members (someone who left Slack). */
export function withoutPerson(d: Department, user: string): Department {
  return {
    ...d,
    heads: d.heads.filter((u) => u !== user),
    members: d.members.filter((u) => u !== user),
    usergroupMembers: d.usergroupMembers.filter((u) => u !== user),
  };
}

/** Heads count as members: they work requests too. */
export const isMember = (d: Department, user: string): boolean =>
  d.heads.includes(user) || d.members.includes(user) || d.usergroupMembers.includes(user);
