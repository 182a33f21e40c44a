/**
 * Messages that show what happened: once a person uses the buttons of a DM Kept sent them (rated,
 * commented, confirmed, reopened, answered, waived), that DM is drawn again from the table as it
 * now stands, so the buttons give way to a line saying who did what and when. The DM is the one
 * the click came from (its `D…` channel and ts; a form carries them in its private_metadata).
 * Updating is a courtesy on top of a change already saved: a failed update is logged, never
 * undoes or repeats the change, and the next click draws the message right again.
 */
import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isHead, isMember } from '../../domain/department';
import { findDepartment } from '../../domain/directory';
import type { MessageRef } from '../../domain/message-ref';
import { breachOf } from '../../domain/request';
import { clockAt, type TargetKind } from '../../domain/target-clock';
import { workingTimeBetween } from '../../domain/working-time';
import { logger } from '../../log';
import { calendarOf } from '../../services/calendars';
import { readDirectory } from '../../store/directory';
import { getRequestRecord, type RequestRecord } from '../../store/requests';
import * as z from '../../zod';
import { IDS } from '../ids';
import { MAX_SECTION_TEXT, type SlackMessage } from '../views/blocks';
import { breachNotice } from '../views/breaches';
import { cut, dateToken, quoted } from '../views/format';
import { answeredDm, resolvedDm, type Used } from '../views/request-dms';
import type { ListenerDeps } from './deps';
import { parseJson } from './reply';

/** A DM to update, as a form's private_metadata carries it. */
export const MessageAt = z.object({
  channel: z.string().check(z.minLength(1), z.maxLength(40)),
  ts: z.string().check(z.minLength(1), z.maxLength(40)),
});

/** The message a button was clicked on: its conversation (the DM's `D…` ID, never the person's) and ts. */
export function clickedMessage(body: BlockAction): MessageRef | undefined {
  const container = body.container as { channel_id?: unknown; message_ts?: unknown } | undefined;
  const channel = typeof container?.channel_id === 'string' ? container.channel_id : body.channel?.id;
  const ts = typeof container?.message_ts === 'string' ? container.message_ts : body.message?.ts;
  return channel && ts ? { channel, ts: String(ts) } : undefined;
}

async function update(client: WebClient, at: MessageRef, message: SlackMessage, about: string): Promise<void> {
  try {
    await client.chat.update({ channel: at.channel, ts: at.ts, text: message.text, blocks: message.blocks });
  } catch (err) {
    logger.warn('used message not updated', { about, error: (err as Error).message });
  }
}

/** The provider's name as the requester's DMs say it ("IT resolved IT-42"). */
const providerNameOf = (dir: Awaited<ReturnType<typeof readDirectory>>, record: RequestRecord) =>
  findDepartment(dir, record.request.provider)?.name ?? record.request.provider;

/** What the requester did since the latest resolve: confirmed (closed) or reopened, and when. */
function usedSinceResolve(record: RequestRecord): { closed?: Used; reopened?: Used } {
  const events = [...record.events].sort((a, b) => a.seq - b.seq);
  const resolve = events.filter((e) => e.type === 'resolve').at(-1);
  const after = resolve ? events.filter((e) => e.seq > resolve.seq) : [];
  const last = after.filter((e) => e.type === 'close' || e.type === 'reopen').at(-1);
  if (!last) return {};
  return last.type === 'close'
    ? { closed: { by: last.actor, at: last.at } }
    : { reopened: { by: last.actor, at: last.at } };
}

/** The requester's "resolved" DM, drawn again: the rating, the comment, confirm or reopen as done so far. */
export async function showResolvedDm(deps: ListenerDeps, client: WebClient, id: string, at: MessageRef): Promise<void> {
  const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
  if (!record) return;
  const resolve = record.events
    .filter((e) => e.type === 'resolve')
    .sort((a, b) => a.seq - b.seq)
    .at(-1);
  const message = resolvedDm({
    request: record.request,
    by: providerNameOf(dir, record),
    ...(resolve?.note ? { note: resolve.note } : {}),
    used: usedSinceResolve(record),
    at: deps.now().getTime(),
    ...(resolve ? { resolver: resolve.actor } : {}),
  });
  await update(client, at, message, id);
}

/** The requester's "needs your input" DM, once answered: the Answer button gives way to who answered and when. */
export async function showAnsweredDm(
  deps: ListenerDeps,
  client: WebClient,
  id: string,
  at: MessageRef,
  answered: Used,
): Promise<void> {
  const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
  if (!record) return;
  const question = [...record.events]
    .sort((a, b) => a.seq - b.seq)
    .filter((e) => e.type === 'pause')
    .at(-1)?.note;
  const message = answeredDm({
    request: record.request,
    providerName: providerNameOf(dir, record),
    ...(question ? { question } : {}),
    answered,
  });
  await update(client, at, message, id);
}

/** A head's breach DM, drawn again for them: once waived, the Waive button gives way to "You waived it". */
export async function showBreachDm(
  deps: ListenerDeps,
  client: WebClient,
  input: { id: string; kind: TargetKind; cycle?: number | undefined; reader: string },
  at: MessageRef,
): Promise<void> {
  const [record, dir] = await Promise.all([getRequestRecord(deps.db, input.id), readDirectory(deps.db)]);
  const request = record?.request;
  const breach = request ? breachOf(request, input.kind, input.cycle) : undefined;
  const provider = request ? findDepartment(dir, request.provider) : undefined;
  if (!record || !request || !breach || !provider) return;
  const customer = findDepartment(dir, request.customer);
  const clock = request.clocks[input.kind];
  // An earlier cycle's clock is gone: how late it was found is the working time from its due instant.
  const earlier = breach !== request.breaches?.[input.kind];
  const lateBy = earlier
    ? workingTimeBetween(calendarOf(provider), breach.dueAt, breach.detectedAt)
    : Math.max(0, -clockAt(calendarOf(provider), clock, Math.max(breach.detectedAt, clock.lastEventAt)).remaining);
  let cardLink: string | undefined;
  if (record.card)
    cardLink = await client.chat
      .getPermalink({ channel: record.card.channel, message_ts: record.card.ts })
      .then((out) => out.permalink)
      .catch(() => undefined);
  const message = breachNotice({
    request,
    kind: input.kind,
    breach,
    providerName: provider.name,
    customerName: customer?.name ?? request.customer,
    lateBy,
    ...(cardLink ? { cardLink } : {}),
    canWaive: customer !== undefined && isHead(customer, input.reader),
    canRecover: isMember(provider, input.reader),
    reader: input.reader,
    ...(input.cycle ? { cycle: input.cycle } : {}),
  });
  await update(client, at, message, input.id);
}

/**
 * A waiver pressed in a head's DM of several breaches: that breach's line loses its Waive button
 * and says it was waived, when and why; the other lines stay as they are. The message is read back
 * from Slack (a form's submission carries no blocks).
 */
export async function showWaivedInBatch(
  client: WebClient,
  input: { id: string; kind: TargetKind; reason: string; at: number },
  at: MessageRef,
): Promise<void> {
  try {
    const out = await client.conversations.history({ channel: at.channel, latest: at.ts, inclusive: true, limit: 1 });
    const message = out.messages?.[0] as { text?: string; blocks?: Record<string, unknown>[] } | undefined;
    if (!message?.blocks) return;
    const blocks = message.blocks.map((block) => {
      const accessory = block.accessory as { action_id?: string; value?: string } | undefined;
      if (accessory?.action_id !== IDS.waivePenalty) return block;
      const value = parseJson(accessory.value ?? '') as { id?: string; kind?: string } | undefined;
      if (value?.id !== input.id || value?.kind !== input.kind) return block;
      const { accessory: _gone, ...rest } = block;
      const text = block.text as { type: string; text: string };
      const waived = `\n:handshake: You waived it — ${dateToken(input.at)}: ${quoted(input.reason)}`;
      return { ...rest, text: { ...text, text: cut(`${text.text}${waived}`, MAX_SECTION_TEXT) } };
    });
    await update(
      client,
      at,
      { text: message.text ?? '', blocks: blocks as unknown as SlackMessage['blocks'] },
      input.id,
    );
  } catch (err) {
    logger.warn('used message not updated', { about: input.id, error: (err as Error).message });
  }
}
