/**
 * Working a request from its messages: the card's buttons and assignee picker, the requester's DM
 * buttons (answer, rate, confirm, reopen), the breach DM's Waive button, and the resolve, waive,
 * answer and rate modals. Every action acks first; the rules are in domain/request.ts, the flow in
 * slack/requests.ts, and the card, thread and DMs are posted by the worker.
 */
import type { App, BlockAction, ButtonAction, RespondFn, UsersSelectAction } from '@slack/bolt';
import { z } from 'zod';
import { isHead } from '../../domain/department';
import { findDepartment } from '../../domain/directory';
import { isLive, parseRequestId, type RequestAction, rightsOf } from '../../domain/request';
import { missedTargets } from '../../domain/request-actions';
import { calendarOf } from '../../services/calendars';
import { act } from '../../services/requests';
import { destinationOf } from '../../services/transfer';
import { getAgreementVersion } from '../../store/agreements';
import { readDirectory } from '../../store/directory';
import { getRequest, getRequestRecord } from '../../store/requests';
import { IDS } from '../ids';
import { readWaiveView, waiveModal } from '../views/breaches';
import { priorityModal, readPriorityView, readTransferView, transferModal } from '../views/request-change-modals';
import { RATE_ACTION_PATTERN } from '../views/request-dms';
import {
  answerModal,
  pauseModal,
  rateCommentModal,
  readAnswerView,
  readPauseView,
  readRateCommentView,
  readResolveView,
  resolveModal,
} from '../views/request-modals';
import type { ListenerDeps } from './deps';
import { answerPress, openThenFill, parseJson, refuse } from './reply';
import { clickedMessage, MessageAt, showAnsweredDm, showBreachDm, showResolvedDm, showWaivedInBatch } from './used-dms';

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

const RateValue = z.object({ id: z.string().min(1).max(40), score: z.number().int().min(1).max(5) });
const WaiveValue = z.object({ id: z.string().min(1).max(40), kind: z.enum(['response', 'resolution']) });
/** A form opened from a DM's button: the request, and the DM to update once it is sent (absent in older forms). */
const FromDm = z.object({ id: z.string().min(1).max(40), dm: MessageAt.optional() });
const RateComment = FromDm.extend({ score: z.number().int().min(1).max(5) });
const WaiveForm = WaiveValue.extend({ dm: MessageAt.extend({ batch: z.boolean().optional() }).optional() });

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
        const request = await getRequest(deps.db, id);
        if (!request) return { refusal: `There is no request ${id}.` };
        if (request.status === 'waiting_on_requester')
          return { refusal: `${id} is already waiting on its requester; they have the question in their DM.` };
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
    const action: RequestAction = { type: 'pause', note: question };
    const result = await act(deps.db, { id, user: body.user.id, action, delivery: `view:${view.id}`, now: deps.now() });
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
        const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
        const provider = request ? findDepartment(dir, request.provider) : undefined;
        const missed = request && provider ? missedTargets(request, calendarOf(provider), deps.now().getTime()) : [];
        return resolveModal(id, missed);
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
        const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
        if (!request) return { refusal: `There is no request ${id}.` };
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
    const result = await act(deps.db, { id, user: body.user.id, action, delivery: `view:${view.id}`, now: deps.now() });
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
        const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
        if (!request) return { refusal: `There is no request ${id}.` };
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
    const result = await act(deps.db, { id, user: body.user.id, action, delivery: `view:${view.id}`, now: deps.now() });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.transferDeptBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });

  // The breach DM's Waive button (customer heads): asks why, then waives.
  app.action<ButtonPress>(IDS.waivePenalty, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = WaiveValue.safeParse(parseJson(action.value));
    if (!parsed.success) return refuse(respond, 'That button is from an older version of Kept.');
    const { id, kind } = parsed.data;
    // A head's DM of one scan's breaches (notify-breaches.ts) lists several, each with its own
    // Waive button: only that line changes once waived, not the whole message.
    const at = clickedMessage(body);
    const dm = at
      ? { ...at, ...((action.block_id ?? '').startsWith('request_waive:') ? {} : { batch: true }) }
      : undefined;
    await openThenFill(
      client,
      body.trigger_id ?? '',
      'Waive penalty',
      async () => {
        const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
        const breach = request?.breaches?.[kind];
        if (!request || !breach) return { refusal: `${id} has no ${kind} breach to waive.` };
        const customer = findDepartment(dir, request.customer);
        if (!customer || !isHead(customer, body.user.id))
          return { refusal: `Only a head of ${customer?.name ?? request.customer} can waive the penalty of ${id}.` };
        if (breach.waived) {
          if (dm) await showBreachDm(deps, client, { id, kind, reader: body.user.id }, dm);
          return {
            refusal:
              breach.waived.by === body.user.id
                ? `You already waived the ${kind} penalty of ${id}; nothing more to do.`
                : `The ${kind} penalty of ${id} was already waived by <@${breach.waived.by}>.`,
          };
        }
        return waiveModal({
          requestId: id,
          kind,
          amount: breach.amount,
          unit: breach.unit,
          metadata: JSON.stringify({ id, kind, ...(dm ? { dm } : {}) }),
        });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press Waive again, or run \`/sla waive ${id} ${kind} reason\`.`,
        ),
    );
  });

  app.view(IDS.waiveModal, async ({ ack, body, view, client }) => {
    const { reason } = readWaiveView(view.state.values);
    const parsed = WaiveForm.safeParse(parseJson(view.private_metadata));
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
    const dm = parsed.data.dm;
    if (dm?.batch) await showWaivedInBatch(client, { id, kind, reason, at: deps.now().getTime() }, dm);
    else if (dm) await showBreachDm(deps, client, { id, kind, reader: body.user.id }, dm);
  });

  // "Answer" in the requester's "needs your input" DM: a form for the answer, which resumes the clock.
  app.action<ButtonPress>(IDS.requestAction.answer, async ({ ack, body, action, respond: r, client }) => {
    await ack();
    const respond = answerPress(r, client, body.trigger_id); // the App Home has no response_url
    const id = parseRequestId(action.value ?? '');
    if (!id) return refuse(respond, 'That button is from an older version of Kept; use `/sla resume ID your answer`.');
    const dm = clickedMessage(body);
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Answer ${id}`,
      async () => {
        const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
        if (!record) return { refusal: `There is no request ${id}.` };
        if (record.request.status !== 'waiting_on_requester')
          return {
            refusal: `${id} is not waiting for your answer any more; write to them with \`/sla reply ${id} text\` or in this DM's thread.`,
          };
        const question = [...record.events].reverse().find((e) => e.type === 'pause')?.note;
        const providerName = findDepartment(dir, record.request.provider)?.name ?? record.request.provider;
        return answerModal({
          requestId: id,
          providerName,
          ...(question ? { question } : {}),
          metadata: JSON.stringify({ id, ...(dm ? { dm } : {}) }),
        });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press Answer again, or run \`/sla resume ${id} your answer\`.`,
        ),
    );
  });

  app.view(IDS.answerModal, async ({ ack, body, view, client }) => {
    const { note } = readAnswerView(view.state.values);
    if (!note)
      return ack({
        response_action: 'errors',
        errors: { [IDS.answerBlock]: 'Write your answer: it goes to the people working on your request.' },
      });
    // The form's metadata: JSON with the DM to update, or (a form opened before) the bare request ID.
    const form = FromDm.safeParse(parseJson(view.private_metadata));
    const id = parseRequestId(form.success ? form.data.id : view.private_metadata) ?? '';
    const dm = form.success ? form.data.dm : undefined;
    const result = await act(deps.db, {
      id,
      user: body.user.id,
      action: { type: 'comment', note, side: 'requester' },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.answerBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') {
      await deps.outbox.send({ type: 'request.changed', id });
      if (dm) await showAnsweredDm(deps, client, id, dm, { by: body.user.id, at: result.event.at });
    }
  });

  // The requester's rating buttons record the score at once (a double click counts once); the DM
  // then thanks them and offers an optional comment.
  app.action<ButtonPress>(RATE_ACTION_PATTERN, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = RateValue.safeParse(parseJson(action.value));
    if (!parsed.success) return refuse(respond, 'That button is from an older version of Kept.');
    const id = parseRequestId(parsed.data.id) ?? '';
    const user = body.user.id;
    const result = await act(deps.db, {
      id,
      user,
      action: { type: 'rate', score: parsed.data.score },
      ...(action.action_ts ? { delivery: `action:${user}:${action.action_ts}` } : {}),
      now: deps.now(),
    });
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    else if (result.outcome === 'refused') {
      // A second click of the one who rated: the DM shows their rating, and nothing more is said.
      const rating = (await getRequest(deps.db, id))?.rating;
      if (rating?.by !== user) return refuse(respond, result.message);
    }
    const at = clickedMessage(body);
    if (at) await showResolvedDm(deps, client, id, at);
  });

  // "Add a comment" under a rating just given: a form for what would have made it better.
  app.action<ButtonPress>(IDS.requestAction.comment, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = parseRequestId(action.value ?? '');
    if (!id) return refuse(respond, 'That button is from an older version of Kept; use `/sla rate ID score comment`.');
    const dm = clickedMessage(body);
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Comment on ${id}`,
      async () => {
        const [request, dir] = await Promise.all([getRequest(deps.db, id), readDirectory(deps.db)]);
        const rating = request?.rating;
        if (!request || !rating || rating.by !== body.user.id)
          return { refusal: `Only the person who rated ${id} can add a comment to the rating.` };
        if (rating.better) {
          if (dm) await showResolvedDm(deps, client, id, dm);
          return { refusal: `You already commented on your rating of ${id}. Thank you!` };
        }
        const providerName = findDepartment(dir, request.provider)?.name ?? request.provider;
        return rateCommentModal({
          requestId: id,
          score: rating.score,
          providerName,
          metadata: JSON.stringify({ id, score: rating.score, ...(dm ? { dm } : {}) }),
        });
      },
      () => refuse(respond, 'Slack did not open the form in time. Please press Add a comment again.'),
    );
  });

  app.view(IDS.rateModal, async ({ ack, body, view, client }) => {
    const { better } = readRateCommentView(view.state.values);
    const form = RateComment.safeParse(parseJson(view.private_metadata));
    if (!form.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.rateBetterBlock]: 'This form is from an older version of Kept; close it and rate again.' },
      });
    if (!better)
      return ack({
        response_action: 'errors',
        errors: { [IDS.rateBetterBlock]: 'Write a few words, or close the form: your rating is already counted.' },
      });
    const id = parseRequestId(form.data.id) ?? '';
    const result = await act(deps.db, {
      id,
      user: body.user.id,
      action: { type: 'rate', score: form.data.score, better },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.rateBetterBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    if (form.data.dm) await showResolvedDm(deps, client, id, form.data.dm);
  });
}
