/**
 * Block Kit for the monthly penalty statement (domain/statement.ts) in a head's DM: each breach
 * with its amount, multiplier and whether the cap cut it, the tiers reached, the cap, the waivers
 * with their reasons, and the net. The provider's heads read an apology and what to do next; the
 * customer's heads get a Waive penalty button on each breach not yet waived (the breach DM's own
 * action and value, so the same listener and form handle it, cycle included). A month without a
 * breach is a short thank-you. Pure: nothing here reads the clock or calls Slack.
 */
import type { KnownBlock } from '@slack/types';
import { EVERY_DEPARTMENT } from '../../domain/agreement';
import { customerLabel, ordinal } from '../../domain/agreement-text';
import type { Statement, StatementBreach } from '../../domain/statement';
import { IDS } from '../ids';
import { button, context, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import { monthName } from './breaches';
import { actorText, amountText, cut, dateToken, escapeMrkdwn, plural, quoted } from './format';

/** Breaches listed one by one (a message holds 50 blocks: the rest is said in one line). */
export const MAX_STATEMENT_LINES = 40;

export interface StatementDmInput {
  statement: Statement;
  /** Which side the reader heads: the provider reads an apology, the customer may waive. */
  side: 'provider' | 'customer';
  /** Department names by id. */
  names: (id: string) => string;
}

/** The Waive button's value, as the breach DM writes it (listeners/requests-dms.ts WaiveValue). */
const waiveValue = (b: StatementBreach): string =>
  JSON.stringify({ id: b.request, kind: b.kind, ...(b.kind === 'resolution' ? { cycle: b.cycle } : {}) });

function breachLine(s: Statement, b: StatementBreach): string {
  const times = b.multiplier > 1 ? `, ×${b.multiplier}` : '';
  const cap = b.capped ? ' — cut by the monthly cap' : '';
  const cycle = b.cycle > 1 ? ` (after reopen ${b.cycle - 1})` : '';
  const waived = b.waiver
    ? `\n:handshake: Waived by ${actorText(b.waiver.by)} ${dateToken(Date.parse(b.waiver.at))}: ${quoted(b.waiver.reason)}`
    : '';
  return cut(
    `*${escapeMrkdwn(b.request)}* ${b.kind}${cycle} · due ${dateToken(Date.parse(b.dueAt))}\n${ordinal(b.n)} breach of the month${times}: *${amountText(b.amount, s.unit)}*${cap}${waived}`,
    MAX_SECTION_TEXT,
  );
}

function termsLine(s: Statement): string {
  const tiers = s.tiers.length
    ? s.tiers.map((t) => `×${t.multiplier} from the ${ordinal(t.fromBreach)} breach`).join(', ')
    : 'no tiers';
  const reached = s.tiersReached.length
    ? `Tiers reached: ${s.tiersReached.map((t) => `×${t.multiplier} (from the ${ordinal(t.fromBreach)})`).join(', ')}.`
    : 'No tier was reached.';
  const cap =
    s.monthlyCap === undefined
      ? 'No monthly cap.'
      : s.capReached
        ? `The monthly cap of ${amountText(s.monthlyCap, s.unit)} was reached.`
        : `The monthly cap of ${amountText(s.monthlyCap, s.unit)} was not reached.`;
  return `*Terms:* ${amountText(s.perBreach, s.unit)} per breach, ${tiers}. ${reached} ${cap}`;
}

/** A head's DM of one agreement's statement for its month. */
export function statementDm(input: StatementDmInput): SlackMessage {
  const { statement: s, side, names } = input;
  const month = monthName(s.month);
  const provider = escapeMrkdwn(names(s.provider));
  const customer = escapeMrkdwn(customerLabel(s.customer, names));
  const service = escapeMrkdwn(s.service);
  const title = `*${month} statement: ${service}*, provided by ${provider} for ${customer}`;

  if (s.breaches.length === 0) {
    const thanks =
      side === 'provider'
        ? `:white_check_mark: ${title}\nNo target was missed in ${month}, so nothing is owed. Thank you, and thanks to your team.`
        : `:white_check_mark: ${title}\nNo target was missed for you in ${month}, so nothing is owed.`;
    return {
      text: cut(
        `${month} statement for ${names(s.provider)} · ${s.service}: no target missed, nothing owed.`,
        MAX_SECTION_TEXT,
      ),
      blocks: [section(thanks)],
    };
  }

  const t = s.totals;
  const totals = `*${plural(t.breaches, 'breach', 'breaches')}* · charged ${amountText(t.charged, s.unit)} · waived ${amountText(t.waived, s.unit)}${t.credited !== undefined ? ` · recovery credits ${amountText(t.credited, s.unit)}` : ''} · *net ${amountText(t.net, s.unit)}*`;
  const opening =
    side === 'provider'
      ? `We are sorry: ${provider} missed ${plural(t.breaches, 'target', 'targets')} for ${customer} in ${month}.`
      : `${provider} missed ${plural(t.breaches, 'target', 'targets')} for you in ${month}; here is what it owes.`;
  const blocks: KnownBlock[] = [section(`:page_facing_up: ${title}\n${opening}\n${totals}`), section(termsLine(s))];

  const shown = s.breaches.slice(0, MAX_STATEMENT_LINES);
  const canWaive = (b: StatementBreach) => side === 'customer' && b.amount > 0 && !b.waiver;
  for (const b of shown) {
    const line = section(breachLine(s, b));
    if (canWaive(b)) line.accessory = button(IDS.waivePenalty, 'Waive penalty', waiveValue(b));
    blocks.push(line);
  }
  const rest = s.breaches.slice(MAX_STATEMENT_LINES);
  if (rest.length > 0) {
    const waivable = rest.filter(canWaive).length;
    blocks.push(
      context(
        `…and ${plural(rest.length, 'more breach', 'more breaches')} (\`/sla report\` lists every breach).${
          waivable > 0
            ? ` To waive one of them, run \`/sla waive ID response|resolution [cycle N] your reason\` (${waivable} of them ${waivable === 1 ? 'is' : 'are'} not waived yet).`
            : ''
        }`,
      ),
    );
  }
  if (side === 'provider')
    blocks.push(
      section(
        [
          '*What helps now*',
          `• Go over the month with the heads of ${customer}: which misses hurt them most.`,
          '• Look for a cause that repeats (a shift, a queue, a kind of request) and fix that first.',
          '• A target that cannot be met is better changed openly: propose new terms with `/sla propose`.',
        ].join('\n'),
      ),
    );
  else if (s.breaches.some(canWaive))
    blocks.push(
      context(
        'As a head of the department that filed them you may waive a penalty: Kept asks why, and the ledger keeps your reason.',
      ),
    );
  if (s.customer === EVERY_DEPARTMENT && side === 'customer')
    blocks.push(context("Tiers and the cap count every department's breaches of this agreement."));

  const text = cut(
    `${month} statement for ${names(s.provider)} · ${s.service}: ${plural(t.breaches, 'breach', 'breaches')}, net ${amountText(t.net, s.unit)}.`,
    MAX_SECTION_TEXT,
  );
  return { text, blocks };
}
