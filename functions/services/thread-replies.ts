/**
 * Replies said in a request's threads (under its card, or under Kept's DM to its requester): each
 * becomes a history line of the writer's side, once per Slack message.
 */
import { internalNote, unescapeSlack } from '../domain/conversation';
import { isMember } from '../domain/department';
import { findDepartment } from '../domain/directory';
import { type FileLink, rightsOf, type Side } from '../domain/request';
import { decide } from '../domain/request-actions';
import type { Db } from '../store/client';
import { deliveryClaimItem, isDelivered } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import type { ThreadPointer } from '../store/request-slack';
import { getRequestWithDepartment, saveChange } from '../store/requests';
import { WriteConflictError } from '../store/transact';
import { calendarOf } from './calendars';
import type { ActResult } from './requests';

export interface ThreadMessage {
  /** The Kept message the reply is under (store/request-slack.ts `findThread`). */
  thread: ThreadPointer;
  user: string;
  text: string;
  files: FileLink[];
  /** The reply itself: its channel and ts are its delivery key, so Slack's retries record it once. */
  via: { channel: string; ts: string };
  now: Date;
}

/** The delivery key of a message said in a request's thread: one history line per Slack message. */
export const messageDelivery = (via: { channel: string; ts: string }) => `message:${via.channel}:${via.ts}`;

/**
 * A reply under a request's card or under Kept's DM to its requester becomes a history line said by
 * the writer's side: a provider member in the card's thread speaks for the provider (a leading
 * internal marker makes it an internal note), the requester speaks for themself in either thread.
 * One batched read (the request and the provider department) and one transaction (the line and the
 * message's delivery claim): a re-delivered message writes nothing and says `duplicate`.
 */
export async function sayInThread(db: Db, input: ThreadMessage): Promise<ActResult> {
  const delivery = messageDelivery(input.via);
  for (let attempt = 0; attempt < 4; attempt++) {
    const read = await getRequestWithDepartment(db, input.thread.id, input.thread.provider);
    const request = read.request;
    if (!request) return { outcome: 'refused', message: `There is no request ${input.thread.id} any more.` };
    // The request moved to another department since the message was posted: read that one.
    const provider =
      read.department?.id === request.provider
        ? read.department
        : findDepartment(await readDirectory(db), request.provider);
    if (!provider)
      return {
        outcome: 'refused',
        message: `${request.id} belongs to a department that no longer exists in Kept; ask a Kept admin.`,
      };
    const side: Side | undefined =
      input.thread.where === 'card' && isMember(provider, input.user)
        ? 'provider'
        : request.requester === input.user
          ? 'requester'
          : undefined;
    if (!side)
      return {
        outcome: 'refused',
        message: `Kept passes replies under ${request.id} between ${provider.name} and the person who filed it; yours stays in this thread only.`,
      };
    const said = side === 'provider' ? internalNote(input.text) : { internal: false, text: input.text.trim() };
    const decided = decide(
      request,
      {
        type: 'comment',
        note: unescapeSlack(said.text),
        side,
        ...(said.internal ? { internal: true } : {}),
        ...(input.files.length > 0 ? { files: input.files } : {}),
        via: input.via,
      },
      {
        actor: input.user,
        at: input.now.getTime(),
        calendar: calendarOf(provider),
        rights: rightsOf(request, provider, input.user),
        provider,
      },
    );
    if (!decided.ok) {
      if (await isDelivered(db, delivery, input.now)) return { outcome: 'duplicate' };
      return { outcome: 'refused', message: decided.error };
    }
    try {
      await saveChange(db, {
        ...decided.value,
        before: request,
        claim: deliveryClaimItem(db, delivery, input.now),
      });
      return { outcome: 'done', ...decided.value, provider };
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      if (err.reasons[2] === 'ConditionalCheckFailed') return { outcome: 'duplicate' };
    }
  }
  return {
    outcome: 'refused',
    message: `${input.thread.id} is changing quickly right now; your message is not recorded, please send it again.`,
  };
}
