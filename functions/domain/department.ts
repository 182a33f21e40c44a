/**
 * A `Department`: who leads it, who works in it, where its request cards go, the working-time
 * `Calendar` its clocks run on, and the prefix of its request IDs (`IT` -> `IT-42`).
 * Pure domain code: the rules about people. Its written shape (YAML import, `/sla dept`) is in
 * department-spec.ts, which a cold start that only reads the directory never loads (issue #22).
 */
import type { CalendarSpec } from './calendar-spec';
import { isChannelId, isUsergroupId, isUserId, SLACK_USER_ID } from './slack-ids';

/** Slack's IDs live in their own module (config.ts and the Slack layer check them without this one). */
export { isChannelId, isUsergroupId, isUserId, SLACK_USER_ID };

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
