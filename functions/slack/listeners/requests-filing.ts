/**
 * Filing a request in Slack: `/sla new [dept]`, the `file_request` message shortcut, the
 * new-request modal and its service select, which redraws the priorities. The flow is in
 * slack/requests.ts; the card and the requester's DM are posted by the worker.
 */
import type {
  AckFn,
  App,
  BlockAction,
  ButtonAction,
  MessageShortcut,
  RespondArguments,
  RespondFn,
  SlashCommand,
  StaticSelectAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { PRIORITIES, type Priority } from '../../domain/agreement';
import { unescapeSlack } from '../../domain/conversation';
import {
  type Directory,
  departmentsOf,
  filingChoices,
  findDepartment,
  findDepartmentByIdOrName,
} from '../../domain/directory';
import { checkRequestText, type RequestSource } from '../../domain/request-fields';
import { logger } from '../../log';
import { readDirectory } from '../../store/directory';
import * as z from '../../zod';
import { IDS } from '../ids';
import { escapeMrkdwn } from '../views/format';
import { newRequestModal, readNewRequestView } from '../views/request-modals';
import type { ListenerDeps } from './deps';
import { openThenFill, parseJson, refuse, say } from './reply';

/** A link to a message built from the workspace's domain (when Slack gives no permalink). */
const archiveLink = (domain: string | undefined, channel: string, ts: string) =>
  `https://${domain ?? 'app'}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;

/** The message an offer is about: `{ channel, ts }` of a message in a channel. */
const OfferedMessage = z.lazy(() =>
  z.object({
    channel: z.string().check(z.regex(/^[CGD][A-Z0-9]{2,}$/)),
    ts: z.string().check(z.regex(/^\d+\.\d+$/)),
  }),
);

/**
 * A message's text and permalink, read from Slack (channels:history / groups:history): a message in
 * the channel itself, else a reply in a thread. Undefined when Slack does not give it (deleted,
 * Kept no longer in the channel).
 */
async function readMessage(
  client: WebClient,
  channel: string,
  ts: string,
): Promise<{ text: string; permalink?: string; thread?: string } | undefined> {
  try {
    const top = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
    let found = top.messages?.find((m) => m.ts === ts);
    let parent: string | undefined;
    if (!found) {
      const thread = await client.conversations.replies({ channel, ts, latest: ts, inclusive: true, limit: 1 });
      found = thread.messages?.find((m) => m.ts === ts);
      // Slack gives the thread's first message first; a reply says its thread itself.
      parent = found?.thread_ts ?? thread.messages?.[0]?.ts;
    }
    if (!found) return undefined;
    const link = await client.chat
      .getPermalink({ channel, message_ts: ts })
      .then((out) => out.permalink)
      .catch(() => undefined);
    const thread = parent && parent !== ts ? { thread: parent } : {};
    return { text: found.text ?? '', ...(link ? { permalink: link } : {}), ...thread };
  } catch (err) {
    logger.warn('offered message not read', { error: (err as Error).message });
    return undefined;
  }
}

/** On the form when too many requests went to one department in the same second to file this one in time. */
export const FILING_BUSY =
  'Sorry, so many requests reached this department at this very moment that Kept could not file yours in time. Nothing was filed: press Submit again.';

/** What the new-request modal carries between its views (private_metadata). */
const ModalMetadata = z.lazy(() =>
  z.catch(
    z.object({
      provider: z.optional(z.string()),
      source: z.optional(
        z.object({
          channel: z.string(),
          ts: z.string(),
          permalink: z.string(),
          thread: z.optional(z.string().check(z.regex(/^\d+\.\d+$/))),
        }),
      ),
    }),
    {},
  ),
);
type ModalMetadata = z.infer<typeof ModalMetadata>;

function adminsLine(admins: readonly string[]): string {
  return admins.length > 0
    ? `a Kept admin (${admins
        .slice(0, 5)
        .map((a) => `<@${a}>`)
        .join(', ')})`
    : 'a Kept admin';
}

/** Why `user` cannot file anything at all (in no department, or no agreement covers theirs); undefined if they can. */
export function filingRefusal(deps: Pick<ListenerDeps, 'config'>, dir: Directory, user: string): string | undefined {
  const mine = departmentsOf(dir, user);
  if (mine.length === 0)
    return `You are not in any department in Kept yet, so Kept cannot tell who a request is from. Ask ${adminsLine(deps.config.KEPT_ADMINS)} to add you with \`/sla dept members DEPT add @you\`, or your department head to add you to its Slack user group.`;
  if (filingChoices(dir, user).length === 0)
    return `No department has an agreement with ${mine.map((d) => escapeMrkdwn(d.name)).join(' or ')} yet, so there is nowhere to file. A head can propose one with \`/sla propose\`.`;
  return undefined;
}

/** Why `user` has nothing to file under, or the modal to open. */
function modalFor(
  deps: ListenerDeps,
  dir: Directory,
  user: string,
  meta: ModalMetadata,
  initial: { description?: string } = {},
): { refusal: string } | { view: ReturnType<typeof newRequestModal> } {
  const refusal = filingRefusal(deps, dir, user);
  if (refusal) return { refusal };
  let choices = filingChoices(dir, user);
  const names = departmentsOf(dir, user)
    .map((d) => escapeMrkdwn(d.name))
    .join(' or ');
  if (meta.provider) {
    choices = choices.filter((c) => c.provider.id === meta.provider);
    if (choices.length === 0) {
      const providers = [...new Set(filingChoices(dir, user).map((c) => `\`${c.provider.id}\``))].join(', ');
      return {
        refusal: `${escapeMrkdwn(findDepartment(dir, meta.provider)?.name ?? meta.provider)} has no agreement with ${names}. You can file to: ${providers}.`,
      };
    }
  }
  const view = newRequestModal({
    choices: choices.map((c) => ({ agreement: c.agreement, providerName: c.provider.name })),
    ...(initial.description ? { initial: { description: initial.description } } : {}),
    ...(meta.source ? { source: meta.source as RequestSource } : {}),
    metadata: JSON.stringify(meta),
  });
  return { view };
}

/** `/sla new [dept]`. */
export async function openNewRequest(
  deps: ListenerDeps,
  command: SlashCommand,
  arg: string | undefined,
  ack: AckFn<string | RespondArguments>,
  client: WebClient,
  respond: RespondFn,
): Promise<void> {
  await ack();
  await openThenFill(
    client,
    command.trigger_id,
    'New request',
    async () => {
      const dir = await readDirectory(deps.db);
      let provider: string | undefined;
      if (arg) {
        const found = findDepartmentByIdOrName(dir, arg);
        if (!found)
          return {
            refusal: `There is no department \`${escapeMrkdwn(arg.slice(0, 40))}\`. Run \`/sla new\` to pick from the departments you can file to.`,
          };
        provider = found.id;
      }
      const modal = modalFor(deps, dir, command.user_id, provider ? { provider } : {});
      return 'refusal' in modal ? modal : modal.view;
    },
    () => respond(say('Slack did not open the form in time. Please run `/sla new` again.')),
  );
}

export function registerRequestFiling(app: App, deps: ListenerDeps): void {
  // The message shortcut: the modal opens with the message as the description.
  app.shortcut<MessageShortcut>(IDS.fileRequestShortcut, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const channel = shortcut.channel?.id;
    const ts = shortcut.message?.ts;
    // A reply in a thread: its thread's first message, where Kept's reply about the request goes.
    const parent = (shortcut.message as { thread_ts?: string } | undefined)?.thread_ts;
    const source =
      channel && ts
        ? {
            channel,
            ts,
            permalink: archiveLink(shortcut.team?.domain, channel, ts),
            ...(parent && parent !== ts ? { thread: parent } : {}),
          }
        : undefined;
    await openThenFill(
      client,
      shortcut.trigger_id,
      'New request',
      async () => {
        const modal = modalFor(deps, await readDirectory(deps.db), shortcut.user.id, source ? { source } : {}, {
          description: shortcut.message?.text ?? '',
        });
        return 'refusal' in modal ? modal : modal.view;
      },
      () => respond(say('Slack did not open the form in time. Please use the shortcut again.')),
    );
  });

  // "File as request" in the offer a 🎫 reaction brought: the same form as the shortcut, with the
  // message read now (reaction events do not carry its text) and a link back to it.
  app.action<BlockAction<ButtonAction>>(IDS.fileOffered, async ({ ack, body, action, client, respond }) => {
    await ack();
    const offered = OfferedMessage.safeParse(parseJson(action.value));
    if (!offered.success)
      return refuse(respond, 'That button is from an older version of Kept; react with :ticket: again.');
    const { channel, ts } = offered.data;
    await openThenFill(
      client,
      body.trigger_id ?? '',
      'New request',
      async () => {
        const [dir, message] = await Promise.all([readDirectory(deps.db), readMessage(client, channel, ts)]);
        if (!message)
          return {
            refusal:
              'Sorry, Kept cannot read that message any more (it may have been deleted, or Kept left the channel). Run `/sla new` and paste what it said.',
          };
        const source = {
          channel,
          ts,
          permalink: message.permalink ?? archiveLink(body.team?.domain, channel, ts),
          ...(message.thread ? { thread: message.thread } : {}),
        };
        const modal = modalFor(deps, dir, body.user.id, { source }, { description: unescapeSlack(message.text) });
        return 'refusal' in modal ? modal : modal.view;
      },
      () => refuse(respond, 'Slack did not open the form in time. Please press File as request again.'),
    );
  });

  // "New request" on the App Home and in `/sla help`: the same form as `/sla new`. The Home has no
  // response_url, so a trigger that expired is only logged; pressing again works.
  app.action<BlockAction<ButtonAction>>(IDS.homeNewRequest, async ({ ack, body, client }) => {
    await ack();
    await openThenFill(
      client,
      body.trigger_id ?? '',
      'New request',
      async () => {
        const modal = modalFor(deps, await readDirectory(deps.db), body.user.id, {});
        return 'refusal' in modal ? modal : modal.view;
      },
      async () => undefined,
    );
  });

  // Picking another service redraws the priorities with that agreement's targets.
  app.action<BlockAction<StaticSelectAction>>(IDS.requestServiceSelect, async ({ ack, body, action, client }) => {
    await ack();
    if (!body.view) return;
    const meta = ModalMetadata.parse(parseJson(body.view.private_metadata));
    const typed = readNewRequestView(body.view.state.values);
    const dir = await readDirectory(deps.db);
    const choices = filingChoices(dir, body.user.id).filter((c) => !meta.provider || c.provider.id === meta.provider);
    const selected = action.selected_option?.value;
    const view = newRequestModal({
      choices: choices.map((c) => ({ agreement: c.agreement, providerName: c.provider.name })),
      ...(selected ? { selected } : {}),
      initial: {
        title: typed.title,
        description: typed.description,
        ...(typed.priority ? { priority: typed.priority as Priority } : {}),
      },
      ...(meta.source ? { source: meta.source as RequestSource } : {}),
      metadata: body.view.private_metadata,
    });
    try {
      await client.views.update({ view_id: body.view.id, hash: body.view.hash, view });
    } catch (err) {
      logger.info('new-request modal not redrawn', { error: (err as Error).message }); // a newer redraw won (hash_conflict)
    }
  });

  app.view(IDS.newRequestModal, async ({ ack, body, view }) => {
    const values = readNewRequestView(view.state.values);
    const errors: Record<string, string> = {};
    if (!values.agreementId) errors[IDS.requestServiceBlock] = 'Pick the service you need.';
    if (!values.priority || !(PRIORITIES as readonly string[]).includes(values.priority))
      errors[IDS.requestPriorityBlock] = 'Pick a priority.';
    const text = checkRequestText(values);
    if (text.title) errors[IDS.requestTitleBlock] = text.title;
    if (text.description) errors[IDS.requestDescriptionBlock] = text.description;
    if (Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors });
    const meta = ModalMetadata.parse(parseJson(view.private_metadata));
    // Filing's code (the request aggregate, its rules and writes) loads on the first submission,
    // not with the form: a cold `/sla new` only reads the directory (issue #22).
    const { fileFromSlack } = await import('../../services/requests');
    const result = await fileFromSlack(deps.db, {
      user: body.user.id,
      agreementId: values.agreementId!,
      priority: values.priority as Priority,
      title: values.title,
      description: values.description,
      ...(meta.source ? { source: meta.source as RequestSource } : {}),
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused') {
      const block = {
        service: IDS.requestServiceBlock,
        priority: IDS.requestPriorityBlock,
        title: IDS.requestTitleBlock,
        description: IDS.requestDescriptionBlock,
      }[result.field];
      return ack({ response_action: 'errors', errors: { [block]: result.message } });
    }
    if (result.outcome === 'busy') {
      // The form stays open with what they typed, so one more Submit is all it takes.
      return ack({ response_action: 'errors', errors: { [IDS.requestTitleBlock]: FILING_BUSY } });
    }
    await ack();
    if (result.outcome === 'filed') await deps.outbox.send({ type: 'request.changed', id: result.request.id });
  });
}
