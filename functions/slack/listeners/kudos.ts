/**
 * Kudos in Slack: `/kudos @someone [ID] message [#value]`, the "Give kudos" message shortcut and its
 * modal, and the configured emoji reaction (`reaction_added` gives the message's author a kudos,
 * `reaction_removed` within 5 minutes takes it back, and deletes its DMs). The rules are in domain/kudos.ts, the writes
 * in store/kudos.ts; the recipients' DMs are posted by the worker (`kudos.given`), once each.
 *
 * Reactions have no reply channel: a reaction to your own message, to a bot's, or on a message
 * whose author Slack does not name is ignored silently; a reaction over the day's quota gets the
 * giver a one-line DM.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { App, MessageShortcut } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { departmentsOf, findDepartment } from '../../domain/directory';
import {
  baseEmoji,
  checkKudosContent,
  checkQuota,
  checkRecipients,
  KUDOS_RECIPIENTS_MAX,
  KUDOS_VALUES_MAX,
  type Kudos,
  type KudosSource,
  kudosLeft,
  parseKudosText,
  parseValues,
  reactionKey,
} from '../../domain/kudos';
import type { MessageRef } from '../../domain/message-ref';
import { compareNames } from '../../domain/name-order';
import { parseRequestId } from '../../domain/request';
import { localDayOf } from '../../domain/weeks';
import { logger } from '../../log';
import { visibleRequest } from '../../services/visible';
import { readDirectory } from '../../store/directory';
import { departmentsOfWeek, givenOn, kudosCountsOf, saveKudos, takeBackReaction } from '../../store/kudos';
import * as z from '../../zod';
import { IDS } from '../ids';
import {
  givenReply,
  HOME_LEADERS,
  type KudosHome,
  kudosDoneView,
  kudosModal,
  publicThanks,
  reactionOverQuota,
  readKudosView,
} from '../views/kudos';
import type { ListenerDeps } from './deps';
import { openModal, parseJson, say } from './reply';

// ---------------------------------------------------------------------------------------------
// Giving

/** What Slack says about a person: their time zone and whether they are a bot. */
interface Person {
  tz?: string;
  isBot: boolean;
}

async function lookUp(client: WebClient, user: string): Promise<Person> {
  const out = await client.users.info({ user });
  return { ...(out.user?.tz ? { tz: out.user.tz } : {}), isBot: out.user?.is_bot === true || user === 'USLACKBOT' };
}

export interface GiveInput {
  giver: string;
  recipients: string[];
  message: string;
  values: string[];
  requestId?: string;
  source: KudosSource;
  about?: MessageRef;
  /** The Slack delivery this comes from (`command:<trigger_id>`, `view:<id>`, `reaction:<key>`): a re-delivery gives nothing. */
  delivery: string;
  /** For a reaction: its key, so removing it can take the kudos back. */
  reaction?: string;
  /** Kept's own bot user (no kudos to it). */
  botUserId?: string;
}

export type GiveResult =
  | { outcome: 'given'; kudos: Kudos; left: number }
  | { outcome: 'duplicate' }
  | { outcome: 'refused'; field: 'recipients' | 'message' | 'values' | 'request' | 'quota' | 'slack'; message: string };

/**
 * Gives kudos: checks the text and the people (self, bots: users.info), reads the linked request and
 * the directory, then the giver's count for their local day, and writes it all in one transaction
 * that holds only while the quota does. Nothing here posts to Slack.
 */
export async function giveKudos(
  deps: Pick<ListenerDeps, 'config' | 'db' | 'now'>,
  client: WebClient,
  input: GiveInput,
): Promise<GiveResult> {
  const content = checkKudosContent({
    recipients: input.recipients,
    message: input.message,
    values: input.values,
    ...(input.requestId ? { requestId: input.requestId } : {}),
  });
  if (!content.ok) {
    const field =
      input.recipients.length === 0 || input.recipients.length > KUDOS_RECIPIENTS_MAX
        ? 'recipients'
        : input.values.length > KUDOS_VALUES_MAX
          ? 'values'
          : 'message';
    return { outcome: 'refused', field, message: content.error };
  }
  const { recipients, message, values } = content.value;
  const self = checkRecipients({ giver: input.giver, recipients, bots: new Set() });
  if (!self.ok) return { outcome: 'refused', field: 'recipients', message: self.error };

  let people: Person[];
  try {
    people = await Promise.all([input.giver, ...recipients].map((u) => lookUp(client, u)));
  } catch (err) {
    logger.warn('kudos: users.info failed', { error: (err as Error).message });
    return {
      outcome: 'refused',
      field: 'slack',
      message: 'Slack did not answer when Kept looked up who you are thanking. Please try again in a moment.',
    };
  }
  const bots = new Set(recipients.filter((r, i) => people[i + 1]!.isBot || r === input.botUserId));
  const allowed = checkRecipients({ giver: input.giver, recipients, bots });
  if (!allowed.ok) return { outcome: 'refused', field: 'recipients', message: allowed.error };

  let provider: string | undefined;
  if (input.requestId) {
    // A request the giver may not see is, to them, no request at all.
    const seen = await visibleRequest(deps.db, input.requestId, input.giver, deps.config.KEPT_ADMINS);
    const request = seen?.request;
    if (!request)
      return {
        outcome: 'refused',
        field: 'request',
        message: `There is no request ${input.requestId} that you can see. Leave the ID out, or check it with \`/sla show\`.`,
      };
    provider = request.provider;
  }
  const dir = await readDirectory(deps.db);
  const quota = deps.config.KEPT_KUDOS_DAILY_QUOTA;

  for (let attempt = 0; attempt < 4; attempt++) {
    const now = deps.now();
    const { day, week } = localDayOf(now.getTime(), people[0]!.tz ?? 'UTC');
    const given = await givenOn(deps.db, input.giver, day);
    const fits = checkQuota(given, recipients.length, quota);
    const kudos: Kudos = {
      id: input.reaction ? `r-${createHash('sha256').update(input.reaction).digest('hex').slice(0, 32)}` : randomUUID(),
      giver: input.giver,
      recipients,
      message,
      values,
      ...(input.requestId ? { requestId: input.requestId } : {}),
      ...(provider ? { provider } : {}),
      departments: Object.fromEntries(recipients.map((r) => [r, departmentsOf(dir, r).map((d) => d.id)])),
      at: now.getTime(),
      day,
      week,
      source: input.source,
      ...(input.about ? { about: input.about } : {}),
    };
    if (!fits.ok) return { outcome: 'refused', field: 'quota', message: fits.error };
    const saved = await saveKudos(deps.db, {
      kudos,
      quota,
      delivery: input.delivery,
      ...(input.reaction ? { reaction: input.reaction } : {}),
      now,
    });
    if (saved === 'saved') return { outcome: 'given', kudos, left: kudosLeft(given + recipients.length, quota) };
    if (saved === 'duplicate') return { outcome: 'duplicate' };
    // over_quota or conflict: someone else's kudos landed in between; read the count again.
  }
  return {
    outcome: 'refused',
    field: 'slack',
    message: 'Kept is busy counting your kudos right now; please try again in a moment.',
  };
}

// ---------------------------------------------------------------------------------------------
// App Home

/** The App Home's kudos section for `user`: the week is theirs (their time zone), the leaderboard by department. */
export async function kudosHome(
  deps: Pick<ListenerDeps, 'db' | 'now'>,
  client: WebClient,
  user: string,
): Promise<KudosHome> {
  let tz = 'UTC';
  try {
    tz = (await lookUp(client, user)).tz ?? 'UTC';
  } catch (err) {
    logger.warn('kudos: time zone not read for the App Home', { error: (err as Error).message });
  }
  const { week } = localDayOf(deps.now().getTime(), tz);
  const [counts, byDepartment, dir] = await Promise.all([
    kudosCountsOf(deps.db, user, week),
    departmentsOfWeek(deps.db, week),
    readDirectory(deps.db),
  ]);
  const leaderboard = Object.entries(byDepartment)
    .map(([id, count]) => ({ name: findDepartment(dir, id)?.name ?? id, count }))
    .sort((a, b) => b.count - a.count || compareNames(a.name, b.name))
    .slice(0, HOME_LEADERS);
  return { week, ...counts, leaderboard };
}

// ---------------------------------------------------------------------------------------------
// Listeners

/** The fields of the `/kudos` payload Kept relies on (as `/sla`'s, listeners/sla.ts). */
const KudosCommandInput = z.object({
  text: z.string().check(z.maxLength(4000)),
  user_id: z.string().check(z.minLength(1)),
  trigger_id: z.string().check(z.minLength(1)),
  channel_id: z.optional(z.string()),
});

/** A public or private channel (not a DM or group DM): kudos given there are thanked there too. */
const isChannel = (id: string | undefined) => id !== undefined && /^[CG]/.test(id);

const ModalMetadata = z.catch(
  z.partial(z.object({ channel: z.string(), ts: z.string(), from: z.literal('thanks') })),
  {},
);

const REACTION_EVENT = z.object({
  user: z.string().check(z.minLength(1)),
  reaction: z.string().check(z.minLength(1)),
  item_user: z.optional(z.string().check(z.minLength(1))),
  item: z.object({ type: z.string(), channel: z.optional(z.string()), ts: z.optional(z.string()) }),
});

export function registerKudos(app: App, deps: ListenerDeps): void {
  const botUserOf = (context: { botUserId?: string }) => context.botUserId ?? deps.config.SLACK_BOT_USER_ID;

  app.command('/kudos', async ({ command, ack, client, context, respond }) => {
    const input = KudosCommandInput.safeParse(command);
    if (!input.success)
      return ack(
        say('Slack sent a command Kept could not read. Please try again; if it keeps happening, tell a Kept admin.'),
      );
    const parsed = parseKudosText(input.data.text);
    if (!parsed.ok) return ack(say(parsed.error));
    const result = await giveKudos(deps, client, {
      giver: input.data.user_id,
      ...parsed.value,
      source: 'command',
      delivery: `command:${input.data.trigger_id}`,
      ...(botUserOf(context) ? { botUserId: botUserOf(context)! } : {}),
    });
    if (result.outcome === 'refused') return ack(say(result.message));
    if (result.outcome === 'duplicate') return ack(say('Already done: Slack sent that twice.'));
    if (isChannel(input.data.channel_id)) {
      // In a channel the thanks is public, as people expect of kudos; the quota line is the giver's.
      await ack({ response_type: 'in_channel', text: publicThanks(result.kudos) });
      await respond(say(givenReply(result.kudos, result.left))).catch(() => {});
    } else await ack(say(givenReply(result.kudos, result.left)));
    await deps.outbox.send({ type: 'kudos.given', week: result.kudos.week, id: result.kudos.id });
  });

  // The message shortcut: a modal with the message's author picked.
  app.shortcut<MessageShortcut>(IDS.giveKudosShortcut, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const { message, user } = shortcut;
    const channel = shortcut.channel?.id;
    const ts = message?.ts;
    const author = message?.user && !message.bot_id && message.user !== user.id ? message.user : undefined;
    const about = channel && ts ? { channel, ts, ...(message?.text ? { text: message.text } : {}) } : undefined;
    const view = kudosModal({
      ...(author ? { recipient: author } : {}),
      ...(about ? { about } : {}),
      metadata: JSON.stringify(channel && ts ? { channel, ts } : {}),
    });
    await openModal(client, shortcut.trigger_id, view, () =>
      respond(say('Slack did not open the form in time. Please use the shortcut again.')),
    );
  });

  app.view(IDS.kudosModal, async ({ ack, body, view, client, context }) => {
    const typed = readKudosView(view.state.values);
    const errors: Record<string, string> = {};
    const requestId = typed.requestId ? parseRequestId(typed.requestId) : undefined;
    if (typed.requestId && !requestId)
      errors[IDS.kudosRequestBlock] = 'That is not a request ID; it looks like IT-42. Leave it empty if there is none.';
    const values = parseValues(typed.values);
    if (!values) errors[IDS.kudosValuesBlock] = 'Values are single words like #ownership #speed.';
    if (Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors });
    const meta = ModalMetadata.parse(parseJson(view.private_metadata));
    const result = await giveKudos(deps, client, {
      giver: body.user.id,
      recipients: typed.recipients,
      message: typed.message,
      values: values!,
      ...(requestId ? { requestId } : {}),
      source: meta.from ?? 'shortcut',
      ...(meta.channel && meta.ts ? { about: { channel: meta.channel, ts: meta.ts } } : {}),
      delivery: `view:${view.id}`,
      ...(botUserOf(context) ? { botUserId: botUserOf(context)! } : {}),
    });
    if (result.outcome === 'refused') {
      const block = {
        recipients: IDS.kudosRecipientsBlock,
        message: IDS.kudosMessageBlock,
        values: IDS.kudosValuesBlock,
        request: IDS.kudosRequestBlock,
        quota: IDS.kudosRecipientsBlock,
        slack: IDS.kudosMessageBlock,
      }[result.field];
      return ack({ response_action: 'errors', errors: { [block]: result.message } });
    }
    if (result.outcome === 'duplicate') return ack();
    await ack({ response_action: 'update', view: kudosDoneView(givenReply(result.kudos, result.left)) });
    await deps.outbox.send({ type: 'kudos.given', week: result.kudos.week, id: result.kudos.id });
  });

  /** The reaction, when it is the kudos emoji on a message whose author Slack names. */
  const kudosReaction = (event: unknown) => {
    const e = REACTION_EVENT.safeParse(event);
    if (!e.success || e.data.item.type !== 'message' || !e.data.item.channel || !e.data.item.ts || !e.data.item_user)
      return undefined;
    const emoji = baseEmoji(e.data.reaction);
    if (emoji !== deps.config.KEPT_KUDOS_EMOJI) return undefined;
    const about = { channel: e.data.item.channel, ts: e.data.item.ts };
    return {
      giver: e.data.user,
      author: e.data.item_user,
      about,
      emoji,
      key: reactionKey({ user: e.data.user, ...about, emoji }),
    };
  };

  app.event('reaction_added', async ({ event, client, context }) => {
    const r = kudosReaction(event);
    if (!r) return;
    const botUserId = botUserOf(context);
    const result = await giveKudos(deps, client, {
      giver: r.giver,
      recipients: [r.author],
      message: `:${r.emoji}:`,
      values: [],
      source: 'reaction',
      about: r.about,
      delivery: `reaction:${r.key}`,
      reaction: r.key,
      ...(botUserId ? { botUserId } : {}),
    });
    if (result.outcome === 'given')
      return void (await deps.outbox.send({ type: 'kudos.given', week: result.kudos.week, id: result.kudos.id }));
    // Slack did not say who these people are: fail the event, so its lease is given back and Slack's
    // next delivery counts the kudos (nobody is there to be told "try again").
    if (result.outcome === 'refused' && result.field === 'slack') throw new Error(result.message);
    if (result.outcome === 'refused' && result.field === 'quota') {
      await deps.outbox.send({
        type: 'slack.post',
        key: `kudos-quota:${r.key}`,
        channel: r.giver,
        text: reactionOverQuota(deps.config.KEPT_KUDOS_DAILY_QUOTA, r.emoji),
      });
      return;
    }
    logger.info('kudos reaction not counted', {
      outcome: result.outcome,
      ...(result.outcome === 'refused' ? { field: result.field } : {}),
    });
  });

  app.event('reaction_removed', async ({ event }) => {
    const r = kudosReaction(event);
    if (!r) return;
    const taken = await takeBackReaction(deps.db, r.key, deps.now());
    logger.info(taken ? 'kudos taken back' : 'kudos reaction removed; kept (none, or older than 5 minutes)', {
      giver: r.giver,
    });
    // The recipients' DMs go too (those not sent yet never will be: the worker finds no kudos).
    if (taken && taken.dms.length > 0) await deps.outbox.send({ type: 'kudos.taken', dms: taken.dms });
  });
}
