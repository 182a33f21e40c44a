/** App Home: publish the home tab (my requests, my department's queue) whenever someone opens it. */
import type { App } from '@slack/bolt';
import type { ListenerDeps } from './deps';
import { publishHome } from './request-commands';

export function registerHome(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user);
  });
}
