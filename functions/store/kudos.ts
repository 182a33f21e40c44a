/**
 * Kudos in the table. A kudos is one item in its week's partition (`KUDOS_WEEK#<week> /
 * KUDOS#<id>`), beside the week's counters per department (`DEPT#<dept>`: `received`) and per
 * person (`USER#<user>`: `received`, `given`), so the leaderboard, the App Home and the digest read a
 * week in one query. Each person's all-time counts sit at `KUDOS#<user> / TOTAL`, and the daily
 * quota at `KUDOS#<giver> / DAY#<local date>` (`given`).
 *
 * Giving writes all of it in ONE transaction with the delivery claim (`command:<trigger_id>`,
 * `view:<view id>`, `reaction:<user>:<channel>:<ts>:<emoji>`) and the quota counter's condition
 * (`given <= quota - n`), so a re-delivery counts once and two kudos at the same moment cannot pass
 * the quota together. A reaction also leaves a link (`KUDOS_REACTION#<reaction> / KUDOS`) so that
 * removing it can find and take back its kudos.
 *
 * A recovery the requester confirmed ("turned it around", for the digest) sits in the week's
 * partition too (`KUDOS_WEEK#<week> / TURNED#<request>`), written with the request change.
 */

import { departmentCredits, KUDOS_SOURCES, KUDOS_UNDO_MS, type Kudos, type TurnedAround } from '../domain/kudos';
import type { MessageRef } from '../domain/message-ref';
import * as z from '../zod';
import type { Db } from './client';
import { GetCommand, QueryCommand, UpdateCommand } from './commands';
import { DELIVERY_SK, deliveryClaimItem, deliveryPk } from './deliveries';
import { MessageRefSchema, schemaFor } from './read-back';
import { ifConditionHolds, queryAll, type TransactItem, transact, WriteConflictError } from './transact';

export const personPk = (user: string) => `KUDOS#${user}`;
export const daySk = (day: string) => `DAY#${day}`;
export const TOTAL_SK = 'TOTAL';
export const weekPk = (week: string) => `KUDOS_WEEK#${week}`;
export const kudosSk = (id: string) => `KUDOS#${id}`;
export const deptSk = (dept: string) => `DEPT#${dept}`;
export const userSk = (user: string) => `USER#${user}`;
export const reactionPk = (key: string) => `KUDOS_REACTION#${key}`;
export const turnedSk = (requestId: string) => `TURNED#${requestId}`;
export const REACTION_SK = 'KUDOS';

/** A kudos as stored: the kudos, and the DMs already sent about it. */
export type StoredKudos = Kudos & {
  /** DMs already sent, by recipient: `<DM channel>/<ts>` (a retried job skips them). */
  dmed: Record<string, string>;
};

const StoredKudosSchema = schemaFor<StoredKudos>()(
  z.object({
    id: z.string(),
    giver: z.string(),
    recipients: z.array(z.string()),
    message: z.string(),
    values: z._default(z.array(z.string()), []),
    requestId: z.optional(z.string()),
    provider: z.optional(z.string()),
    departments: z._default(z.record(z.string(), z.array(z.string())), {}),
    at: z.number(),
    day: z.string(),
    week: z.string(),
    source: z.enum(KUDOS_SOURCES),
    about: z.optional(MessageRefSchema),
    dmed: z._default(z.record(z.string(), z.string()), {}),
  }),
);

const toKudos = ({ dmed: _dmed, ...k }: StoredKudos): Kudos => k;

const add = (db: Db, pk: string, sk: string, counts: Record<string, number>): TransactItem => {
  const names = Object.keys(counts);
  return {
    Update: {
      TableName: db.table,
      Key: { pk, sk },
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#c${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:c${i}`, counts[n]!])),
    },
  };
};

/** The week's and all-time counters a kudos moves, by `sign` (+1 to give, -1 to take back). */
function counterItems(db: Db, k: Kudos, sign: 1 | -1): TransactItem[] {
  const n = k.recipients.length;
  const items: TransactItem[] = [
    add(db, weekPk(k.week), userSk(k.giver), { given: sign * n }),
    add(db, personPk(k.giver), TOTAL_SK, { given: sign * n }),
  ];
  for (const r of k.recipients)
    items.push(
      add(db, weekPk(k.week), userSk(r), { received: sign }),
      add(db, personPk(r), TOTAL_SK, { received: sign }),
    );
  for (const [dept, count] of Object.entries(departmentCredits(k)))
    items.push(add(db, weekPk(k.week), deptSk(dept), { received: sign * count }));
  return items;
}

/** `conflict`: another transaction wrote the same counter at that moment; read again and try again. */
export type SaveKudosResult = 'saved' | 'duplicate' | 'over_quota' | 'conflict';

/**
 * Gives `kudos`: its item, the counters, the giver's quota for the day (only while it stays within
 * `quota`) and the claim of `delivery`, all or nothing. A reaction (`reaction` = its key) also leaves
 * the link its removal follows. Reasons of a refused transaction: [claim, quota, kudos, link?, ...].
 */
export async function saveKudos(
  db: Db,
  input: { kudos: Kudos; quota: number; delivery: string; reaction?: string; now: Date },
): Promise<SaveKudosResult> {
  const { kudos: k, quota } = input;
  const n = k.recipients.length;
  const items: TransactItem[] = [
    deliveryClaimItem(db, input.delivery, input.now),
    {
      Update: {
        TableName: db.table,
        Key: { pk: personPk(k.giver), sk: daySk(k.day) },
        UpdateExpression: 'ADD given :n SET expiresAt = if_not_exists(expiresAt, :expires)',
        ConditionExpression: 'attribute_not_exists(given) OR given <= :max',
        // The day's counter is only needed while the day lasts somewhere: gone after 3 days.
        ExpressionAttributeValues: {
          ':n': n,
          ':max': quota - n,
          ':expires': Math.floor(input.now.getTime() / 1000) + 3 * 86_400,
        },
      },
    },
    {
      Put: {
        TableName: db.table,
        Item: { pk: weekPk(k.week), sk: kudosSk(k.id), ...k, dmed: {} },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (input.reaction) {
    items.push({
      Put: {
        TableName: db.table,
        Item: {
          pk: reactionPk(input.reaction),
          sk: REACTION_SK,
          week: k.week,
          id: k.id,
          at: k.at,
          delivery: input.delivery,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  items.push(...counterItems(db, k, 1));
  try {
    await transact(db, items);
    return 'saved';
  } catch (err) {
    if (!(err instanceof WriteConflictError)) throw err;
    const [claim, day, item, link] = err.reasons;
    if (claim === 'ConditionalCheckFailed' || item === 'ConditionalCheckFailed' || link === 'ConditionalCheckFailed')
      return 'duplicate';
    if (day === 'ConditionalCheckFailed') return 'over_quota';
    return 'conflict';
  }
}

/** Kudos `giver` has given on local date `day` (strongly consistent). */
export async function givenOn(db: Db, giver: string, day: string): Promise<number> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: personPk(giver), sk: daySk(day) }, ConsistentRead: true }),
  );
  return Number(out.Item?.given ?? 0);
}

export async function getKudos(db: Db, week: string, id: string): Promise<StoredKudos | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: weekPk(week), sk: kudosSk(id) }, ConsistentRead: true }),
  );
  return out.Item ? StoredKudosSchema.parse(out.Item) : undefined;
}

/** A DM as remembered on its kudos: `<DM channel>/<ts>`, so a take-back can delete it. */
const dmRef = (dm: MessageRef) => `${dm.channel}/${dm.ts}`;
function parseDmRef(ref: string): MessageRef | undefined {
  const [channel, ts] = ref.split('/');
  return channel && ts ? { channel, ts } : undefined;
}

/**
 * Remembers the DM to `user` about a kudos (post first, then this; a retry skips it). False when
 * the kudos was taken back meanwhile: nobody will delete that DM unless the caller does.
 */
export async function markKudosDmed(db: Db, week: string, id: string, user: string, dm: MessageRef): Promise<boolean> {
  // Refused (false): taken back meanwhile.
  return ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: weekPk(week), sk: kudosSk(id) },
        UpdateExpression: 'SET dmed.#u = if_not_exists(dmed.#u, :ts)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#u': user },
        ExpressionAttributeValues: { ':ts': dmRef(dm) },
      }),
    ),
  );
}

const ReactionLinkSchema = z.object({ week: z.string(), id: z.string(), at: z.number(), delivery: z.string() });

/** A kudos taken back, with the DMs its recipients already got (to be deleted). */
export interface TakenBack {
  kudos: Kudos;
  dms: MessageRef[];
}

/**
 * A reaction was removed: takes its kudos back (the item, the counters and the giver's quota for
 * that day, and the claim, so adding the reaction again gives again), only if it exists and was given
 * less than 5 minutes before `now`. The kudos taken back and its DMs, or undefined when nothing was.
 */
export async function takeBackReaction(db: Db, reaction: string, now: Date): Promise<TakenBack | undefined> {
  const link = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: reactionPk(reaction), sk: REACTION_SK }, ConsistentRead: true }),
  );
  if (!link.Item) return undefined;
  const ref = ReactionLinkSchema.parse(link.Item);
  if (now.getTime() - ref.at > KUDOS_UNDO_MS) return undefined;
  const stored = await getKudos(db, ref.week, ref.id);
  if (!stored) return undefined;
  const k = toKudos(stored);
  const items: TransactItem[] = [
    {
      Delete: {
        TableName: db.table,
        Key: { pk: reactionPk(reaction), sk: REACTION_SK },
        ConditionExpression: 'attribute_exists(pk) AND #id = :id AND #at >= :cutoff',
        ExpressionAttributeNames: { '#id': 'id', '#at': 'at' },
        ExpressionAttributeValues: { ':id': ref.id, ':cutoff': now.getTime() - KUDOS_UNDO_MS },
      },
    },
    {
      Delete: {
        TableName: db.table,
        Key: { pk: weekPk(k.week), sk: kudosSk(k.id) },
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    add(db, personPk(k.giver), daySk(k.day), { given: -k.recipients.length }),
    { Delete: { TableName: db.table, Key: { pk: deliveryPk(ref.delivery), sk: DELIVERY_SK } } },
    ...counterItems(db, k, -1),
  ];
  try {
    await transact(db, items);
    return { kudos: k, dms: Object.values(stored.dmed).flatMap((ref) => parseDmRef(ref) ?? []) };
  } catch (err) {
    if (err instanceof WriteConflictError && err.reasons.slice(0, 2).includes('ConditionalCheckFailed'))
      return undefined; // taken back already
    throw err;
  }
}

/**
 * The "turned it around" mention of a confirmed recovery, in its week's partition beside the
 * kudos, for the caller's transaction (the request change that records the confirmation). Keyed
 * by the request, so writing it again changes nothing.
 */
export function turnedAroundItem(db: Db, t: TurnedAround): TransactItem {
  return { Put: { TableName: db.table, Item: { pk: weekPk(t.week), sk: turnedSk(t.requestId), ...t } } };
}

const TurnedAroundSchema = schemaFor<TurnedAround>()(
  z.object({ requestId: z.string(), provider: z.string(), customer: z.string(), at: z.number(), week: z.string() }),
);

// ---------------------------------------------------------------------------------------------
// Reading a week

export interface WeekKudos {
  byDepartment: Record<string, number>;
  byPerson: Record<string, number>;
  messages: { giver: string; recipients: string[]; message: string; values: string[]; at: number }[];
  /** Recoveries confirmed that week, oldest first. */
  turned: TurnedAround[];
}

/**
 * The kudos of ISO week `week` (`2026-W48`, the giver's local week): received per department and
 * per person (counts above zero), every kudos, oldest first, and the recoveries confirmed that week
 * (`TURNED#<request>`). One query of the week's partition.
 */
export async function kudosOfWeek(db: Db, week: string): Promise<WeekKudos> {
  const out: WeekKudos = { byDepartment: {}, byPerson: {}, messages: [], turned: [] };
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': weekPk(week) },
    ConsistentRead: true,
  });
  for (const item of items) {
    const sk = String(item.sk);
    const received = Number(item.received ?? 0);
    if (sk.startsWith('DEPT#')) {
      if (received > 0) out.byDepartment[sk.slice(5)] = received;
    } else if (sk.startsWith('USER#')) {
      if (received > 0) out.byPerson[sk.slice(5)] = received;
    } else if (sk.startsWith('KUDOS#')) {
      const k = StoredKudosSchema.parse(item);
      out.messages.push({ giver: k.giver, recipients: k.recipients, message: k.message, values: k.values, at: k.at });
    } else if (sk.startsWith('TURNED#')) {
      out.turned.push(TurnedAroundSchema.parse(item));
    }
  }
  out.messages.sort((a, b) => a.at - b.at);
  out.turned.sort((a, b) => a.at - b.at || a.requestId.localeCompare(b.requestId));
  return out;
}

export interface KudosCounts {
  receivedWeek: number;
  givenWeek: number;
  receivedTotal: number;
  givenTotal: number;
}

/** `user`'s kudos received and given in `week` and in all. */
export async function kudosCountsOf(db: Db, user: string, week: string): Promise<KudosCounts> {
  const [w, t] = await Promise.all([
    db.doc.send(new GetCommand({ TableName: db.table, Key: { pk: weekPk(week), sk: userSk(user) } })),
    db.doc.send(new GetCommand({ TableName: db.table, Key: { pk: personPk(user), sk: TOTAL_SK } })),
  ]);
  return {
    receivedWeek: Number(w.Item?.received ?? 0),
    givenWeek: Number(w.Item?.given ?? 0),
    receivedTotal: Number(t.Item?.received ?? 0),
    givenTotal: Number(t.Item?.given ?? 0),
  };
}

/** The week's received counts per department (the leaderboard), without the kudos themselves. */
export async function departmentsOfWeek(db: Db, week: string): Promise<Record<string, number>> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dept)',
      ExpressionAttributeValues: { ':pk': weekPk(week), ':dept': 'DEPT#' },
    }),
  );
  const counts: Record<string, number> = {};
  for (const item of out.Items ?? [])
    if (Number(item.received ?? 0) > 0) counts[String(item.sk).slice(5)] = Number(item.received);
  return counts;
}
