/**
 * Block Kit for service recovery after a miss (docs/breaches.md#recovery): the apology form Kept
 * drafts for the provider, and the requester's once-only "did they put it right?" question in the
 * resolve DM. Pure functions of domain values; all user text goes through `escapeMrkdwn`.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { NOTE_MAX, type Request } from '../../domain/request';
import { IDS } from '../ids';
import { button, context, type ModalValues, modal, plain, section } from './blocks';
import { escapeMrkdwn, mentionUser } from './format';

/**
 * The apology form (private_metadata: JSON `{ id, kind }`): Kept's draft, to edit and send; it
 * reaches the requester in their DM thread about the request, and is recorded as a recovery step.
 */
export function apologyModal(input: {
  requestId: string;
  requester: string;
  draft: string;
  metadata: string;
}): ModalView {
  return modal({
    callbackId: IDS.recoverModal,
    title: `Apologise for ${input.requestId}`,
    submit: 'Send',
    close: 'Cancel',
    metadata: input.metadata,
    blocks: [
      section(
        `Kept drafted a short apology to ${mentionUser(input.requester)}. Make it yours: say where things stand and what happens next. It goes to them in their DM about ${escapeMrkdwn(input.requestId)}, and the request's history records that you apologised.`,
      ),
      {
        type: 'input',
        block_id: IDS.recoverTextBlock,
        label: plain('Your apology'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.value,
          multiline: true,
          max_length: NOTE_MAX,
          initial_value: input.draft,
        },
      },
    ],
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
