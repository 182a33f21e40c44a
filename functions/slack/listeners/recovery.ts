/**
 * Service recovery after a miss (docs/breaches.md "Recovery"): the recovery steps in the breach
 * DMs of the provider's side (buttons, a batch line's menu) and the card's menu open their forms:
 * Kept's drafted apology, an explanation or word on progress (each reaches the requester in their
 * DM thread) and the cause (the request's cause); each is recorded as a recovery step, once per
 * form. The requester's Yes/No in the resolve DM answers, once, whether the service was put right
 * (and earns the agreement's recovery credit in time).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { isMember } from '../../domain/department';
import { findDepartment } from '../../domain/directory';
import { noSuchRequest } from '../../domain/privacy';
import { draftApology } from '../../domain/recovery';
import { allBreaches, type Cause, parseRequestId, RECOVERY_STEPS, type RecoveryStep } from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { workingTimeBetween } from '../../domain/working-time';
import { calendarOf } from '../../services/calendars';
import { act } from '../../services/requests';
import { visibleRequest } from '../../services/visible';
import { getRequest } from '../../store/requests';
import * as z from '../../zod';
import { IDS } from '../ids';
import {
  apologyModal,
  readApologyView,
  readRecoveryCauseView,
  recoveryCauseModal,
  recoveryRecordedModal,
  recoveryTextModal,
  STEP_ACTION,
  STEP_BUTTON,
  stepTitle,
} from '../views/recovery';
import type { ListenerDeps } from './deps';
import { openThenFill, parseJson, refuse } from './reply';
import { clickedMessage, showResolvedDm } from './used-dms';

type ButtonPress = BlockAction<ButtonAction>;
type StepPress = BlockAction<ButtonAction>;

const Kind = z.enum(['response', 'resolution']);
const requestId = () => z.string().check(z.minLength(1), z.maxLength(40));
const ApologiseValue = z.object({ id: requestId(), kind: Kind });
/** A text step's form: the apology by default (forms opened before the other steps existed). */
const TextStepMeta = z.extend(ApologiseValue, {
  step: z._default(z.enum(['apologised', 'explained', 'progress']), 'apologised'),
});
const RecoveredValue = z.object({ id: requestId(), recovered: z.boolean() });

/** Which step a press is for: a step's button, or the card's menu (the ID). */
const BUTTON_STEP: Record<string, RecoveryStep> = Object.fromEntries(
  RECOVERY_STEPS.map((step) => [STEP_ACTION[step], step]),
);
const STEP_ACTIONS = new RegExp(`^(${Object.keys(BUTTON_STEP).join('|')})$`);

function pressed(
  action: StepPress['actions'][number],
): { step: RecoveryStep; id: string; kind?: TargetKind } | undefined {
  if (action.type !== 'button') return undefined;
  const step = BUTTON_STEP[action.action_id];
  if (!step) return undefined;
  const parsed = ApologiseValue.safeParse(parseJson(action.value));
  if (parsed.success) return { step, ...parsed.data };
  // The card's "More actions" menu hands over a press with the request ID alone (request-more.ts).
  const id = parseRequestId(action.value ?? '');
  return id ? { step, id } : undefined;
}

/** What a refusal says a person outside the provider may do instead. */
const ONLY_PROVIDER: Record<RecoveryStep, string> = {
  apologised: 'apologise for',
  explained: 'explain what happened on',
  progress: 'report progress on',
  cause: 'write down the cause of',
};

export function registerRecovery(app: App, deps: ListenerDeps): void {
  // A recovery step (a breach DM of the provider's side, or the card's menu): its
  // form, for anyone in the provider; the apology comes with Kept's draft.
  app.action<StepPress>(STEP_ACTIONS, async ({ ack, body, action, respond, client }) => {
    await ack();
    const press = pressed(action);
    if (!press) return refuse(respond, 'That button is from an older version of Kept.');
    const { id, step } = press;
    const title = stepTitle(step, id);
    await openThenFill(
      client,
      body.trigger_id ?? '',
      title,
      async () => {
        const seen = await visibleRequest(deps.db, id, body.user.id, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request, dir } = seen;
        const provider = findDepartment(dir, request.provider);
        if (!provider || !isMember(provider, body.user.id))
          return {
            refusal: `Only people in ${provider?.name ?? request.provider} can ${ONLY_PROVIDER[step]} ${id}; a word of your own to them is always welcome with \`/sla reply ${id} text\`.`,
          };
        // The target the press was about, else the latest one missed.
        const missed = allBreaches(request)
          .filter((b) => press.kind === undefined || b.kind === press.kind)
          .at(-1);
        if (!missed) return { refusal: `${id} has no miss recorded, so there is nothing to recover from.` };
        if (request.status === 'cancelled')
          return { refusal: `${id} was cancelled by its requester, so Kept records no more recovery on it.` };
        const kind = missed.kind;
        const metadata = JSON.stringify({ id, kind, step });
        if (step === 'cause')
          return recoveryCauseModal({
            requestId: id,
            ...(request.cause ? { current: request.cause } : {}),
            metadata: JSON.stringify({ id, kind }),
          });
        if (step !== 'apologised')
          return recoveryTextModal({ step, requestId: id, requester: request.requester, metadata });
        const lateBy = Math.max(
          0,
          workingTimeBetween(calendarOf(provider), missed.breach.dueAt, missed.breach.detectedAt),
        );
        return apologyModal({
          requestId: id,
          requester: request.requester,
          draft: draftApology({ request, kind, lateBy, providerName: provider.name }),
          metadata,
        });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press ${STEP_BUTTON[step]} again, or write to them with \`/sla reply ${id} text\`.`,
        ),
    );
  });

  /** Records a step once per form (a second submit of the same form is the same delivery) and says what was done. */
  async function record(
    view: { id: string },
    user: string,
    id: string,
    action: { step: RecoveryStep; note: string; cause?: Cause },
    block: string,
  ) {
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user,
      action: { type: 'recover', ...action },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return { response_action: 'errors' as const, errors: { [block]: result.message } };
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
    const request = result.outcome === 'done' ? result.request : await getRequest(deps.db, id);
    return request
      ? { response_action: 'update' as const, view: recoveryRecordedModal(request, action.step) }
      : undefined;
  }

  app.view(IDS.recoverModal, async ({ ack, body, view }) => {
    const { text } = readApologyView(view.state.values);
    const parsed = TextStepMeta.safeParse(parseJson(view.private_metadata));
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.recoverTextBlock]: 'This form is from an older version of Kept; press the button again.' },
      });
    const { id, step } = parsed.data;
    if (!text)
      return ack({
        response_action: 'errors',
        errors: {
          [IDS.recoverTextBlock]:
            step === 'apologised'
              ? 'Write your apology: the requester reads it.'
              : 'Write a line or two: the requester reads it.',
        },
      });
    const reply = await record(view, body.user.id, id, { step, note: text }, IDS.recoverTextBlock);
    await ack(reply);
  });

  app.view(IDS.recoverCauseModal, async ({ ack, body, view }) => {
    const { category, text } = readRecoveryCauseView(view.state.values);
    const parsed = ApologiseValue.safeParse(parseJson(view.private_metadata));
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.recoverCauseBlock]: 'This form is from an older version of Kept; press the button again.' },
      });
    if (!category)
      return ack({
        response_action: 'errors',
        errors: { [IDS.recoverCauseBlock]: 'Pick the cause that fits best; "Other" and a note will do.' },
      });
    const { id } = parsed.data;
    const reply = await record(
      view,
      body.user.id,
      id,
      { step: 'cause', note: text, cause: { category, ...(text ? { text } : {}) } },
      IDS.recoverCauseBlock,
    );
    await ack(reply);
  });

  // The requester's answer in the resolve DM: recorded once; a second click changes nothing and says so.
  app.action<ButtonPress>(
    new RegExp(`^(${IDS.recoveredYes}|${IDS.recoveredNo})$`),
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const parsed = RecoveredValue.safeParse(parseJson(action.value));
      if (!parsed.success) return refuse(respond, 'That button is from an older version of Kept.');
      const { id, recovered } = parsed.data;
      const user = body.user.id;
      const result = await act(deps.db, {
        admins: deps.config.KEPT_ADMINS,
        id,
        user,
        action: { type: 'recovered', recovered },
        ...(action.action_ts ? { delivery: `action:${user}:${action.action_ts}` } : {}),
        now: deps.now(),
      });
      if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
      if (result.outcome === 'refused') await refuse(respond, result.message);
      const at = clickedMessage(body);
      if (at && (await getRequest(deps.db, id))) await showResolvedDm(deps, client, id, at);
    },
  );
}
