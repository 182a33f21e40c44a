/**
 * The card's "More actions" menu (views/requests.ts): each choice does what its button did. The
 * choice is handed back to the app as a press of that button, so the same listener runs, with the
 * same rights and the same once-only key; "Cancel request…" first asks in a small form, as the
 * button's confirmation did.
 */
import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import { parseRequestId } from '../../domain/request';
import { act } from '../../services/requests';
import { IDS } from '../ids';
import { modal, section } from '../views/blocks';
import { escapeMrkdwn } from '../views/format';
import type { ListenerDeps } from './deps';
import { noticeModal, openModal, refuse } from './reply';

/** The buttons the menu may stand for. */
const MENU: ReadonlySet<string> = new Set([
  IDS.requestAction.resolve,
  IDS.requestAction.resume,
  IDS.requestAction.reopen,
  IDS.requestAction.pause,
  IDS.requestAction.priority,
  IDS.requestAction.transfer,
  IDS.requestAction.cancel,
  IDS.requestAction.explain,
  // After a miss: the recovery steps (listeners/recovery.ts takes the request ID alone).
  IDS.recoverApologise,
  IDS.recoverExplain,
  IDS.recoverProgress,
  IDS.recoverCause,
]);

const cancelModal = (id: string) =>
  modal({
    callbackId: IDS.cancelModal,
    title: `Cancel ${id}?`,
    submit: 'Cancel request',
    close: 'Keep it',
    metadata: id,
    blocks: [
      section(
        `This stops both clocks and closes ${escapeMrkdwn(id)} for good. Only the person who filed it can cancel it.`,
      ),
    ],
  });

export function registerRequestMore(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<StaticSelectAction>>(
    IDS.requestAction.more,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const chosen = action.selected_option?.value ?? '';
      const blockId = action.block_id ?? '';
      const id = parseRequestId(blockId.slice(blockId.indexOf(':') + 1));
      if (!id || !MENU.has(chosen))
        return refuse(respond, 'Kept could not tell what that was; `/sla show ID` shows the request.');
      if (chosen === IDS.requestAction.cancel)
        return openModal(client, body.trigger_id ?? '', cancelModal(id), () =>
          refuse(respond, `Slack did not open the form in time. Choose it again, or run \`/sla cancel ${id}\`.`),
        );
      // The press of the button it stands for, on the same card, with the same trigger and response_url.
      await deps.redispatch?.({
        body: {
          ...body,
          actions: [
            {
              type: 'button',
              action_id: chosen,
              block_id: blockId,
              value: id,
              text: { type: 'plain_text', text: action.selected_option?.text?.text ?? chosen },
              action_ts: action.action_ts,
            },
          ],
        },
        ack: async () => {},
      });
    },
  );

  app.view(IDS.cancelModal, async ({ ack, body, view }) => {
    const id = parseRequestId(view.private_metadata) ?? '';
    const result = await act(deps.db, {
      admins: deps.config.KEPT_ADMINS,
      id,
      user: body.user.id,
      action: { type: 'cancel' },
      delivery: `view:${view.id}`,
      now: deps.now(),
    });
    if (result.outcome === 'refused')
      return ack({ response_action: 'update', view: noticeModal(`Cancel ${id}?`, result.message) });
    await ack();
    if (result.outcome === 'done') await deps.outbox.send({ type: 'request.changed', id });
  });
}
