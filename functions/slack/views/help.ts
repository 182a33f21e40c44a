/** Block Kit for `/sla help` and the App Home: pure functions of the command list. */
import type { KnownBlock } from '@slack/types';
import { type CommandInfo, KUDOS_COMMAND, SLA_COMMANDS } from '../commands';
import { context, header, MAX_MESSAGE_BLOCKS, type SlackMessage, section } from './blocks';
import { escapeMrkdwn } from './format';

const line = (c: CommandInfo) => `\`${c.usage}\`\n${c.summary}`;

let built: SlackMessage | undefined;

/**
 * Built once per process: it depends only on the command list. Callers copy what they change
 * (the message is shared, never modify it).
 */
export function helpMessage(): SlackMessage {
  built ??= buildHelpMessage();
  return built;
}

function buildHelpMessage(): SlackMessage {
  const all = [...SLA_COMMANDS, KUDOS_COMMAND];
  const ready = all.filter((c) => c.ready);
  const soon = all.filter((c) => !c.ready);
  const text = [
    'Kept keeps track of the promises departments make to each other: who answers what, how fast, and what a miss costs.',
    '',
    ...ready.map((c) => `• ${c.usage} — ${c.summary}`),
    ...(soon.length > 0 ? ['', 'Coming soon:', ...soon.map((c) => `• ${c.usage} — ${c.summary}`)] : []),
  ].join('\n');
  const blocks: KnownBlock[] = [
    section(
      "*Kept* keeps track of the promises departments make to each other: who answers what, how fast, and what a miss costs. Clocks run on the provider's working hours.",
    ),
    ...ready.map((c) => section(line(c))),
    // Slack refuses a section with empty text: the part is left out once everything works.
    ...(soon.length > 0
      ? [header('Coming soon'), section(soon.map((c) => `• \`${c.usage}\` — ${c.summary}`).join('\n'))]
      : []),
    context('Questions or a department missing? Ask a Kept admin.'),
  ];
  return { text, blocks };
}

/** `invocation` is what the user typed, e.g. `/sla resolve` or `/kudos`. */
export function comingSoonMessage(invocation: string, command: CommandInfo): string {
  const what = command.summary.charAt(0).toLowerCase() + command.summary.slice(1);
  return `\`${invocation}\` is not ready yet (${what.replace(/\.$/, '')}). Type \`/sla help\` to see what works today.`;
}

/**
 * The answer to `/sla <word>` when Kept knows no such word: "did you mean" the word it is most
 * likely a typo of (`closest`, with what followed it), otherwise the help, led by what went wrong.
 */
export function unknownCommandMessage(word: string, closest: string | undefined, rest = ''): SlackMessage {
  const shown = word.length > 30 ? `${word.slice(0, 30)}…` : word;
  const unknown = `I don't know \`/sla ${escapeMrkdwn(shown)}\`.`;
  if (closest) {
    const tail = rest.trim()
      ? ` ${escapeMrkdwn(rest.trim().length > 60 ? `${rest.trim().slice(0, 60)}…` : rest.trim())}`
      : '';
    const text = `${unknown} Did you mean \`/sla ${closest}${tail}\`? Type \`/sla help\` for every command.`;
    return { text, blocks: [section(text)] };
  }
  const help = helpMessage();
  const lead = `${unknown} Here is what Kept understands:`;
  return { text: `${lead}\n\n${help.text}`, blocks: [section(lead), ...help.blocks].slice(0, MAX_MESSAGE_BLOCKS) };
}
