/**
 * App Home: publish the home tab (what needs me now, my departments, my requests, my departments'
 * queues, kudos) whenever someone opens it, and again after a button on it acted at once
 * (Acknowledge, Assign to me, Resume, Accept), so the row the person pressed shows what happened.
 * Registered with the app itself (its middleware sees every press on the tab); the tab's code is
 * imported when a tab is first published.
 */
import type { App } from '@slack/bolt';
import { logger } from '../../log';
import { IDS } from '../ids';
import type { ListenerDeps } from './deps';

/** Home buttons whose press changes things without a form; the others open a modal. */
const ACT_AT_ONCE: ReadonlySet<string> = new Set([
  IDS.requestAction.acknowledge,
  IDS.requestAction.assignMe,
  IDS.requestAction.resume,
  IDS.acceptProposal,
]);

export function registerHome(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const { publishHome } = await import('./request-commands');
    await publishHome(deps, client, event.user);
  });

  app.use(async ({ body, client, next }) => {
    await next();
    if (body.type !== 'block_actions' || body.view?.type !== 'home') return;
    const pressed = body.actions?.[0];
    if (!pressed || !ACT_AT_ONCE.has(pressed.action_id)) return;
    try {
      const { publishHome } = await import('./request-commands');
      await publishHome(deps, client, body.user.id);
    } catch (err) {
      // The press itself worked; the tab catches up the next time it is opened.
      logger.warn('home not refreshed', { error: (err as Error).message });
    }
  });
}
