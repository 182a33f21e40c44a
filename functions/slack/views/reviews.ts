/**
 * Block Kit for joint reviews (docs/reviews.md): the heads' DM when a review opens (the breaches,
 * their causes, and an "Agree a fix" button), the form to agree a fix, the agreed fix, and the
 * follow-up. Pure functions of domain values; all user text goes through `escapeMrkdwn`.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { DateTime } from 'luxon';
import { CAUSE_LABEL } from '../../domain/request';
import { FOLLOW_UP_DAYS, REVIEW_FIX_MAX, type Review, triggerText } from '../../domain/review';
import { IDS } from '../ids';
import { button, context, type ModalValues, modal, plain, type SlackMessage, section } from './blocks';
import { escapeMrkdwn, mentionUser, plural, quoted, TARGET_LABEL } from './format';

export interface ReviewNames {
  /** The agreement as people know it: "IT · Laptops and accounts". */
  agreement: string;
  provider: string;
}

/** What the button and the form carry. */
export const reviewRef = (review: Pick<Review, 'agreementId' | 'key'>): string =>
  JSON.stringify({ agreement: review.agreementId, key: review.key });

function breachLines(review: Review, zone: string): string {
  return review.breaches
    .map((b) => {
      const day = DateTime.fromMillis(b.dueAt, { zone }).toFormat('d LLL');
      const cause = b.cause
        ? ` — cause: ${CAUSE_LABEL[b.cause.category]}${b.cause.text ? ` (${quoted(b.cause.text)})` : ''}`
        : ' — no cause written down yet';
      return `• *${escapeMrkdwn(b.request)}* ${escapeMrkdwn(b.title)}: ${TARGET_LABEL[b.kind].toLowerCase()} missed ${day}${cause}`;
    })
    .join('\n');
}

/** The DM each head gets when a review opens. */
export function reviewOpenedDm(review: Review, names: ReviewNames, zone: string): SlackMessage {
  const agreement = escapeMrkdwn(names.agreement);
  const what = escapeMrkdwn(triggerText(review.trigger));
  const count =
    review.trigger.kind === 'tier' && review.monthBreaches !== undefined
      ? ` ${plural(review.monthBreaches, 'breach', 'breaches')} this month so far, so each further one now costs ×${review.trigger.multiplier}.`
      : '';
  const text = `Let's fix the cause together: ${names.agreement} needs a joint review.`;
  const blocks: KnownBlock[] = [
    section(
      `*Let's fix the cause together.* On ${agreement}, ${what}.${count} Misses like these are worth a conversation between both sides, not blame: agree one fix, who owns it and by when, and Kept checks ${FOLLOW_UP_DAYS} days after that day whether the cause came back.`,
    ),
    section(breachLines(review, zone) || 'No breaches listed.'),
  ];
  if (review.agreed) blocks.push(...agreedBlocks(review));
  else
    blocks.push({
      type: 'actions',
      block_id: `review:${review.agreementId}`,
      elements: [button(IDS.reviewAgree, 'Agree a fix', reviewRef(review), 'primary')],
    });
  return { text, blocks };
}

function agreedBlocks(review: Review): KnownBlock[] {
  const a = review.agreed;
  if (!a) return [];
  return [
    section(
      `*Agreed fix:* ${quoted(a.fix)}\nOwner: ${mentionUser(a.owner)} · in place by ${escapeMrkdwn(a.date)} · agreed by ${mentionUser(a.by)}`,
    ),
    context(`Kept follows up ${FOLLOW_UP_DAYS} days after ${escapeMrkdwn(a.date)} and tells you both whether it held.`),
  ];
}

/** The DM each head gets once a fix is agreed. */
export function reviewAgreedDm(review: Review, names: ReviewNames): SlackMessage {
  const a = review.agreed;
  return {
    text: `A fix is agreed for ${names.agreement}${a ? `: ${a.fix}` : ''}`,
    blocks: [
      section(`*A fix is agreed for ${escapeMrkdwn(names.agreement)}.* Thank you both for taking this on.`),
      ...agreedBlocks(review),
    ],
  };
}

/** The DM each head gets at the follow-up: it held, or the cause came back. */
export function reviewFollowUpDm(review: Review, names: ReviewNames): SlackMessage {
  const f = review.followUp;
  const agreement = escapeMrkdwn(names.agreement);
  const fix = review.agreed ? quoted(review.agreed.fix) : 'the agreed fix';
  if (!f || f.outcome === 'held')
    return {
      text: `The fix held on ${names.agreement}: no repeat since you agreed it. Thank you.`,
      blocks: [
        section(
          `:sparkles: *The fix held on ${agreement}.* Since you agreed ${fix}, no breach of that kind came back. Thank you both: this is what the agreement is for.`,
        ),
      ],
    };
  const next =
    review.trigger.kind === 'cause'
      ? 'If it comes up three times within 30 days again, Kept opens a new joint review.'
      : 'The next penalty tier crossed opens a new joint review.';
  return {
    text: `The cause came back on ${names.agreement}: ${plural(f.count, 'breach', 'breaches')} since the fix.`,
    blocks: [
      section(
        `*The cause came back on ${agreement}.* Since you agreed ${fix}, ${plural(f.count, 'breach', 'breaches')} of that kind came back. That happens; it usually means the fix needs a second step. It is worth a short talk between you both. ${next}`,
      ),
    ],
  };
}

/** The form to agree a fix; `today` is the provider's local day. */
export function reviewModal(input: { ref: string; names: ReviewNames; today: string }): ModalView {
  return modal({
    callbackId: IDS.reviewModal,
    title: 'Agree a fix',
    submit: 'Agree',
    close: 'Cancel',
    metadata: input.ref,
    blocks: [
      section(
        `One fix for ${escapeMrkdwn(input.names.agreement)}, one owner, one day. Both sides' heads see what you agree.`,
      ),
      {
        type: 'input',
        block_id: IDS.reviewFixBlock,
        label: plain('The fix'),
        element: { type: 'plain_text_input', action_id: IDS.value, multiline: true, max_length: REVIEW_FIX_MAX },
      },
      {
        type: 'input',
        block_id: IDS.reviewOwnerBlock,
        label: plain('Who owns it'),
        element: { type: 'users_select', action_id: IDS.value },
      },
      {
        type: 'input',
        block_id: IDS.reviewDateBlock,
        label: plain('In place by'),
        element: { type: 'datepicker', action_id: IDS.value, initial_date: input.today },
      },
    ],
  });
}

type PickedValue = { value?: string | null; selected_user?: string | null; selected_date?: string | null };

/** A submission of the form: the fix trimmed, the owner and the day ('' when left empty). */
export function readReviewView(values: ModalValues): { fix: string; owner: string; date: string } {
  const at = (block: string) => values[block]?.[IDS.value] as PickedValue | undefined;
  return {
    fix: (at(IDS.reviewFixBlock)?.value ?? '').trim(),
    owner: at(IDS.reviewOwnerBlock)?.selected_user ?? '',
    date: at(IDS.reviewDateBlock)?.selected_date ?? '',
  };
}
