/**
 * Working a request from its card: the card's buttons and assignee picker (also pressed from the
 * requester's resolved DM: Confirm solved, Reopen), and the pause, resolve, priority and transfer
 * forms; the DMs' own buttons (waive, answer, rate) are in requests-dms.ts. Every action acks first; the rules are in domain/request.ts, the flow in
 * slack/requests.ts, and the card, thread and DMs are posted by the worker.
 */

import type { App, BlockAction, ButtonAction, RespondFn, UsersSelectAction } from '@slack/bolt';
import { findDepartment } from '../../domain/directory';
import { noSuchRequest } from '../../domain/privacy';
import { isLive, parseRequestId, type RequestAction, rightsOf } from '../../domain/request';
import { missedTargets } from '../../domain/request-actions';
import { calendarOf } from '../../services/calendars';
import { act } from '../../services/requests';
import { destinationOf } from '../../services/transfer';
import { visibleRequest } from '../../services/visible';
import { getAgreementVersion } from '../../store/agreements';
import { IDS } from '../ids';
import { priorityModal, readPriorityView, readTransferView, transferModal } from '../views/request-change-modals';
import { pauseModal, readPauseView, readPauseWho, readResolveView, resolveModal } from '../views/request-modals';
import type { ListenerDeps } from './deps';
import { answerPress, openThenFill, refuse } from './reply';
import { clickedMessage, showResolvedDm } from './used-dms';

type ButtonPress = BlockAction<ButtonAction>;

/** The card's buttons that act at once: the action each stands for, made for the user who pressed it. */
const CARD_BUTTONS: Record<string, (user: string) => RequestAction> = {
  [IDS.requestAction.acknowledge]: () => ({ type: 'acknowledge' }),
  [IDS.requestAction.assignMe]: (user) => ({ type: 'assign', assignee: user }),
  [IDS.requestAction.resume]: () => ({ type: 'resume' }),
  [IDS.requestAction.close]: () => ({ type: 'close' }),
  [IDS.requestAction.reopen]: () => ({ type: 'reopen' }),
  [IDS.requestAction.cancel]: () => ({ type: 'cancel' }),
};

/** Whether a click came from the requester's "resolved" DM (its rating or Confirm solved / Reopen rows). */
const fromResolvedDm = (message: BlockAction['message']) =>
  ((message?.blocks ?? []) as { block_id?: string }[]).some(
    (b) =>
      b.block_id === 'request_confirm' || b.block_id === 'request_rating' || b.block_id === 'request_rating_comment',
  );

/** The request a card's users_select belongs to: the card's buttons carry its ID as their value. */
function cardRequestId(message: BlockAction['message']): string | undefined {
  const blocks: { elements?: { value?: string }[] }[] = message?.blocks ?? [];
  for (const block of blocks)
    for (const el of block.elements ?? []) if (el.value && parseRequestId(el.value)) return el.value;
  return undefined;
}

export function registerRequestWork(app: App, deps: ListenerDeps): void {
  async function perform(
    user: string,
    respond: RespondFn,
    id: string,
    action: RequestAction,
    actionTs: string | undefined,
  ): Promise<'done' | 'duplicate' | 'refused'> {
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user,
      action,
      ...(actionTs ? { delivery: `action:${user}:${actionTs}` } : {}),
      now: deps.now(),
    });
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    else if (result.outcome === 'refused') await refuse(respond, result.message);
    return result.outcome;
  }

  for (const [actionId, build] of Object.entries(CARD_BUTTONS)) {
    app.action<ButtonPress>(actionId, async ({ ack, body, action, respond: r, client }) => {
      await ack();
      const respond = answerPress(r, client, body.trigger_id); // the App Home has no response_url
      const id = parseRequestId(action.value ?? '');
      if (!id)
        return refuse(respond, 'That button is from an older version of Kept; use `/sla show ID` to see the request.');
      await perform(body.user.id, respond, id, build(body.user.id), action.action_ts);
      // Confirm solved / Reopen in the requester's DM: the DM now says which was done, and when.
      const at = clickedMessage(body);
      if (at && fromResolvedDm(body.message)) await showResolvedDm(deps, client, id, at);
    });
  }

  app.action<BlockAction<UsersSelectAction>>(IDS.requestAction.assign, async ({ ack, body, action, respond }) => {
    await ack();
    const picked = action.selected_user;
    const blockId = action.block_id ?? '';
    const id =
      parseRequestId(blockId.slice(blockId.indexOf(':') + 1)) ?? parseRequestId(cardRequestId(body.message) ?? '');
    if (!id || !picked) return refuse(respond, 'Kept could not tell which request that was; use `/sla show ID`.');
    await perform(body.user.id, respond, id, { type: 'assign', assignee: picked }, action.action_ts);
  });

  // "Waiting on requester" asks for the question first; the modal's submission pauses and sends it.
  app.action<ButtonPress>(IDS.requestAction.pause, async ({ ack, body, action, respond: r, client }) => {
    await ack();
    const respond = answerPress(r, client, body.trigger_id); // the App Home has no response_url
    const id = parseRequestId(action.value ?? '');
    if (!id) return refuse(respond, 'That button is from an older version of Kept; use `/sla pause ID your question`.');
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Ask about ${id}`,
      async () => {
        const seen = await visibleRequest(deps.db, id, body.user.id, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request } = seen;
        if (request.status === 'waiting_on_requester')
          return { refusal: `${id} is already waiting on its requester; they have the question in their DM.` };
        if (request.status === 'waiting_on_third_party')
          return { refusal: `${id} is already waiting on a third party; resume it when they answer.` };
        return pauseModal({ requestId: id, requester: request.requester });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press the button again, or run \`/sla pause ${id} your question\`.`,
        ),
    );
  });

  app.view(IDS.pauseModal, async ({ ack, body, view }) => {
    const question = readPauseView(view.state.values);
    if (!question)
      return ack({
        response_action: 'errors',
        errors: { [IDS.pauseQuestionBlock]: 'Ask what you need: the requester reads it and answers in Slack.' },
      });
    const id = parseRequestId(view.private_metadata) ?? '';
    const thirdParty = readPauseWho(view.state.values);
    const action: RequestAction = { type: 'pause', note: question, ...(thirdParty ? { thirdParty } : {}) };
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action,
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.pauseQuestionBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // Resolve asks for a note first; the modal's submission resolves.
  app.action<ButtonPress>(IDS.requestAction.resolve, async ({ ack, body, action, respond: r, client }) => {
    await ack();
    const respond = answerPress(r, client, body.trigger_id); // the App Home has no response_url
    const id = parseRequestId(action.value ?? '');
    if (!id) return refuse(respond, 'That button is from an older version of Kept; use `/sla resolve ID note`.');
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Resolve ${id}`,
      async () => {
        // A request that missed a target asks for its cause too.
        const seen = await visibleRequest(deps.db, id, body.user.id, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request, dir } = seen;
        const provider = findDepartment(dir, request.provider);
        const missed = request && provider ? missedTargets(request, calendarOf(provider), deps.now().getTime()) : [];
        return resolveModal(id, missed, request.cause); // a cause written down already is preset
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press Resolve again, or run \`/sla resolve ${id} how it was solved\`.`,
        ),
    );
  });

  app.view(IDS.resolveModal, async ({ ack, body, view }) => {
    const { note, cause } = readResolveView(view.state.values);
    const id = parseRequestId(view.private_metadata) ?? '';
    if (!note)
      return ack({
        response_action: 'errors',
        errors: { [IDS.resolveNoteBlock]: 'Say in a few words how it was solved: the requester reads it.' },
      });
    const action: RequestAction = { type: 'resolve', note, ...(cause ? { cause } : {}) };
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action,
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
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

  // "Change priority" on the card: a form with the agreement's other priorities and a reason.
  app.action<ButtonPress>(IDS.requestAction.priority, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = parseRequestId(action.value ?? '');
    if (!id) return refuse(respond, 'That button is from an older version of Kept; use `/sla priority ID P1 reason`.');
    const user = body.user.id;
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Priority of ${id}`,
      async () => {
        const seen = await visibleRequest(deps.db, id, user, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request, dir } = seen;
        const provider = findDepartment(dir, request.provider);
        const rights = rightsOf(request, provider, user);
        if (!rights.provider && !rights.requester)
          return {
            refusal: `Only ${provider?.name ?? request.provider} and the person who filed ${id} can change its priority.`,
          };
        if (!isLive(request))
          return { refusal: `${id} is no longer being worked; its priority stays ${request.priority}.` };
        const agreement = await getAgreementVersion(deps.db, request.agreementId, request.agreementVersion);
        if (!agreement) return { refusal: `The agreement of ${id} is gone from Kept; ask a Kept admin.` };
        return priorityModal({ requestId: id, current: request.priority, agreement, asking: !rights.provider });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press Change priority again, or run \`/sla priority ${id} P1 reason\`.`,
        ),
    );
  });

  app.view(IDS.priorityModal, async ({ ack, body, view }) => {
    const { priority, reason } = readPriorityView(view.state.values);
    const id = parseRequestId(view.private_metadata) ?? '';
    if (!priority) return ack({ response_action: 'errors', errors: { [IDS.priorityBlock]: 'Pick the new priority.' } });
    if (!reason)
      return ack({
        response_action: 'errors',
        errors: { [IDS.priorityReasonBlock]: 'Say why: the history keeps it, and the other side reads it.' },
      });
    const action: RequestAction = { type: 'priority', priority, reason };
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action,
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.priorityBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // "Transfer" on the card: a form with the departments that could take it, and why.
  app.action<ButtonPress>(IDS.requestAction.transfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = parseRequestId(action.value ?? '');
    if (!id)
      return refuse(respond, 'That button is from an older version of Kept; use `/sla transfer ID DEPT reason`.');
    const user = body.user.id;
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Transfer ${id}`,
      async () => {
        const seen = await visibleRequest(deps.db, id, user, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request, dir } = seen;
        const provider = findDepartment(dir, request.provider);
        if (!rightsOf(request, provider, user).provider)
          return { refusal: `Only people in ${provider?.name ?? request.provider} can transfer ${id}.` };
        if (!isLive(request)) return { refusal: `${id} is no longer being worked; it stays where it is.` };
        const choices = dir.departments.filter((d) => typeof destinationOf(dir, request, d.id) !== 'string');
        if (choices.length === 0)
          return {
            refusal: `No other department has an agreement covering ${findDepartment(dir, request.customer)?.name ?? request.customer}, so ${id} cannot go anywhere else yet.`,
          };
        return transferModal({ requestId: id, providerName: provider?.name ?? request.provider, choices });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press Transfer again, or run \`/sla transfer ${id} DEPT reason\`.`,
        ),
    );
  });

  app.view(IDS.transferModal, async ({ ack, body, view }) => {
    const { to, reason } = readTransferView(view.state.values);
    const id = parseRequestId(view.private_metadata) ?? '';
    if (!to) return ack({ response_action: 'errors', errors: { [IDS.transferDeptBlock]: 'Pick a department.' } });
    if (!reason)
      return ack({
        response_action: 'errors',
        errors: { [IDS.transferReasonBlock]: 'Say why it belongs there: the history keeps it, and they read it.' },
      });
    const action: RequestAction = { type: 'transfer', to, reason };
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action,
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.transferDeptBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });
}
