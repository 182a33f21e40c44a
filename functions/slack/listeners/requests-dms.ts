/**
 * The buttons in Kept's DMs about a request, and their forms: a head's Waive in a breach DM, the
 * requester's Answer in "needs your input", their one-click rating and the comment after it. Each
 * DM, once used, is drawn again to say what was done (used-dms.ts). The card's own buttons are in
 * requests-working.ts.
 */

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { isHead } from '../../domain/department';
import { findDepartment } from '../../domain/directory';
import { maySeeRequest, noSuchRequest } from '../../domain/privacy';
import { breachOf, parseRequestId } from '../../domain/request';
import { act } from '../../services/requests';
import { visibleRequest } from '../../services/visible';
import { readDirectory } from '../../store/directory';
import { getRequest, getRequestRecord } from '../../store/requests';
import * as z from '../../zod';
import { IDS } from '../ids';
import { readWaiveView, waiveModal } from '../views/breaches';
import { RATE_ACTION_PATTERN } from '../views/request-dms';
import { answerModal, rateCommentModal, readAnswerView, readRateCommentView } from '../views/request-modals';
import type { ListenerDeps } from './deps';
import { answerPress, openThenFill, parseJson, refuse } from './reply';
import { clickedMessage, MessageAt, showAnsweredDm, showBreachDm, showResolvedDm, showWaivedInBatch } from './used-dms';

type ButtonPress = BlockAction<ButtonAction>;

/** A request's ID as a button or form carries it. */
const requestId = () => z.string().check(z.minLength(1), z.maxLength(40));
/** A whole number from `min` to `max`. */
const wholeNumber = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const RateValue = z.object({ id: requestId(), score: wholeNumber(1, 5) });
/** `cycle`: the resolution breach's reopen cycle (buttons sent before cycles have none: the current one). */
const WaiveValue = z.object({
  id: requestId(),
  kind: z.enum(['response', 'resolution']),
  cycle: z.optional(wholeNumber(1, 10_000)),
});
/** A form opened from a DM's button: the request, and the DM to update once it is sent (absent in older forms). */
const FromDm = z.object({ id: requestId(), dm: z.optional(MessageAt) });
const RateComment = z.extend(FromDm, { score: wholeNumber(1, 5) });
const WaiveForm = z.extend(WaiveValue, { dm: z.optional(z.extend(MessageAt, { batch: z.optional(z.boolean()) })) });

export function registerRequestDms(app: App, deps: ListenerDeps): void {
  // The breach DM's Waive button (customer heads): asks why, then waives.
  app.action<ButtonPress>(IDS.waivePenalty, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = WaiveValue.safeParse(parseJson(action.value));
    if (!parsed.success) return refuse(respond, 'That button is from an older version of Kept.');
    const { id, kind, cycle } = parsed.data;
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
        const seen = await visibleRequest(deps.db, id, body.user.id, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request, dir } = seen;
        const breach = breachOf(request, kind, cycle);
        if (!breach) return { refusal: `${id} has no ${kind} breach to waive.` };
        const customer = findDepartment(dir, request.customer);
        if (!customer || !isHead(customer, body.user.id))
          return { refusal: `Only a head of ${customer?.name ?? request.customer} can waive the penalty of ${id}.` };
        if (breach.waived) {
          if (dm) await showBreachDm(deps, client, { id, kind, cycle, reader: body.user.id }, dm);
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
          metadata: JSON.stringify({ id, kind, ...(cycle ? { cycle } : {}), ...(dm ? { dm } : {}) }),
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
    const { id, kind, cycle } = parsed.data;
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action: { type: 'waive', kind, reason, ...(cycle ? { cycle } : {}) },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.waiveReasonBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    const dm = parsed.data.dm;
    if (dm?.batch) await showWaivedInBatch(client, { id, kind, reason, at: deps.now().getTime() }, dm);
    else if (dm) await showBreachDm(deps, client, { id, kind, cycle, reader: body.user.id }, dm);
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
        if (!record || !maySeeRequest(record.request, dir, body.user.id, deps.config.KEPT_ADMINS))
          return { refusal: noSuchRequest(id) };
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
      admins: deps.config.KEPT_ADMINS,
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
      admins: deps.config.KEPT_ADMINS,
      id,
      user,
      action: { type: 'rate', score: parsed.data.score },
      ...(action.action_ts ? { delivery: `action:${user}:${action.action_ts}` } : {}),
      now: deps.now(),
    });
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    const at = clickedMessage(body);
    if (result.outcome === 'refused') {
      // A second click of the one who rated: the DM shows their rating, and nothing more is said.
      // Anything else (the rating closed) is said, and the DM is drawn as it now stands.
      const rating = (await getRequest(deps.db, id))?.rating;
      if (rating?.by !== user) {
        await refuse(respond, result.message);
        if (at) await showResolvedDm(deps, client, id, at);
        return;
      }
    }
    if (at) await showResolvedDm(deps, client, id, at);
  });

  // "Open the request" in a head's low-score DM is a link to the card: Slack opens it; the click only needs an answer.
  app.action(IDS.requestAction.open, async ({ ack }) => {
    await ack();
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
      admins: deps.config.KEPT_ADMINS,
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
