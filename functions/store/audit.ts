/**
 * The audit trail: who changed a department, an agreement, an admin setting (tips, digest
 * settings, report subscriptions) or a penalty (a waiver), when, and what it was before and after. Append-only: each
 * line is put with `attribute_not_exists` and never updated or deleted, always in the same
 * transaction as the change it records (callers add `auditItems` to their `transact`).
 *
 * One line per department the change concerns, in that department's partition
 * (`pk=AUDIT#<dept>`), or in `AUDIT#KEPT` when it concerns none (tips, digest settings); the
 * sort key `<ISO instant>#<change id>` orders a partition by time, so "a department's trail since
 * a date" and "its last 20 lines" are one Query each. A change seen in two partitions (an
 * agreement between two departments) has the same sort key in both, so readers merge by it.
 */
import { randomUUID } from 'node:crypto';
import * as z from '../zod';
import type { Db } from './client';
import { queryAll, type TransactItem } from './transact';

/** The partition of changes that concern no department. */
export const AUDIT_KEPT = 'KEPT';
export const auditPk = (scope: string) => `AUDIT#${scope}`;
/** Before/after are JSON text of at most this many characters (DynamoDB items stop at 400 KB). */
export const AUDIT_SNAPSHOT_MAX = 20_000;

export const AUDIT_SUBJECTS = ['department', 'agreement', 'digest', 'tip', 'penalty', 'subscription'] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

export interface AuditChange {
  subject: AuditSubject;
  /** The thing changed: department id, agreement id, digest channel, tip id, `<request>/<target>`. */
  id: string;
  /** What happened, in a word or two: `created`, `updated`, `proposed`, `accepted`, `waived`, ... */
  action: string;
  /** A Slack user id, or `cli:<os user>` for the command line. */
  by: string;
  /** ISO instant. */
  at: string;
  /** The departments it concerns (each gets a line in its partition); none: `AUDIT#KEPT`. */
  departments: string[];
  before?: unknown;
  after?: unknown;
}

export interface AuditLine extends Omit<AuditChange, 'before' | 'after'> {
  changeId: string;
  /** JSON text as stored (possibly cut short: then it ends `…(cut)`), absent when there was none. */
  before?: string;
  after?: string;
}

/** The JSON text kept for a before or after, cut to AUDIT_SNAPSHOT_MAX characters. */
export function snapshot(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text.length <= AUDIT_SNAPSHOT_MAX ? text : `${text.slice(0, AUDIT_SNAPSHOT_MAX - 6)}…(cut)`;
}

/** The partitions a change is written to: its departments (no duplicates, no `*`), or KEPT. */
export function auditScopes(departments: readonly string[]): string[] {
  const named = [...new Set(departments.filter((d) => d && d !== '*'))];
  return named.length ? named : [AUDIT_KEPT];
}

/** The puts that record `change`: add them to the transaction that makes it. */
export function auditItems(db: Db, change: AuditChange, changeId: string = randomUUID()): TransactItem[] {
  const before = snapshot(change.before);
  const after = snapshot(change.after);
  return auditScopes(change.departments).map((scope) => ({
    Put: {
      TableName: db.table,
      Item: {
        pk: auditPk(scope),
        sk: `${change.at}#${changeId}`,
        changeId,
        subject: change.subject,
        id: change.id,
        action: change.action,
        by: change.by,
        at: change.at,
        departments: change.departments,
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
}

const AuditLineSchema = z.object({
  changeId: z.string(),
  subject: z.enum(AUDIT_SUBJECTS),
  id: z.string(),
  action: z.string(),
  by: z.string(),
  at: z.string(),
  departments: z.array(z.string()),
  before: z.optional(z.string()),
  after: z.optional(z.string()),
});

/**
 * Lines of the given partitions (department ids, or AUDIT_KEPT), oldest first, merged (a change
 * in two partitions is one line). `since`: an ISO instant or date, lines at or after it. `last`:
 * only the newest so many (each partition is read newest first, no more than that).
 */
export async function readAudit(
  db: Db,
  scopes: readonly string[],
  options: { since?: string; last?: number } = {},
): Promise<AuditLine[]> {
  // Sort keys hold instants as toISOString writes them (milliseconds, Z): compare like with like.
  const since = options.since?.includes('T') ? new Date(options.since).toISOString() : options.since;
  const byKey = new Map<string, AuditLine>();
  for (const scope of new Set(scopes)) {
    const items = await queryAll(
      db,
      {
        TableName: db.table,
        KeyConditionExpression: since ? 'pk = :pk AND sk >= :since' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditPk(scope), ...(since ? { ':since': since } : {}) },
        ScanIndexForward: options.last === undefined,
        ConsistentRead: true,
      },
      options.last,
    );
    for (const item of items) byKey.set(String(item.sk), AuditLineSchema.parse(item));
  }
  const lines = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line);
  return options.last === undefined ? lines : lines.slice(-options.last);
}
