/**
 * The request modals: filing a new request (`/sla new`, the `file_request` shortcut), the
 * resolution note (with the cause when a target was missed), the answer, and the comment after a rating. Pure functions of domain values; every input answers with
 * action_id `IDS.value` except the service select, which re-draws the priorities
 * (`IDS.requestServiceSelect`, dispatch_action).
 */
import type { InputBlock, KnownBlock, ModalView, StaticSelect } from '@slack/types';
import { type AgreementVersion, PRIORITIES, type Priority } from '../../domain/agreement';
import { describeTarget } from '../../domain/agreement-text';
import {
  BETTER_MAX,
  CAUSE_CATEGORIES,
  CAUSE_LABEL,
  type Cause,
  type CauseCategory,
  DESCRIPTION_MAX,
  NOTE_MAX,
  type RequestSource,
  TITLE_MAX,
} from '../../domain/request-fields';
import type { TargetKind } from '../../domain/target-clock';
import { IDS } from '../ids';
import {
  context,
  MAX_OPTION_TEXT,
  MAX_SELECT_OPTIONS,
  type ModalValues,
  modal,
  option,
  plain,
  section,
} from './blocks';
import { clip, escapeMrkdwn, link, mentionUser, quoted, safeUrl } from './format';

export interface ServiceChoice {
  agreement: AgreementVersion;
  providerName: string;
}

export interface NewRequestModalInput {
  choices: readonly ServiceChoice[];
  /** The agreement id picked; default the first choice. */
  selected?: string;
  initial?: { title?: string; description?: string; priority?: Priority };
  /** The message the request is filed from (message shortcut). */
  source?: RequestSource;
  /** Opaque to the view: the listener's private_metadata. */
  metadata: string;
}

/** `P2 — answer in 2h, solve in 16h working time`. */
export function priorityLabel(priority: Priority, agreement: AgreementVersion): string | undefined {
  const target = agreement.targets[priority];
  return target ? `${priority} — ${describeTarget(target)} working time` : undefined;
}

/** Slack's limits on a static select's `option_groups`: groups in one select, options in one group. */
export const MAX_OPTION_GROUPS = 100;

/**
 * The services to pick from: one group per providing department, labelled with its name, when
 * there is more than one (Slack: up to 100 groups of up to 100 options); a flat list otherwise.
 */
function serviceSelect(choices: readonly ServiceChoice[], selected: AgreementVersion | undefined): StaticSelect {
  const optionOf = (c: ServiceChoice) => option(c.agreement.id, c.agreement.service);
  const providers = [...new Set(choices.map((c) => c.providerName))];
  const grouped = providers.length > 1;
  const shown = grouped
    ? providers
        .slice(0, MAX_OPTION_GROUPS)
        .flatMap((p) => choices.filter((c) => c.providerName === p).slice(0, MAX_SELECT_OPTIONS))
    : choices.slice(0, MAX_SELECT_OPTIONS);
  const chosen = selected ? shown.find((c) => c.agreement.id === selected.id) : undefined;
  const base: StaticSelect = {
    type: 'static_select',
    action_id: IDS.requestServiceSelect,
    placeholder: plain('Choose a service'),
    ...(chosen ? { initial_option: optionOf(chosen) } : {}),
  };
  if (!grouped) return { ...base, options: shown.map(optionOf) };
  return {
    ...base,
    option_groups: providers.slice(0, MAX_OPTION_GROUPS).map((p) => ({
      label: plain(clip(p, MAX_OPTION_TEXT)),
      options: shown.filter((c) => c.providerName === p).map(optionOf),
    })),
  };
}

function priorityInput(agreement: AgreementVersion, initial: Priority | undefined): InputBlock {
  const options = PRIORITIES.flatMap((p) => {
    const label = priorityLabel(p, agreement);
    return label ? [option(p, label)] : [];
  });
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: IDS.requestPriorityBlock,
    label: plain('Priority'),
    hint: plain(`Targets of ${clip(agreement.service, 80)}: working time on the provider's calendar.`),
    element: {
      type: 'static_select',
      action_id: IDS.value,
      placeholder: plain('How urgent is it?'),
      options,
      ...(chosen ? { initial_option: chosen } : {}),
    },
  };
}

/** A link to the source message, when its permalink is a plain https URL. */
function sourceLine(source: RequestSource): string {
  return safeUrl(source.permalink) ? `Filed from ${link(source.permalink, 'this message')}` : 'Filed from a message';
}

/** The new-request modal; the priorities are those of the selected agreement. */
export function newRequestModal(input: NewRequestModalInput): ModalView {
  const selected =
    input.choices.find((c) => c.agreement.id === input.selected)?.agreement ?? input.choices[0]?.agreement;
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: IDS.requestServiceBlock,
      dispatch_action: true,
      label: plain('Service'),
      element: serviceSelect(input.choices, selected),
    },
  ];
  if (selected) blocks.push(priorityInput(selected, input.initial?.priority));
  else blocks.push(section('There is no service you can file to yet.'));
  const title = input.initial?.title;
  const description = input.initial?.description;
  blocks.push(
    {
      type: 'input',
      block_id: IDS.requestTitleBlock,
      label: plain('Title'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.value,
        max_length: TITLE_MAX,
        placeholder: plain('One line that says what you need'),
        ...(title ? { initial_value: clip(title, TITLE_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: IDS.requestDescriptionBlock,
      label: plain('Description'),
      optional: true,
      element: {
        type: 'plain_text_input',
        action_id: IDS.value,
        multiline: true,
        max_length: DESCRIPTION_MAX,
        placeholder: plain('What happened, what you tried, anything that helps'),
        ...(description ? { initial_value: clip(description, DESCRIPTION_MAX) } : {}),
      },
    },
  );
  if (input.source) blocks.push(context(sourceLine(input.source)));
  return modal({
    callbackId: IDS.newRequestModal,
    title: 'New request',
    submit: 'File request',
    close: 'Cancel',
    metadata: input.metadata,
    blocks,
  });
}

/** A submission (or the state at a redraw) of the new-request modal; text trimmed, empty when left empty. */
export function readNewRequestView(values: ModalValues): {
  agreementId?: string;
  priority?: string;
  title: string;
  description: string;
} {
  const agreementId = values[IDS.requestServiceBlock]?.[IDS.requestServiceSelect]?.selected_option?.value ?? undefined;
  const priority = values[IDS.requestPriorityBlock]?.[IDS.value]?.selected_option?.value ?? undefined;
  const text = (block: string) => (values[block]?.[IDS.value]?.value ?? '').trim();
  return {
    ...(agreementId ? { agreementId } : {}),
    ...(priority ? { priority } : {}),
    title: text(IDS.requestTitleBlock),
    description: text(IDS.requestDescriptionBlock),
  };
}

/**
 * Asks for the resolution note; the requester reads it. When the request missed targets
 * (`missedTargets` in the domain), it also asks for the cause (required) and what happened; a cause
 * already written down as a recovery step (`written`) is preset.
 */
export function resolveModal(requestId: string, missed: readonly TargetKind[] = [], written?: Cause): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: IDS.resolveNoteBlock,
      label: plain('How was it solved? The requester reads this.'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.value,
        multiline: true,
        max_length: NOTE_MAX,
        placeholder: plain('e.g. Replaced the toner; printing works again'),
      },
    },
  ];
  const kinds = (['response', 'resolution'] as const).filter((k) => missed.includes(k));
  if (kinds.length > 0) {
    const what = kinds.length === 2 ? 'response and resolution targets' : `${kinds[0]} target`;
    blocks.push(
      section(
        `:red_circle: ${escapeMrkdwn(requestId)} missed its ${what}. Causes get fixed only when they are written down every time.`,
      ),
      {
        type: 'input',
        block_id: IDS.resolveCauseBlock,
        label: plain('Cause'),
        element: {
          type: 'static_select',
          action_id: IDS.value,
          placeholder: plain('What made it late?'),
          options: CAUSE_CATEGORIES.map((c) => option(c, CAUSE_LABEL[c])),
          ...(written && (CAUSE_CATEGORIES as readonly string[]).includes(written.category)
            ? { initial_option: option(written.category, CAUSE_LABEL[written.category]) }
            : {}),
        },
      },
      {
        type: 'input',
        block_id: IDS.resolveCauseTextBlock,
        label: plain('What happened?'),
        optional: true,
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: NOTE_MAX,
          ...(written?.text ? { initial_value: written.text } : {}),
          placeholder: plain('e.g. Two of three people were off sick; nobody covered the queue'),
        },
      },
    );
  }
  return modal({
    callbackId: IDS.resolveModal,
    title: `Resolve ${requestId}`,
    submit: 'Resolve',
    close: 'Cancel',
    metadata: requestId,
    blocks,
  });
}

/**
 * A submission of the resolve modal: the note trimmed (empty when left empty), and the cause
 * when a known category was picked (its text trimmed, left out when empty).
 */
export function readResolveView(values: ModalValues): { note: string; cause?: Cause } {
  const text = (block: string) => (values[block]?.[IDS.value]?.value ?? '').trim();
  const note = text(IDS.resolveNoteBlock);
  const picked = values[IDS.resolveCauseBlock]?.[IDS.value]?.selected_option?.value;
  if (!picked || !(CAUSE_CATEGORIES as readonly string[]).includes(picked)) return { note };
  const why = text(IDS.resolveCauseTextBlock);
  return { note, cause: { category: picked as CauseCategory, ...(why ? { text: why } : {}) } };
}

/** The requester answers what the provider asked (the pause's note); sending resumes the clock. */
export function answerModal(input: {
  requestId: string;
  question?: string;
  providerName: string;
  /** What the submission needs back (see IDS.answerModal); the request ID by default. */
  metadata?: string;
}): ModalView {
  const asked = input.question
    ? `${escapeMrkdwn(input.providerName)} asked: ${quoted(input.question)}`
    : `${escapeMrkdwn(input.providerName)} needs your input on ${escapeMrkdwn(input.requestId)}.`;
  return modal({
    callbackId: IDS.answerModal,
    title: `Answer ${input.requestId}`,
    submit: 'Send',
    close: 'Cancel',
    metadata: input.metadata ?? input.requestId,
    blocks: [
      section(asked),
      {
        type: 'input',
        block_id: IDS.answerBlock,
        label: plain('Your answer'),
        element: { type: 'plain_text_input', action_id: IDS.value, multiline: true, max_length: NOTE_MAX },
        hint: plain(`It goes into the request's history, and the resolution clock runs again.`),
      },
    ],
  });
}

/**
 * "Waiting on requester" asks what the provider needs first: the requester reads it in their DM,
 * with an Answer button, and the resolution clock waits until they answer.
 */
export function pauseModal(input: { requestId: string; requester: string }): ModalView {
  return modal({
    callbackId: IDS.pauseModal,
    title: `Ask about ${input.requestId}`,
    submit: 'Ask',
    close: 'Cancel',
    metadata: input.requestId,
    blocks: [
      section(
        `What do you need from ${mentionUser(input.requester)} to go on with ${escapeMrkdwn(input.requestId)}? They get your question in a DM with an *Answer* button; the resolution clock waits until they answer. Waiting on someone else, such as a vendor? Choose *A third party*: the requester is told, not asked, and the clock follows your agreement.`,
      ),
      {
        type: 'input',
        block_id: IDS.pauseWhoBlock,
        label: plain('Waiting on'),
        element: {
          type: 'radio_buttons',
          action_id: IDS.value,
          initial_option: WAITING_ON[0],
          options: [...WAITING_ON],
        },
      },
      {
        type: 'input',
        block_id: IDS.pauseQuestionBlock,
        label: plain('Your question'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: NOTE_MAX,
          placeholder: plain('e.g. Which laptop is it? The serial number is on a sticker underneath.'),
        },
      },
    ],
  });
}

const WAITING_ON = [
  { text: plain('The requester (their answer resumes the clock)'), value: 'requester' },
  { text: plain('A third party, e.g. a vendor (the requester is told, not asked)'), value: 'third_party' },
] as const;

/** The question typed into the pause modal, trimmed (empty when left empty). */
export function readPauseView(values: ModalValues): string {
  return (values[IDS.pauseQuestionBlock]?.[IDS.value]?.value ?? '').trim();
}

/** Whether the pause modal says the wait is on a third party (else on the requester). */
export function readPauseWho(values: ModalValues): boolean {
  return values[IDS.pauseWhoBlock]?.[IDS.value]?.selected_option?.value === 'third_party';
}

/**
 * "Add a comment" after a rating: the score is recorded already (one click), so the form asks only
 * what would have made it better. `metadata` is what the submission needs back (see IDS.rateModal).
 */
export function rateCommentModal(input: {
  requestId: string;
  score: number;
  providerName: string;
  metadata: string;
}): ModalView {
  const provider = escapeMrkdwn(input.providerName);
  return modal({
    callbackId: IDS.rateModal,
    title: `Comment on ${input.requestId}`,
    submit: 'Send',
    close: 'Cancel',
    metadata: input.metadata,
    blocks: [
      section(
        `You rated ${escapeMrkdwn(input.requestId)} ${input.score}/5. Anything ${provider} should know? ${provider} reads your comment with the rating.`,
      ),
      {
        type: 'input',
        block_id: IDS.rateBetterBlock,
        label: plain('What would have made this better?'),
        element: { type: 'plain_text_input', action_id: IDS.value, multiline: true, max_length: BETTER_MAX },
      },
    ],
  });
}

/** A submission of the answer modal: the answer trimmed, empty when left empty. */
export function readAnswerView(values: ModalValues): { note: string } {
  return { note: (values[IDS.answerBlock]?.[IDS.value]?.value ?? '').trim() };
}

/** A submission of the rating comment modal: the comment, trimmed. */
export function readRateCommentView(values: ModalValues): { better: string } {
  return { better: (values[IDS.rateBetterBlock]?.[IDS.value]?.value ?? '').trim() };
}
