/** `/sla`: reads the first word and routes to the listener of that surface. (`/kudos` is listeners/kudos.ts.) */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { splitArgs } from '../args';
import { findSlaCommand } from '../commands';
import { comingSoonMessage, helpMessage, unknownCommandMessage } from '../views/help';
import { agreementsCommand, openPropose } from './agreements';
import { deptCommand } from './departments';
import type { ListenerDeps } from './deps';
import { reportCommand } from './report';
import { isWorkVerb, listCommand, showCommand, workCommand } from './request-commands';
import { explainCommand } from './request-explain';
import { openNewRequest } from './requests-filing';
import { registerTips, tipsCommand } from './tips';

/** The fields of a slash-command payload Kept relies on. */
export const SlashCommandInput = z.object({
  command: z.string(),
  text: z.string().max(4000),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().min(1),
  trigger_id: z.string().min(1),
});

const UNREADABLE =
  'Slack sent a command Kept could not read. Please try again; if it keeps happening, tell a Kept admin.';

export function registerSlaCommand(app: App, deps: ListenerDeps): void {
  app.command('/sla', async ({ command, ack, client, respond }) => {
    const input = SlashCommandInput.safeParse(command);
    if (!input.success) return ack({ response_type: 'ephemeral', text: UNREADABLE });
    const [first, ...args] = splitArgs(input.data.text.trim());
    const word = (first ?? '').toLowerCase() || 'help';
    const user = input.data.user_id;
    if (word === 'help') return ack({ response_type: 'ephemeral', ...helpMessage() });
    if (word === 'agreements') return ack(await agreementsCommand(deps, user, args[0]));
    if (word === 'dept' || word === 'depts' || word === 'departments') return ack(await deptCommand(deps, user, args));
    if (word === 'propose') return openPropose(deps, command, args[0], ack, client, respond);
    if (word === 'new') return openNewRequest(deps, command, args[0], ack, client, respond);
    if (word === 'show') return ack(await showCommand(deps, user, args[0]));
    if (word === 'list') return ack(await listCommand(deps, user, args[0]));
    if (word === 'explain' || word === 'why') return ack(await explainCommand(deps, client, user, args[0]));
    if (word === 'report') {
      const { files, ...reply } = await reportCommand(deps, user, args, input.data.trigger_id);
      await ack(reply);
      if (files) await deps.outbox.send(files); // the charts and CSV, drawn by the worker
      return;
    }
    if (word === 'tips' || word === 'tip') return tipsCommand(deps, command, args, ack, client, respond);
    if (isWorkVerb(word)) return ack(await workCommand(deps, command, word, args));
    const known = findSlaCommand(word);
    await ack({
      response_type: 'ephemeral',
      text: known ? comingSoonMessage(`/sla ${word}`, known) : unknownCommandMessage(word),
    });
  });

  registerTips(app, deps); // the tip modal's submissions
}
