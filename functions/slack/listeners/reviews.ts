/**
 * Joint reviews (docs/reviews.md): "Agree a fix" in a review DM opens the form for any head of
 * either side; the first agreement submitted stands (a later one is told who agreed), and the
 * worker tells both sides' heads. Nobody else can open the form, and a refused press writes nothing.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { DateTime } from 'luxon';
import { isHead } from '../../domain/department';
import { type Directory, findDepartment } from '../../domain/directory';
import { checkFix, followUpAt, type Review } from '../../domain/review';
import { calendarOf } from '../../services/calendars';
import { readDirectory } from '../../store/directory';
import { agreeReview, getReview, markAgreedHanded } from '../../store/reviews';
import * as z from '../../zod';
import { IDS } from '../ids';
import { reviewNames } from '../notify-reviews';
import { escapeMrkdwn, mentionUser } from '../views/format';
import { readReviewView, reviewModal, reviewRef } from '../views/reviews';
import type { ListenerDeps } from './deps';
import { openThenFill, parseJson, refuse } from './reply';

type ButtonPress = BlockAction<ButtonAction>;

const ReviewRef = z.object({
  agreement: z.string().check(z.minLength(1), z.maxLength(80)),
  key: z.string().check(z.minLength(1), z.maxLength(200)),
});

const headsASide = (dir: Directory, review: Review, user: string): boolean =>
  [review.provider, ...review.customers].some((id) => {
    const d = findDepartment(dir, id);
    return d !== undefined && isHead(d, user);
  });

const alreadyAgreed = (review: Review): string =>
  `This fix was already agreed by ${mentionUser(review.agreed!.by)}: “${escapeMrkdwn(review.agreed!.fix)}”, owned by ${mentionUser(review.agreed!.owner)}, in place by ${review.agreed!.date}.`;

/** The provider's local day at `at`: the form's dates are on its calendar. */
function todayOf(dir: Directory, review: Review, at: Date): { today: string; zone: string } {
  const provider = findDepartment(dir, review.provider);
  const zone = provider ? calendarOf(provider).zone : 'UTC';
  return { today: DateTime.fromJSDate(at, { zone }).toISODate()!, zone };
}

export function registerReviews(app: App, deps: ListenerDeps): void {
  app.action<ButtonPress>(IDS.reviewAgree, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = ReviewRef.safeParse(parseJson(action.value));
    if (!parsed.success) return refuse(respond, 'That button is from an older version of Kept.');
    await openThenFill(
      client,
      body.trigger_id ?? '',
      'Agree a fix',
      async () => {
        const [review, dir] = await Promise.all([
          getReview(deps.db, parsed.data.agreement, parsed.data.key),
          readDirectory(deps.db),
        ]);
        if (!review) return { refusal: 'Kept no longer has this review. Nothing needs doing here.' };
        if (!headsASide(dir, review, body.user.id))
          return {
            refusal:
              'Only the heads of the two departments in this agreement can agree its fix, and you are not a head of either side. If you can help, a word with them is always welcome.',
          };
        if (review.agreed) return { refusal: alreadyAgreed(review) };
        return reviewModal({
          ref: reviewRef(review),
          names: reviewNames(dir, review),
          today: todayOf(dir, review, deps.now()).today,
        });
      },
      () => refuse(respond, 'Slack did not open the form in time. Press "Agree a fix" again, please.'),
    );
  });

  app.view(IDS.reviewModal, async ({ ack, body, view }) => {
    const parsed = ReviewRef.safeParse(parseJson(view.private_metadata));
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.reviewFixBlock]: 'This form is from an older version of Kept; press "Agree a fix" again.' },
      });
    const input = readReviewView(view.state.values);
    const [review, dir] = await Promise.all([
      getReview(deps.db, parsed.data.agreement, parsed.data.key),
      readDirectory(deps.db),
    ]);
    if (!review)
      return ack({ response_action: 'errors', errors: { [IDS.reviewFixBlock]: 'Kept no longer has this review.' } });
    if (!headsASide(dir, review, body.user.id))
      return ack({
        response_action: 'errors',
        errors: {
          [IDS.reviewFixBlock]: 'You are not a head of either side of this agreement, so Kept cannot take this.',
        },
      });
    const now = deps.now();
    const errors = checkFix(input, todayOf(dir, review, now).today);
    if (Object.keys(errors).length > 0)
      return ack({
        response_action: 'errors',
        errors: {
          ...(errors.fix ? { [IDS.reviewFixBlock]: errors.fix } : {}),
          ...(errors.owner ? { [IDS.reviewOwnerBlock]: errors.owner } : {}),
          ...(errors.date ? { [IDS.reviewDateBlock]: errors.date } : {}),
        },
      });
    const provider = findDepartment(dir, review.provider);
    const at = now.getTime();
    const outcome = await agreeReview(deps.db, review.agreementId, review.key, {
      fix: input.fix,
      owner: input.owner,
      date: input.date,
      by: body.user.id,
      at,
      followUpAt: provider ? followUpAt(calendarOf(provider), input.date) : at,
    });
    if (outcome.kind === 'already')
      return ack({
        response_action: 'errors',
        errors: { [IDS.reviewFixBlock]: alreadyAgreed({ ...review, agreed: outcome.agreed }) },
      });
    if (outcome.kind === 'missing')
      return ack({ response_action: 'errors', errors: { [IDS.reviewFixBlock]: 'Kept no longer has this review.' } });
    await ack();
    await deps.outbox.send({ type: 'review.agreed', agreement: review.agreementId, key: review.key });
    // Were this hand-off to fail, the digest's next run hands the DMs on (jobs/reviews.ts).
    await markAgreedHanded(deps.db, review.agreementId, review.key);
  });
}
