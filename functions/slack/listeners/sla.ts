/** `/sla`: reads the first word and routes. Only `help` works in the foundation. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { findSlaCommand, KUDOS_COMMAND } from '../commands';
import { comingSoonMessage, helpMessage, unknownCommandMessage } from '../views/help';

/** The fields of a slash-command payload Kept relies on. */
export const SlashCommandInput = z.object({
  command: z.string(),
  text: z.string().max(4000),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().min(1),
  trigger_id: z.string().min(1),
});

const UNREADABLE = 'Slack sent a command Kept could not read. Please try again; if it keeps happening, tell a Kept admin.';

export function registerSlaCommand(app: App): void {
  app.command('/sla', async ({ command, ack }) => {
    const input = SlashCommandInput.safeParse(command);
    if (!input.success) return ack({ response_type: 'ephemeral', text: UNREADABLE });
    const word = (input.data.text.trim().split(/\s+/)[0] ?? '').toLowerCase() || 'help';
    if (word === 'help') return ack({ response_type: 'ephemeral', ...helpMessage() });
    const known = findSlaCommand(word);
    await ack({ response_type: 'ephemeral', text: known ? comingSoonMessage(`/sla ${word}`, known) : unknownCommandMessage(word) });
  });

  app.command('/kudos', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: comingSoonMessage('/kudos', KUDOS_COMMAND) });
  });
}
