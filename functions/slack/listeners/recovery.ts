/**
 * Service recovery after a miss (docs/breaches.md "Recovery"): the Apologise button in the breach
 * DMs of the provider's side opens Kept's drafted apology to edit and send (it reaches the
 * requester in their DM thread and is recorded as a recovery step); the requester's Yes/No in the
 * resolve DM answers, once, whether the service was put right (and earns the agreement's recovery
 * credit in time).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { isMember } from '../../domain/department';
import { findDepartment } from '../../domain/directory';
import { noSuchRequest } from '../../domain/privacy';
import { draftApology } from '../../domain/recovery';
import { allBreaches } from '../../domain/request';
import { workingTimeBetween } from '../../domain/working-time';
import { calendarOf } from '../../services/calendars';
import { act } from '../../services/requests';
import { visibleRequest } from '../../services/visible';
import { getRequest } from '../../store/requests';
import { IDS } from '../ids';
import { apologyModal, readApologyView } from '../views/recovery';
import type { ListenerDeps } from './deps';
import { openThenFill, parseJson, refuse } from './reply';
import { clickedMessage, showResolvedDm } from './used-dms';

type ButtonPress = BlockAction<ButtonAction>;

const ApologiseValue = z.object({
  id: z.string().min(1).max(40),
  kind: z.enum(['response', 'resolution']),
});
const RecoveredValue = z.object({ id: z.string().min(1).max(40), recovered: z.boolean() });

export function registerRecovery(app: App, deps: ListenerDeps): void {
  // Apologise (a breach DM of the provider's side): Kept's draft, for anyone in the provider to edit and send.
  app.action<ButtonPress>(IDS.recoverApologise, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = ApologiseValue.safeParse(parseJson(action.value));
    if (!parsed.success) return refuse(respond, 'That button is from an older version of Kept.');
    const { id, kind } = parsed.data;
    await openThenFill(
      client,
      body.trigger_id ?? '',
      `Apologise for ${id}`,
      async () => {
        const seen = await visibleRequest(deps.db, id, body.user.id, deps.config.KEPT_ADMINS);
        if (!seen) return { refusal: noSuchRequest(id) };
        const { request, dir } = seen;
        const provider = findDepartment(dir, request.provider);
        if (!provider || !isMember(provider, body.user.id))
          return {
            refusal: `Only people in ${provider?.name ?? request.provider} can apologise for ${id}; a word of your own to them is always welcome with \`/sla reply ${id} text\`.`,
          };
        const missed = allBreaches(request)
          .filter((b) => b.kind === kind)
          .at(-1)?.breach;
        if (!missed) return { refusal: `${id} has no ${kind} miss recorded, so there is nothing to apologise for.` };
        const lateBy = Math.max(0, workingTimeBetween(calendarOf(provider), missed.dueAt, missed.detectedAt));
        return apologyModal({
          requestId: id,
          requester: request.requester,
          draft: draftApology({ request, kind, lateBy, providerName: provider.name }),
          metadata: JSON.stringify({ id, kind }),
        });
      },
      () =>
        refuse(
          respond,
          `Slack did not open the form in time. Press Apologise again, or write to them with \`/sla reply ${id} text\`.`,
        ),
    );
  });

  app.view(IDS.recoverModal, async ({ ack, body, view }) => {
    const { text } = readApologyView(view.state.values);
    const parsed = ApologiseValue.safeParse(parseJson(view.private_metadata));
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.recoverTextBlock]: 'This form is from an older version of Kept; press Apologise again.' },
      });
    if (!text)
      return ack({
        response_action: 'errors',
        errors: { [IDS.recoverTextBlock]: 'Write your apology: the requester reads it.' },
      });
    const { id } = parsed.data;
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action: { type: 'recover', step: 'apologised', note: text },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'errors', errors: { [IDS.recoverTextBlock]: result.message } });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
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
