/**
 * The work contract: what the Slack side and the scheduled jobs hand to the worker, as one zod
 * schema (the worker checks every queued message with it) and its type. Both sides import it;
 * it imports neither.
 */

import { SLACK_USER_ID } from '../domain/department';
import { KUDOS_RECIPIENTS_MAX } from '../domain/kudos';
import * as z from '../zod';

/** Breaches in one `breaches.found` item (a scan with more sends several; each well under SQS's 256 KB). */
export const BREACH_BATCH_MAX = 500;

/** Text of 1 to `max` characters. */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** Text that `pattern` matches. */
const matching = (pattern: RegExp) => z.string().check(z.regex(pattern));

export const WorkItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('slack.post'),
    /** Same key, same message: a redelivered item does not post twice. */
    key: text(200),
    channel: z.string().check(z.minLength(1)),
    text: text(40_000),
  }),
  /** A proposal was made: DM the heads who answer it, and confirm to the proposer. */
  z.object({
    type: z.literal('agreement.proposed'),
    id: text(80),
    version: z.number().check(z.int(), z.positive()),
  }),
  /** A proposal was accepted, declined or withdrawn: update its DMs and tell both sides. */
  z.object({
    type: z.literal('agreement.decided'),
    id: text(80),
    version: z.number().check(z.int(), z.positive()),
  }),
  /** A department's user group was set: read its members from Slack. */
  z.object({ type: z.literal('usergroups.sync'), department: text(40) }),
  /** A request was filed or changed: post or update its card, its thread and the requester's DMs. */
  z.object({ type: z.literal('request.changed'), id: text(40) }),
  /** A department's report over local dates `from`..`to` as charts and CSV in `user`'s DM, once per key. */
  z.object({
    type: z.literal('report.files'),
    key: text(200),
    user: matching(SLACK_USER_ID),
    department: text(40),
    from: matching(/^\d{4}-\d{2}-\d{2}$/),
    to: matching(/^\d{4}-\d{2}-\d{2}$/),
  }),
  /** A digest was posted: its compliance chart of the last 8 weeks goes into its thread, once per key. */
  z.object({
    type: z.literal('digest.chart'),
    key: text(200),
    channel: matching(/^[CGD][A-Z0-9]{2,}$/),
    threadTs: matching(/^\d+\.\d+$/),
    week: matching(/^\d{4}-W\d{2}$/),
    departments: z.array(text(40)).check(z.minLength(1), z.maxLength(500)),
  }),
  /** The breaches one scan run found: one DM per head listing theirs, once per key and head. */
  z.object({
    type: z.literal('breaches.found'),
    key: text(200),
    breaches: z
      .array(z.object({ id: text(40), kind: z.enum(['response', 'resolution']) }))
      .check(z.minLength(1), z.maxLength(BREACH_BATCH_MAX)),
  }),
  /** A weekly report subscription's report of local dates `from`..`to`, posted once per subscription and `week`. */
  z.object({
    type: z.literal('report.weekly'),
    department: text(40),
    target: matching(/^[UWCG][A-Z0-9]{2,}$/),
    week: matching(/^\d{4}-W\d{2}$/),
    from: matching(/^\d{4}-\d{2}-\d{2}$/),
    to: matching(/^\d{4}-\d{2}-\d{2}$/),
    label: text(80),
  }),
  /** A person left Slack (deactivated): off departments, their requests back in the queue, their proposals re-routed. */
  z.object({ type: z.literal('person.left'), user: matching(SLACK_USER_ID) }),
  /** Retention: remove the text of a request that ended long enough ago (jobs/retention.ts). */
  z.object({
    type: z.literal('retention.erase'),
    id: text(40),
    month: matching(/^\d{4}-\d{2}$/),
  }),
  /** Kudos were given: DM each recipient once. */
  z.object({ type: z.literal('kudos.given'), week: matching(/^\d{4}-W\d{2}$/), id: text(80) }),
  /** An agreement's penalty statement of a month: one DM per head of both sides (jobs/statements.ts). */
  z.object({
    type: z.literal('statement.send'),
    agreement: text(80),
    month: matching(/^\d{4}-(0[1-9]|1[0-2])$/),
  }),
  /** A joint review was opened, its fix agreed, or its follow-up is due: DM both sides' heads once each. */
  z.object({
    type: z.enum(['review.open', 'review.agreed', 'review.followup']),
    agreement: text(80),
    key: text(200),
  }),
  /** A kudos reaction was taken back after its DMs went out: delete them. */
  z.object({
    type: z.literal('kudos.taken'),
    dms: z
      .array(z.object({ channel: z.string().check(z.minLength(1)), ts: z.string().check(z.minLength(1)) }))
      .check(z.minLength(1), z.maxLength(KUDOS_RECIPIENTS_MAX)),
  }),
]);
export type WorkItem = z.infer<typeof WorkItem>;
