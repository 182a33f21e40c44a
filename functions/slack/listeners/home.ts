/** App Home: publish the home tab whenever someone opens it. */
import type { App } from '@slack/bolt';
import { homeView } from '../views/home';

export function registerHome(app: App): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: homeView() });
  });
}
