/**
 * Block Kit for service recovery after a miss (docs/breaches.md#recovery): the four steps' buttons
 * (and a batch line's menu) with the steps done so far, their forms (the apology Kept drafts, an
 * explanation, word on progress, the cause) and what a form says once a step is recorded, and the
 * requester's once-only "did they put it right?" question in the resolve DM. Pure functions of
 * domain values; all user text goes through `escapeMrkdwn`.
 */
import type { Button, ContextBlock, KnownBlock, ModalView } from '@slack/types';
import {
  CAUSE_CATEGORIES,
  CAUSE_LABEL,
  type Cause,
  type CauseCategory,
  NOTE_MAX,
  RECOVERY_STEPS,
  type RecoveryStep,
  type Request,
} from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import { button, context, type ModalValues, modal, option, plain, section } from './blocks';
import { actorText, dateToken, escapeMrkdwn, mentionUser } from './format';

/** Each recovery step's button (action_id) in the breach DMs of the provider's side. */
export const STEP_ACTION: Record<RecoveryStep, string> = {
  apologised: IDS.recoverApologise,
  explained: IDS.recoverExplain,
  progress: IDS.recoverProgress,
  cause: IDS.recoverCause,
};

/** What a step's button says. */
export const STEP_BUTTON: Record<RecoveryStep, string> = {
  apologised: 'Apologise',
  explained: 'Explain what happened',
  progress: 'Report progress',
  cause: 'Write down the cause',
};

/** What the "done" line says of a step. */
const STEP_DONE: Record<RecoveryStep, string> = {
  apologised: 'Apologised',
  explained: 'Explained',
  progress: 'Reported progress',
  cause: 'Cause written down',
};

/** A step button's value: the request and the missed target (the apology's draft says which). */
export const stepValue = (request: Pick<Request, 'id'>, kind: TargetKind): string =>
  JSON.stringify({ id: request.id, kind });

/** The four recovery steps as buttons, in the order they are done (Apologise first; the primary unless another is). */
export function recoveryButtons(request: Pick<Request, 'id'>, kind: TargetKind, primary = true): Button[] {
  return RECOVERY_STEPS.map((step) =>
    button(
      STEP_ACTION[step],
      STEP_BUTTON[step],
      stepValue(request, kind),
      primary && step === 'apologised' ? 'primary' : undefined,
    ),
  );
}

/** `✓ Apologised by @x <date> · ✓ Cause written down by @y <date>`: the steps done so far, or nothing. */
export function recoveryDone(request: Pick<Request, 'recovery'>): ContextBlock | undefined {
  const steps = request.recovery?.steps ?? {};
  const done = RECOVERY_STEPS.flatMap((step) => {
    const s = steps[step];
    return s ? [`:white_check_mark: ${STEP_DONE[step]} by ${actorText(s.by)} ${dateToken(s.at)}`] : [];
  });
  return done.length > 0 ? context(done.join(' · ')) : undefined;
}

/** What the form for a step that reaches the requester says, asks and sends. */
const TEXT_STEP = {
  apologised: { title: 'Apologise', label: 'Your apology', did: 'apologised', placeholder: undefined },
  explained: {
    title: 'Explain',
    label: 'What happened',
    did: 'explained what happened',
    placeholder: 'e.g. The request waited in a queue nobody watched over the weekend; that is fixed now.',
  },
  progress: {
    title: 'Progress',
    label: 'How it is going',
    did: 'reported progress',
    placeholder: 'e.g. The new laptop arrives tomorrow morning; I set it up by noon.',
  },
} as const;

export type TextStep = keyof typeof TEXT_STEP;

/** A step's form title (Slack allows 24 characters): `Explain IT-42`, `Cause of IT-42`. */
export const stepTitle = (step: RecoveryStep, requestId: string): string =>
  step === 'cause' ? `Cause of ${requestId}` : `${TEXT_STEP[step].title} ${requestId}`;

/**
 * The form of a step that reaches the requester (private_metadata: JSON `{ id, kind, step }`): the
 * apology with Kept's draft to edit, an explanation, or word on progress. It reaches the requester
 * in their DM thread about the request, and is recorded as a recovery step.
 */
export function recoveryTextModal(input: {
  step: TextStep;
  requestId: string;
  requester: string;
  /** Kept's draft (the apology). */
  draft?: string;
  metadata: string;
}): ModalView {
  const step = TEXT_STEP[input.step];
  const to = mentionUser(input.requester);
  const id = escapeMrkdwn(input.requestId);
  const intro =
    input.step === 'apologised'
      ? `Kept drafted a short apology to ${to}. Make it yours: say where things stand and what happens next.`
      : input.step === 'explained'
        ? `Tell ${to} plainly what happened, without blaming anyone: what went wrong and what is being done about it.`
        : `Tell ${to} how the fix is going: what is done, what is next, and when they will hear again.`;
  return modal({
    callbackId: IDS.recoverModal,
    title: stepTitle(input.step, input.requestId),
    submit: 'Send',
    close: 'Cancel',
    metadata: input.metadata,
    blocks: [
      section(
        `${intro} It goes to them in their DM about ${id}, and the request's history records that you ${step.did}.`,
      ),
      {
        type: 'input',
        block_id: IDS.recoverTextBlock,
        label: plain(step.label),
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: NOTE_MAX,
          ...(input.draft ? { initial_value: input.draft } : {}),
          ...(step.placeholder ? { placeholder: plain(step.placeholder) } : {}),
        },
      },
    ],
  });
}

/** The apology form: Kept's draft, to edit and send. */
export function apologyModal(input: {
  requestId: string;
  requester: string;
  draft: string;
  metadata: string;
}): ModalView {
  return recoveryTextModal({ ...input, step: 'apologised' });
}

/**
 * The form that writes down the cause of a miss (private_metadata: JSON `{ id, kind }`): a category
 * and what happened, for the provider's own record and the reports; the one already written is preset.
 */
export function recoveryCauseModal(input: { requestId: string; current?: Cause; metadata: string }): ModalView {
  const current = input.current;
  const preset = current && (CAUSE_CATEGORIES as readonly string[]).includes(current.category) ? current : undefined;
  return modal({
    callbackId: IDS.recoverCauseModal,
    title: stepTitle('cause', input.requestId),
    submit: 'Save',
    close: 'Cancel',
    metadata: input.metadata,
    blocks: [
      section(
        `Why did ${escapeMrkdwn(input.requestId)} miss its target? Causes get fixed only when they are written down every time. It goes into the request's history and the reports; Kept does not send it to the requester.${preset ? ' It replaces the cause written down before.' : ''}`,
      ),
      {
        type: 'input',
        block_id: IDS.recoverCauseBlock,
        label: plain('Cause'),
        element: {
          type: 'static_select',
          action_id: IDS.value,
          placeholder: plain('What made it late?'),
          options: CAUSE_CATEGORIES.map((c) => option(c, CAUSE_LABEL[c])),
          ...(preset ? { initial_option: option(preset.category, CAUSE_LABEL[preset.category]) } : {}),
        },
      },
      {
        type: 'input',
        block_id: IDS.recoverCauseTextBlock,
        label: plain('What happened?'),
        optional: true,
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: NOTE_MAX,
          ...(preset?.text ? { initial_value: preset.text } : {}),
          placeholder: plain('e.g. Two of three people were off sick; nobody covered the queue'),
        },
      },
    ],
  });
}

/** A submission of the cause form: the category when a known one was picked, and its note trimmed. */
export function readRecoveryCauseView(values: ModalValues): { category?: CauseCategory; text: string } {
  const picked = values[IDS.recoverCauseBlock]?.[IDS.value]?.selected_option?.value;
  const text = (values[IDS.recoverCauseTextBlock]?.[IDS.value]?.value ?? '').trim();
  return picked && (CAUSE_CATEGORIES as readonly string[]).includes(picked)
    ? { category: picked as CauseCategory, text }
    : { text };
}

/** What the form says once a step is recorded: what was done, and the steps done so far and still to do. */
export function recoveryRecordedModal(
  request: Pick<Request, 'id' | 'requester' | 'recovery'>,
  step: RecoveryStep,
): ModalView {
  const id = escapeMrkdwn(request.id);
  const what =
    step === 'cause'
      ? `:memo: The cause of ${id} is written down; the reports count it.`
      : `:envelope: Sent to ${mentionUser(request.requester)} in their DM about ${id}.`;
  const steps = request.recovery?.steps ?? {};
  const left = RECOVERY_STEPS.filter((s) => !steps[s]).map((s) => STEP_BUTTON[s].toLowerCase());
  const next =
    left.length > 0
      ? `Still to do: ${left.join(', ')}.`
      : 'Every recovery step is done. Thank you for putting it right.';
  const done = recoveryDone(request);
  return modal({
    title: `Recovery of ${request.id}`,
    close: 'OK',
    blocks: [section(`${what} ${next}`), ...(done ? [done] : [])],
  });
}

/** A submission of the apology form: its text trimmed, empty when left empty. */
export function readApologyView(values: ModalValues): { text: string } {
  return { text: (values[IDS.recoverTextBlock]?.[IDS.value]?.value ?? '').trim() };
}

/**
 * The requester's Yes/No about recovery (blocks for the resolve DM of a request that missed a
 * target), or their answer once given. `by`: the provider's name, already escaped.
 */
export function recoveredQuestion(request: Pick<Request, 'id' | 'recovery'>, by: string): KnownBlock[] {
  const id = escapeMrkdwn(request.id);
  const confirmed = request.recovery?.confirmed;
  if (confirmed)
    return [
      context(
        confirmed.recovered
          ? `:sparkles: You told Kept that ${by} put ${id} right. Thank you.`
          : `You told Kept that ${id} was not put right. Thank you for saying so: ${by} sees it in the request's history.`,
      ),
    ];
  const value = (recovered: boolean) => JSON.stringify({ id: request.id, recovered });
  return [
    section(`*Did ${by} put things right?* ${id} missed a target on the way; Kept asks once.`),
    {
      type: 'actions',
      block_id: `request_recovered:${request.id}`,
      elements: [
        button(IDS.recoveredYes, 'Yes, put right', value(true), 'primary'),
        button(IDS.recoveredNo, 'Not really', value(false)),
      ],
    },
  ];
}
