/**
 * Filing a request in Slack: `/sla new [dept]`, the `file_request` message shortcut, the
 * new-request modal and its service select, which redraws the priorities. The flow is in
 * slack/requests.ts; the card and the requester's DM are posted by the worker.
 */
import type {
  AckFn,
  App,
  BlockAction,
  MessageShortcut,
  RespondArguments,
  RespondFn,
  SlashCommand,
  StaticSelectAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../../domain/agreement';
import { type Directory, departmentsOf, findDepartment, findDepartmentByIdOrName } from '../../domain/directory';
import { checkRequestText, type RequestSource } from '../../domain/request';
import { logger } from '../../log';
import { fileFromSlack, filingChoices } from '../../services/requests';
import { readDirectory } from '../../store/directory';
import { IDS } from '../ids';
import { escapeMrkdwn } from '../views/format';
import { newRequestModal, readNewRequestView } from '../views/request-modals';
import type { ListenerDeps } from './deps';
import { openThenFill, parseJson, say } from './reply';

/** On the form when too many requests went to one department in the same second to file this one in time. */
export const FILING_BUSY =
  'Sorry, so many requests reached this department at this very moment that Kept could not file yours in time. Nothing was filed: press Submit again.';

/** What the new-request modal carries between its views (private_metadata). */
const ModalMetadata = z
  .object({
    provider: z.string().optional(),
    source: z.object({ channel: z.string(), ts: z.string(), permalink: z.string() }).optional(),
  })
  .catch({});
type ModalMetadata = z.infer<typeof ModalMetadata>;

function adminsLine(admins: readonly string[]): string {
  return admins.length > 0
    ? `a Kept admin (${admins
        .slice(0, 5)
        .map((a) => `<@${a}>`)
        .join(', ')})`
    : 'a Kept admin';
}

/** Why `user` has nothing to file under, or the modal to open. */
function modalFor(
  deps: ListenerDeps,
  dir: Directory,
  user: string,
  meta: ModalMetadata,
  initial: { description?: string } = {},
): { refusal: string } | { view: ReturnType<typeof newRequestModal> } {
  const mine = departmentsOf(dir, user);
  if (mine.length === 0) {
    return {
      refusal: `You are not in any department in Kept yet, so Kept cannot tell who a request is from. Ask ${adminsLine(deps.config.KEPT_ADMINS)} to add you with \`/sla dept members DEPT add @you\`, or your department head to add you to its Slack user group.`,
    };
  }
  let choices = filingChoices(dir, user);
  const names = mine.map((d) => escapeMrkdwn(d.name)).join(' or ');
  if (choices.length === 0)
    return {
      refusal: `No department has an agreement with ${names} yet, so there is nowhere to file. A head can propose one with \`/sla propose\`.`,
    };
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
    const source =
      channel && ts
        ? {
            channel,
            ts,
            permalink: `https://${shortcut.team?.domain ?? 'app'}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
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
