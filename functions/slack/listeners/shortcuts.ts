/** The `file_request` message shortcut: filing requests arrives with the requests issue. */
import type { App } from '@slack/bolt';
import { findSlaCommand } from '../commands';
import { comingSoonMessage } from '../views/help';

export function registerShortcuts(app: App): void {
  app.shortcut('file_request', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: comingSoonMessage('File as request', findSlaCommand('new')!) });
  });
}
