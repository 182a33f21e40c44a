/**
 * `/sla`: reads the first word and routes to the listener of that surface. (`/kudos` is
 * listeners/kudos.ts.) Each surface's module is imported when its word is first used, so in the
 * Slack function's split bundle (bin/split-bundle.cjs) its code is a chunk loaded then (issue #22).
 * `/sla new`, the commonest first request of a cold start, is the exception: its form is in the
 * files loaded at start, which saves loading five small chunks while Slack waits (filing a request
 * is still imported on submission). The tip modal's submissions are a listener group of their own
 * (listener-groups.ts).
 */
import type { AckFn, App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import * as z from '../../zod';
import { splitArgs } from '../args';
import { closestSlaWord, findSlaCommand, type SlaWord, slaWord } from '../commands';
import { comingSoonMessage, commandHelpMessage, helpMessage, unknownCommandMessage } from '../views/help';
import type { ListenerDeps } from './deps';
import { openNewRequest } from './requests-filing';

/** The fields of a slash-command payload Kept relies on. */
export const SlashCommandInput = z.object({
  command: z.string(),
  text: z.string().check(z.maxLength(4000)),
  user_id: z.string().check(z.minLength(1)),
  channel_id: z.string().check(z.minLength(1)),
  team_id: z.string().check(z.minLength(1)),
  trigger_id: z.string().check(z.minLength(1)),
});

const UNREADABLE =
  'Slack sent a command Kept could not read. Please try again; if it keeps happening, tell a Kept admin.';

/** What a route gets: the checked payload, the words after the first, and Bolt's answer functions. */
interface Route {
  command: SlashCommand;
  user: string;
  triggerId: string;
  args: string[];
  /** The word as routed (an alias resolved), for the working verbs. */
  word: SlaWord;
  ack: AckFn<string | RespondArguments>;
  client: WebClient;
  respond: RespondFn;
}

/** One route per word `/sla` knows: the type makes a word without a route (or a route without a word) fail to compile. */
function routes(deps: ListenerDeps): Record<SlaWord, (r: Route) => Promise<void>> {
  const work = async (r: Route) => {
    const { workCommand } = await import('./request-commands');
    return r.ack(await workCommand(deps, r.command, r.word, r.args));
  };
  return {
    help: (r) => r.ack({ response_type: 'ephemeral', ...(r.args[0] ? commandHelpMessage(r.args[0]) : helpMessage()) }),
    new: (r) => openNewRequest(deps, r.command, r.args[0], r.ack, r.client, r.respond),
    show: async (r) => r.ack(await (await import('./request-commands')).showCommand(deps, r.user, r.args[0])),
    explain: async (r) =>
      r.ack(await (await import('./request-explain')).explainCommand(deps, r.client, r.user, r.args[0])),
    list: async (r) => r.ack(await (await import('./request-commands')).listCommand(deps, r.user, r.args[0])),
    ack: work,
    resolve: work,
    close: work,
    reopen: work,
    pause: work,
    resume: work,
    cancel: work,
    reply: work,
    note: work,
    waive: work,
    priority: work,
    transfer: work,
    agreements: async (r) => r.ack(await (await import('./agreements')).agreementsCommand(deps, r.user, r.args[0])),
    propose: async (r) =>
      (await import('./agreements')).openPropose(deps, r.command, r.args[0], r.ack, r.client, r.respond),
    dept: async (r) => r.ack(await (await import('./departments')).deptCommand(deps, r.user, r.args)),
    report: async (r) => {
      const subscriptions = await import('./report-subscriptions');
      if (subscriptions.isSubscriptionWord(r.args[0]))
        return r.ack(await subscriptions.subscriptionCommand(deps, r.client, r.user, r.args));
      const { files, ...reply } = await (await import('./report')).reportCommand(deps, r.user, r.args, r.triggerId);
      await r.ack(reply);
      if (files) await deps.outbox.send(files); // the charts and CSV, drawn by the worker
    },
    tips: async (r) => (await import('./tips')).tipsCommand(deps, r.command, r.args, r.ack, r.client, r.respond),
    audit: async (r) => r.ack(await (await import('./audit')).auditCommand(deps, r.user, r.args)),
    web: async (r) => r.ack(await (await import('./web')).webCommand(deps, r.user, r.args)),
  };
}

export function registerSlaCommand(app: App, deps: ListenerDeps): void {
  const routed = routes(deps);
  app.command('/sla', async ({ command, ack, client, respond }) => {
    const input = SlashCommandInput.safeParse(command);
    if (!input.success) return ack({ response_type: 'ephemeral', text: UNREADABLE });
    const [first, ...args] = splitArgs(input.data.text.trim());
    const typed = first || 'help';
    const word = slaWord(typed);
    const info = word ? findSlaCommand(word) : undefined;
    if (info && !info.ready) return ack({ response_type: 'ephemeral', text: comingSoonMessage(`/sla ${word}`, info) });
    if (word)
      return routed[word]({
        command,
        user: input.data.user_id,
        triggerId: input.data.trigger_id,
        args,
        word,
        ack,
        client,
        respond,
      });
    // Nothing by that name: the command it is most likely a typo of, else the help. Writes nothing.
    await ack({ response_type: 'ephemeral', ...unknownCommandMessage(typed, closestSlaWord(typed), args.join(' ')) });
  });
}
