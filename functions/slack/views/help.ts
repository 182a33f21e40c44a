/** Block Kit for `/sla help` and the App Home: pure functions of the command list. */
import type { KnownBlock } from '@slack/types';
import {
  type CommandInfo,
  closestSlaWord,
  findSlaCommand,
  HELP_GROUPS,
  KUDOS_COMMAND,
  SLA_COMMANDS,
  slaWord,
} from '../commands';
import { IDS } from '../ids';
import { button, context, header, MAX_MESSAGE_BLOCKS, type SlackMessage, section } from './blocks';
import { escapeMrkdwn } from './format';

const INTRO =
  'Kept keeps track of the promises departments make to each other: who answers what, how fast, and what a miss costs.';
const MORE =
  'For all one command does, name it: `/sla help report`. Questions or a department missing? Ask a Kept admin.';

/** The thing most people come for, one press away: the App Home's button, the same form as `/sla new`. */
const NEW_REQUEST: KnownBlock = {
  type: 'actions',
  elements: [button(IDS.homeNewRequest, 'New request', 'new', 'primary')],
};

let built: SlackMessage | undefined;

/**
 * The list: one short line per command under its heading, and how to read one in full. Built once
 * per process: it depends only on the command list. Callers copy what they change (the message is
 * shared, never modify it).
 */
export function helpMessage(): SlackMessage {
  built ??= buildHelpMessage();
  return built;
}

function buildHelpMessage(): SlackMessage {
  const all = [...SLA_COMMANDS, KUDOS_COMMAND];
  const soon = all.filter((c) => !c.ready);
  const groups = HELP_GROUPS.map((title) => ({
    title,
    commands: all.filter((c) => c.ready && c.group === title),
  })).filter((g) => g.commands.length > 0);
  // Screen readers read a message's text, not its blocks: the text says all the blocks say.
  const text = [
    INTRO,
    ...groups.flatMap((g) => ['', `${g.title}:`, ...g.commands.map((c) => `• ${c.usage} — ${c.brief}`)]),
    ...(soon.length > 0 ? ['', 'Coming soon:', ...soon.map((c) => `• ${c.usage} — ${c.brief}`)] : []),
    '',
    MORE,
  ].join('\n');
  const blocks: KnownBlock[] = [
    section(`${INTRO.replace('Kept', '*Kept*')} Clocks run on the provider's working hours.`),
    NEW_REQUEST,
    ...groups.map((g) => section([`*${g.title}*`, ...g.commands.map((c) => `\`${c.usage}\` — ${c.brief}`)].join('\n'))),
    // Slack refuses a section with empty text: the part is left out once everything works.
    ...(soon.length > 0
      ? [header('Coming soon'), section(soon.map((c) => `• \`${c.usage}\` — ${c.brief}`).join('\n'))]
      : []),
    context(MORE),
  ];
  return { text, blocks };
}

/** The help's blocks for the App Home's welcome: without the New request button, which the Home has at its top. */
export function helpBlocksForHome(): KnownBlock[] {
  return helpMessage().blocks.filter((b) => b !== NEW_REQUEST);
}

/**
 * `/sla help <command>`: all about one command. A word Kept does not know gets "did you mean" the
 * command it is most likely a typo of, else the list, led by what went wrong.
 */
export function commandHelpMessage(typed: string): SlackMessage {
  const word = typed.replace(/^\/+/, '').toLowerCase();
  const known = slaWord(word);
  const command = word === 'kudos' ? KUDOS_COMMAND : known ? findSlaCommand(known) : undefined;
  if (command) {
    const soon = command.ready ? '' : ' It is coming soon.';
    const text = `${command.usage} — ${command.summary}${soon}`;
    return {
      text,
      blocks: [section(`\`${command.usage}\`\n${command.summary}${soon}`), context('`/sla help` lists every command.')],
    };
  }
  const closest = closestSlaWord(word);
  if (closest) {
    const text = `${notKnown(word)} Did you mean \`/sla help ${closest}\`? Type \`/sla help\` for every command.`;
    return { text, blocks: [section(text)] };
  }
  return ledByHelp(notKnown(word));
}

/** "I don't know `/sla <word>`.", the word cut to 30 characters and escaped. */
function notKnown(word: string): string {
  return `I don't know \`/sla ${escapeMrkdwn(word.length > 30 ? `${word.slice(0, 30)}…` : word)}\`.`;
}

/** The help, led by what went wrong. */
function ledByHelp(what: string): SlackMessage {
  const help = helpMessage();
  const lead = `${what} Here is what Kept understands:`;
  return { text: `${lead}\n\n${help.text}`, blocks: [section(lead), ...help.blocks].slice(0, MAX_MESSAGE_BLOCKS) };
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
  const unknown = notKnown(word);
  if (closest) {
    const tail = rest.trim()
      ? ` ${escapeMrkdwn(rest.trim().length > 60 ? `${rest.trim().slice(0, 60)}…` : rest.trim())}`
      : '';
    const text = `${unknown} Did you mean \`/sla ${closest}${tail}\`? Type \`/sla help\` for every command.`;
    return { text, blocks: [section(text)] };
  }
  return ledByHelp(unknown);
}
