/** The App Home tab. Later issues add "My requests" and "Queue"; today it welcomes and explains. */
import type { HomeView, KnownBlock } from '@slack/types';
import { helpMessage } from './help';

export function homeView(): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Welcome to Kept' } },
    ...helpMessage().blocks,
  ];
  return { type: 'home', blocks };
}
