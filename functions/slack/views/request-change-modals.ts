/**
 * The forms that change what a request is held to: a new priority (its targets) or a new provider
 * (a transfer). Each is read back by its `read…View`.
 */
import type { ModalView } from '@slack/types';
import { type AgreementVersion, PRIORITIES, type Priority } from '../../domain/agreement';
import { REASON_MAX } from '../../domain/request';
import { IDS } from '../ids';
import { type ModalValues, modal, option, plain, section } from './blocks';
import { clip, escapeMrkdwn } from './format';
import { priorityLabel } from './request-modals';

/**
 * "Change priority" on the card: the agreement's other priorities with their targets, and why.
 * For the requester (`asking`) the same form asks the provider instead.
 */
export function priorityModal(input: {
  requestId: string;
  current: Priority;
  agreement: AgreementVersion;
  asking: boolean;
}): ModalView {
  const options = PRIORITIES.flatMap((p) => {
    const label = p === input.current ? undefined : priorityLabel(p, input.agreement);
    return label ? [option(p, label)] : [];
  });
  const how = input.asking
    ? `You filed ${escapeMrkdwn(input.requestId)}; its provider decides. They read your reason in the card's thread.`
    : `The due times are counted again from the filing under the new targets; the original ones stay shown. A target already missed stays missed.`;
  return modal({
    callbackId: IDS.priorityModal,
    title: clip(`Priority of ${input.requestId}`, 24),
    submit: input.asking ? 'Ask' : 'Change',
    close: 'Cancel',
    metadata: input.requestId,
    blocks: [
      section(`Now ${escapeMrkdwn(input.current)}. ${how}`),
      {
        type: 'input',
        block_id: IDS.priorityBlock,
        label: plain('New priority'),
        element: { type: 'static_select', action_id: IDS.value, placeholder: plain('Pick one'), options },
      },
      {
        type: 'input',
        block_id: IDS.priorityReasonBlock,
        label: plain('Why?'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: REASON_MAX,
          placeholder: plain('e.g. Payroll runs tonight and this blocks it'),
        },
      },
    ],
  });
}

/**
 * "Transfer" on the card: the departments with an agreement covering the requester's department,
 * and why it belongs there (the history keeps it; the new department and the requester read it).
 */
export function transferModal(input: {
  requestId: string;
  providerName: string;
  choices: readonly { id: string; name: string }[];
}): ModalView {
  return modal({
    callbackId: IDS.transferModal,
    title: clip(`Transfer ${input.requestId}`, 24),
    submit: 'Transfer',
    close: 'Cancel',
    metadata: input.requestId,
    blocks: [
      section(
        `${escapeMrkdwn(input.requestId)} leaves ${escapeMrkdwn(input.providerName)}: its clocks here stop (a target already missed stays missed), and start again at the department you pick, under its agreement.`,
      ),
      {
        type: 'input',
        block_id: IDS.transferDeptBlock,
        label: plain('To'),
        element: {
          type: 'static_select',
          action_id: IDS.value,
          placeholder: plain('Pick a department'),
          options: input.choices.slice(0, 100).map((c) => option(c.id, clip(c.name, 75))),
        },
      },
      {
        type: 'input',
        block_id: IDS.transferReasonBlock,
        label: plain('Why does it belong there?'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: REASON_MAX,
          placeholder: plain("e.g. Payslip questions are People Operations' to answer"),
        },
      },
    ],
  });
}

/** A submission of the transfer modal: the picked department's id and the reason, trimmed. */
export function readTransferView(values: ModalValues): { to: string; reason: string } {
  return {
    to: values[IDS.transferDeptBlock]?.[IDS.value]?.selected_option?.value ?? '',
    reason: (values[IDS.transferReasonBlock]?.[IDS.value]?.value ?? '').trim(),
  };
}

/** A submission of the priority modal: the picked priority (if one of P1..P4) and the reason, trimmed. */
export function readPriorityView(values: ModalValues): { priority?: Priority; reason: string } {
  const picked = values[IDS.priorityBlock]?.[IDS.value]?.selected_option?.value;
  const reason = (values[IDS.priorityReasonBlock]?.[IDS.value]?.value ?? '').trim();
  const priority = PRIORITIES.find((p) => p === picked);
  return priority ? { priority, reason } : { reason };
}
