/**
 * Requests in Slack: `/sla new`, the `file_request` message shortcut and the new-request modal;
 * the card's buttons, the requester's DM buttons (rate, confirm, reopen) and their modals (the
 * working commands, `/sla show`, `/sla list` and the App Home: request-commands.ts). Every action
 * acks first; the rules are in domain/request.ts, the flow in slack/requests.ts, and the card,
 * thread and DMs are posted by the worker.
 */
import type { AckFn, App, BlockAction, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../../domain/agreement';
import { isHead } from '../../domain/department';
import { type Directory, departmentsOf, findDepartment, findDepartmentByIdOrName } from '../../domain/directory';
import {
  type Cause,
  checkRequestText,
  parseRequestId,
  type RequestAction,
  type RequestSource,
} from '../../domain/request';
import { missedTargets } from '../../domain/request-actions';
import { logger } from '../../log';
import { readDirectory } from '../../store/directory';
import { getRequest, getRequestRecord } from '../../store/requests';
import { IDS } from '../ids';
import { act, calendarOf, fileFromSlack, filingChoices } from '../requests';
import { waiveModal } from '../views/breaches';
import { escapeMrkdwn } from '../views/format';
import { RATE_ACTION_PATTERN } from '../views/request-dms';
import {
  answerModal,
  newRequestModal,
  rateModal,
  readNewRequestView,
  readResolveView,
  resolveModal,
} from '../views/request-modals';
import type { ListenerDeps } from './deps';
import { parseJson, say } from './reply';

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

async function openModal(
  client: WebClient,
  trigger: string,
  view: ReturnType<typeof newRequestModal>,
  respond: RespondFn,
  again: string,
): Promise<void> {
  try {
    await client.views.open({ trigger_id: trigger, view });
  } catch (err) {
    logger.warn('new-request modal not opened', { error: (err as Error).message });
    await respond(say(`Slack did not open the form in time. Please ${again} again.`));
  }
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
  const dir = await readDirectory(deps.db);
  let provider: string | undefined;
  if (arg) {
    const found = findDepartmentByIdOrName(dir, arg);
    if (!found)
      return ack(
        say(
          `There is no department \`${escapeMrkdwn(arg.slice(0, 40))}\`. Run \`/sla new\` to pick from the departments you can file to.`,
        ),
      );
    provider = found.id;
  }
  const modal = modalFor(deps, dir, command.user_id, provider ? { provider } : {});
  if ('refusal' in modal) return ack(say(modal.refusal));
  await ack();
  await openModal(client, command.trigger_id, modal.view, respond, 'run `/sla new`');
}

// ---------------------------------------------------------------------------------------------
// Buttons and modals

type ActionBody = BlockAction & { trigger_id?: string; container?: { action_ts?: string } };

const CARD_BUTTONS: Record<string, (body: ActionBody, value: string) => RequestAction | undefined> = {
  [IDS.requestAction.acknowledge]: () => ({ type: 'acknowledge' }),
  [IDS.requestAction.assignMe]: (body) => ({ type: 'assign', assignee: body.user.id }),
  [IDS.requestAction.pause]: () => ({ type: 'pause' }),
  [IDS.requestAction.resume]: () => ({ type: 'resume' }),
  [IDS.requestAction.close]: () => ({ type: 'close' }),
  [IDS.requestAction.reopen]: () => ({ type: 'reopen' }),
  [IDS.requestAction.cancel]: () => ({ type: 'cancel' }),
};

const RateValue = z.object({ id: z.string().min(1).max(40), score: z.number().int().min(1).max(5) });
const WaiveValue = z.object({ id: z.string().min(1).max(40), kind: z.enum(['response', 'resolution']) });

export function registerRequests(app: App, deps: ListenerDeps): void {
  const tell = (respond: RespondFn, text: string) =>
    respond({ response_type: 'ephemeral', replace_original: false, text });

  async function perform(
    body: ActionBody,
    respond: RespondFn,
    id: string,
    action: RequestAction,
    actionTs: string | undefined,
  ): Promise<void> {
    const result = await act(deps.db, {
      id,
      user: body.user.id,
      action,
      ...(actionTs ? { delivery: `action:${body.user.id}:${actionTs}` } : {}),
      now: deps.now(),
    });
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    else if (result.outcome === 'refused') await tell(respond, result.message);
  }

  for (const [actionId, build] of Object.entries(CARD_BUTTONS)) {
    app.action(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const value = (action as { value?: string }).value ?? '';
      const id = parseRequestId(value);
      const built = build(body as ActionBody, value);
      if (!id || !built)
        return void (await tell(
          respond,
          'That button is from an older version of Kept; use `/sla show ID` to see the request.',
        ));
      await perform(body as ActionBody, respond, id, built, (action as { action_ts?: string }).action_ts);
    });
  }

  // Assign to someone picked on the card.
  app.action(IDS.requestAction.assign, async ({ ack, body, action, respond }) => {
    await ack();
    const picked = (action as { selected_user?: string }).selected_user;
    const blockId = (action as { block_id?: string }).block_id ?? '';
    const id =
      parseRequestId(blockId.slice(blockId.indexOf(':') + 1)) ??
      parseRequestId(cardRequestId(body as ActionBody) ?? '');
    if (!id || !picked)
      return void (await tell(respond, 'Kept could not tell which request that was; use `/sla show ID`.'));
    await perform(
      body as ActionBody,
      respond,
      id,
      { type: 'assign', assignee: picked },
      (action as { action_ts?: string }).action_ts,
    );
  });

  // Resolve asks for a note first; the modal's submission resolves.
  app.action(IDS.requestAction.resolve, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = parseRequestId((action as { value?: string }).value ?? '');
    if (!id)
      return void (await tell(respond, 'That button is from an older version of Kept; use `/sla resolve ID note`.'));
    // A request that missed a target asks for its cause too.
    const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
    const provider = request ? findDepartment(dir, request.provider) : undefined;
    const missed = request && provider ? missedTargets(request, calendarOf(provider), deps.now().getTime()) : [];
    try {
      await client.views.open({ trigger_id: (body as ActionBody).trigger_id ?? '', view: resolveModal(id, missed) });
    } catch (err) {
      logger.warn('resolve modal not opened', { error: (err as Error).message });
      await tell(
        respond,
        `Slack did not open the form in time. Press Resolve again, or run \`/sla resolve ${id} how it was solved\`.`,
      );
    }
  });

  app.view(IDS.resolveModal, async ({ ack, body, view }) => {
    const { note, cause } = readResolveView(view.state.values as Parameters<typeof readResolveView>[0]);
    const id = parseRequestId(view.private_metadata) ?? '';
    if (!note)
      return ack({
        response_action: 'errors',
        errors: { [IDS.resolveNoteBlock]: 'Say in a few words how it was solved: the requester reads it.' },
      });
    const action: RequestAction = { type: 'resolve', note, ...(cause ? { cause: cause as Cause } : {}) };
    const result = await act(deps.db, { id, user: body.user.id, action, delivery: `view:${view.id}`, now: deps.now() });
    if (result.outcome === 'refused') {
      // A target missed since the form opened: the cause is asked for on the note (the form has no cause field).
      const hasCause = view.state.values[IDS.resolveCauseBlock] !== undefined;
      return ack({
        response_action: 'errors',
        errors: {
          [hasCause && /cause/.test(result.message) ? IDS.resolveCauseBlock : IDS.resolveNoteBlock]: result.message,
        },
      });
    }
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // The breach DM's Waive button (customer heads): asks why, then waives.
  app.action(IDS.waivePenalty, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = WaiveValue.safeParse(parseJson((action as { value?: string }).value));
    if (!parsed.success) return void (await tell(respond, 'That button is from an older version of Kept.'));
    const { id, kind } = parsed.data;
    const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
    const breach = request?.breaches?.[kind];
    if (!request || !breach) return void (await tell(respond, `${id} has no ${kind} breach to waive.`));
    const customer = findDepartment(dir, request.customer);
    if (!customer || !isHead(customer, body.user.id))
      return void (await tell(
        respond,
        `Only a head of ${customer?.name ?? request.customer} can waive the penalty of ${id}.`,
      ));
    if (breach.waived)
      return void (await tell(respond, `The ${kind} penalty of ${id} was already waived by <@${breach.waived.by}>.`));
    try {
      await client.views.open({
        trigger_id: (body as ActionBody).trigger_id ?? '',
        view: waiveModal({ requestId: id, kind, amount: breach.amount, unit: breach.unit }),
      });
    } catch (err) {
      logger.warn('waive modal not opened', { error: (err as Error).message });
      await tell(
        respond,
        `Slack did not open the form in time. Press Waive again, or run \`/sla waive ${id} ${kind} reason\`.`,
      );
    }
  });

  app.view(IDS.waiveModal, async ({ ack, body, view }) => {
    const reason = (view.state.values[IDS.waiveReasonBlock]?.[IDS.value]?.value ?? '').trim();
    const parsed = WaiveValue.safeParse(parseJson(view.private_metadata));
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.waiveReasonBlock]: 'This form is from an older version of Kept; press Waive again.' },
      });
    if (!reason)
      return ack({
        response_action: 'errors',
        errors: { [IDS.waiveReasonBlock]: 'Say why: the ledger keeps the reason next to the waiver.' },
      });
    const { id, kind } = parsed.data;
    const result = await act(deps.db, {
      id,
      user: body.user.id,
      action: { type: 'waive', kind, reason },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.waiveReasonBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // "Answer" in the requester's "needs your input" DM: a form for the answer, which resumes the clock.
  app.action(IDS.requestAction.answer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = parseRequestId((action as { value?: string }).value ?? '');
    if (!id)
      return void (await tell(
        respond,
        'That button is from an older version of Kept; use `/sla resume ID your answer`.',
      ));
    const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
    if (!record) return void (await tell(respond, `There is no request ${id}.`));
    if (record.request.status !== 'waiting_on_requester')
      return void (await tell(
        respond,
        `${id} is not waiting for your answer any more; add to it with \`/sla note ${id} text\`.`,
      ));
    const question = [...record.events].reverse().find((e) => e.type === 'pause')?.note;
    const providerName = findDepartment(dir, record.request.provider)?.name ?? record.request.provider;
    try {
      await client.views.open({
        trigger_id: (body as ActionBody).trigger_id ?? '',
        view: answerModal({ requestId: id, providerName, ...(question ? { question } : {}) }),
      });
    } catch (err) {
      logger.warn('answer modal not opened', { error: (err as Error).message });
      await tell(
        respond,
        `Slack did not open the form in time. Press Answer again, or run \`/sla resume ${id} your answer\`.`,
      );
    }
  });

  app.view(IDS.answerModal, async ({ ack, body, view }) => {
    const note = (view.state.values[IDS.answerBlock]?.[IDS.value]?.value ?? '').trim();
    if (!note)
      return ack({
        response_action: 'errors',
        errors: { [IDS.answerBlock]: 'Write your answer: it goes to the people working on your request.' },
      });
    const id = parseRequestId(view.private_metadata) ?? '';
    const result = await act(deps.db, {
      id,
      user: body.user.id,
      action: { type: 'comment', note },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.answerBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // The requester's rating buttons open the rating modal with that score picked.
  app.action(RATE_ACTION_PATTERN, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = RateValue.safeParse(parseJson((action as { value?: string }).value));
    if (!parsed.success) return void (await tell(respond, 'That button is from an older version of Kept.'));
    const id = parseRequestId(parsed.data.id) ?? '';
    const record = await getRequestRecord(deps.db, id);
    if (!record) return void (await tell(respond, `There is no request ${id}.`));
    if (record.request.rating)
      return void (await tell(respond, `You already rated ${id}: ${record.request.rating.score} out of 5. Thank you!`));
    const dir = await readDirectory(deps.db);
    try {
      await client.views.open({
        trigger_id: (body as ActionBody).trigger_id ?? '',
        view: rateModal({
          requestId: id,
          score: parsed.data.score,
          providerName: findDepartment(dir, record.request.provider)?.name ?? record.request.provider,
        }),
      });
    } catch (err) {
      logger.warn('rate modal not opened', { error: (err as Error).message });
      await tell(respond, 'Slack did not open the form in time. Please press the rating again.');
    }
  });

  app.view(IDS.rateModal, async ({ ack, body, view }) => {
    const values = view.state.values;
    const scoreText = values[IDS.rateScoreBlock]?.[IDS.value]?.selected_option?.value ?? '';
    const better = (values[IDS.rateBetterBlock]?.[IDS.value]?.value ?? '').trim();
    const score = Number(scoreText);
    if (!Number.isInteger(score) || score < 1 || score > 5)
      return ack({ response_action: 'errors', errors: { [IDS.rateScoreBlock]: 'Pick a rating from 1 to 5.' } });
    const id = parseRequestId(view.private_metadata) ?? '';
    const result = await act(deps.db, {
      id,
      user: body.user.id,
      action: { type: 'rate', score, ...(better ? { better } : {}) },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.rateScoreBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // The message shortcut: the modal opens with the message as the description.
  app.shortcut(IDS.fileRequestShortcut, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const s = shortcut as unknown as {
      user: { id: string };
      trigger_id: string;
      channel?: { id: string };
      message?: { ts?: string; text?: string };
      team?: { domain?: string };
    };
    const dir = await readDirectory(deps.db);
    const channel = s.channel?.id;
    const ts = s.message?.ts;
    const source =
      channel && ts
        ? {
            channel,
            ts,
            permalink: `https://${s.team?.domain ?? 'app'}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
          }
        : undefined;
    const modal = modalFor(deps, dir, s.user.id, source ? { source } : {}, { description: s.message?.text ?? '' });
    if ('refusal' in modal) return void (await respond(say(modal.refusal)));
    await openModal(client, s.trigger_id, modal.view, respond, 'use the shortcut');
  });

  // Picking another service redraws the priorities with that agreement's targets.
  app.action(IDS.requestServiceSelect, async ({ ack, body, action, client }) => {
    await ack();
    const b = body as BlockAction & {
      view?: {
        id: string;
        hash: string;
        private_metadata: string;
        state: { values: Parameters<typeof readNewRequestView>[0] };
      };
    };
    if (!b.view) return;
    const meta = ModalMetadata.parse(parseJson(b.view.private_metadata));
    const typed = readNewRequestView(b.view.state.values);
    const dir = await readDirectory(deps.db);
    const choices = filingChoices(dir, b.user.id).filter((c) => !meta.provider || c.provider.id === meta.provider);
    const selected = (action as { selected_option?: { value?: string } }).selected_option?.value;
    const view = newRequestModal({
      choices: choices.map((c) => ({ agreement: c.agreement, providerName: c.provider.name })),
      ...(selected ? { selected } : {}),
      initial: {
        title: typed.title,
        description: typed.description,
        ...(typed.priority ? { priority: typed.priority as Priority } : {}),
      },
      ...(meta.source ? { source: meta.source as RequestSource } : {}),
      metadata: b.view.private_metadata,
    });
    try {
      await client.views.update({ view_id: b.view.id, hash: b.view.hash, view });
    } catch (err) {
      logger.info('new-request modal not redrawn', { error: (err as Error).message }); // a newer redraw won (hash_conflict)
    }
  });

  app.view(IDS.newRequestModal, async ({ ack, body, view }) => {
    const values = readNewRequestView(view.state.values as Parameters<typeof readNewRequestView>[0]);
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
    await ack();
    if (result.outcome === 'filed') await deps.outbox.send({ type: 'request.changed', id: result.request.id });
  });
}

/** The request a card's users_select belongs to: the card's buttons carry its ID as their value. */
function cardRequestId(body: ActionBody): string | undefined {
  const blocks = (body.message as { blocks?: { elements?: { value?: string }[] }[] } | undefined)?.blocks ?? [];
  for (const block of blocks)
    for (const el of block.elements ?? []) if (el.value && parseRequestId(el.value)) return el.value;
  return undefined;
}
