/**
 * `/sla tips ...`: everyone sees this week's tips, lists them and shows one; Kept admins
 * (KEPT_ADMINS) add and edit tips in a modal and retire or bring them back. Rules live in
 * domain/tips.ts, stored changes in store/tips.ts.
 */
import type { AckFn, App, RespondArguments, RespondFn, SlashCommand, ViewResponseAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  activeTips,
  type CatalogueEntry,
  newTipId,
  normalised,
  pickTips,
  TIP_KINDS,
  type Tip,
  type TipKind,
  TipSpec,
} from '../../domain/tips';
import { weekIn } from '../../domain/weeks';
import { logger } from '../../log';
import { readDirectory } from '../../store/directory';
import { addCustomTip, readAllTips, saveTipText, setTipRetired, TipExistsError } from '../../store/tips';
import * as z from '../../zod';
import { IDS } from '../ids';
import type { ModalValues } from '../views/blocks';
import { escapeMrkdwn } from '../views/format';
import {
  readTipView,
  TIP_FIELD_BLOCK,
  TIPS_PAGE_SIZE,
  tipCounts,
  tipMessage,
  tipModal,
  tipsListMessage,
  weekTipsMessage,
} from '../views/tips';
import type { ListenerDeps } from './deps';
import { type Ephemeral, openModal, openThenFill, say } from './reply';

export const TIPS_USAGE = [
  "`/sla tips` — this week's two tips",
  '`/sla tips list internal|customer [page N]` — ids and titles',
  '`/sla tips show ID` — one tip in full',
  '`/sla tips add internal|customer` — write a new tip (admins)',
  "`/sla tips edit ID` — change a tip's words (admins)",
  '`/sla tips retire ID` / `unretire ID` — take a tip out of the rotation or bring it back (admins)',
].join('\n');

const CHANGES = ['add', 'edit', 'retire', 'unretire'];

function needsAdmin(admins: readonly string[]): Ephemeral {
  return say(
    admins.length
      ? `Changing tips needs a Kept admin (${admins.map((a) => `<@${a}>`).join(', ')}). Anyone can \`/sla tips list\` and \`/sla tips show ID\`.`
      : 'Changing tips needs a Kept admin, and none is set yet: whoever runs Kept lists them in KEPT_ADMINS.',
  );
}

const shownId = (word: string) => `\`${escapeMrkdwn(word.slice(0, 64))}\``;

function kindOf(word: string | undefined): TipKind | undefined {
  const w = (word ?? '').toLowerCase();
  if (w === 'internal' || w === 'colleagues' || w === 'int') return 'internal';
  if (w === 'customer' || w === 'customers' || w === 'cus') return 'customer';
  return undefined;
}

function find(entries: readonly CatalogueEntry[], id: string | undefined): CatalogueEntry | undefined {
  return id ? entries.find((e) => e.tip.id === id.toLowerCase()) : undefined;
}

const noSuchTip = (id: string) =>
  say(`There is no tip ${shownId(id)}. \`/sla tips list internal\` and \`/sla tips list customer\` show the ids.`);

/** `page 2`, `2`, or nothing (page 1); a string is the problem to show. */
function pageOf(words: string[], pages: number, kind: TipKind): number | string {
  const rest = words[0]?.toLowerCase() === 'page' ? words.slice(1) : words;
  if (rest.length === 0) return 1;
  const n = rest.length === 1 && /^\d{1,4}$/.test(rest[0]!) ? Number(rest[0]) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > pages)
    return `There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of ${kind} tips: use \`/sla tips list ${kind} page N\` with N from 1 to ${pages}.`;
  return n;
}

/** The metadata the modal carries: what is being written, and where to confirm it. */
const TipMetadata = z.union([
  z.object({ mode: z.literal('add'), kind: z.enum(TIP_KINDS), channel: z.string() }),
  z.object({ mode: z.literal('edit'), id: z.string(), channel: z.string() }),
]);
type TipMetadata = z.infer<typeof TipMetadata>;

/** `/sla tips ...` except the modal openings' Slack call; answered in the ack. */
export async function tipsCommand(
  deps: ListenerDeps,
  command: SlashCommand,
  args: string[],
  ack: AckFn<string | RespondArguments>,
  client: WebClient,
  respond: RespondFn,
): Promise<void> {
  const user = command.user_id;
  const [first, ...rest] = args;
  const sub = (first ?? '').toLowerCase();
  const admin = deps.config.KEPT_ADMINS.includes(user);
  if (CHANGES.includes(sub) && !admin) return ack(needsAdmin(deps.config.KEPT_ADMINS));
  if (sub !== '' && sub !== 'list' && sub !== 'show' && !CHANGES.includes(sub)) {
    return ack(say(`I don't know \`/sla tips ${escapeMrkdwn(sub.slice(0, 40))}\`. Try:\n${TIPS_USAGE}`));
  }
  // Forms open before any read, while Slack's trigger is fresh (it lasts 3 s).
  if (sub === 'add') {
    const kind = kindOf(rest[0]);
    if (!kind)
      return ack(
        say(
          'Say which kind of tip: `/sla tips add internal` (serving colleagues) or `/sla tips add customer` (serving customers).',
        ),
      );
    return openTipModal(command, { kind }, { mode: 'add', kind, channel: command.channel_id }, ack, client, respond);
  }
  if (sub === 'edit') {
    const id = rest[0];
    if (!id)
      return ack(
        say('Say which tip, e.g. `/sla tips edit int-handoff-note`. `/sla tips list internal` shows the ids.'),
      );
    await ack();
    return openThenFill(
      client,
      command.trigger_id,
      'Edit a tip',
      async () => {
        const entry = find(await readAllTips(deps.db), id);
        if (!entry) return { refusal: noSuchTip(id).text };
        const meta: TipMetadata = { mode: 'edit', id: entry.tip.id, channel: command.channel_id };
        return tipModal({ kind: entry.tip.kind, tip: entry.tip, metadata: JSON.stringify(meta) });
      },
      () => respond(say(`Slack did not open the form in time. Please run \`/sla tips edit ${id}\` again.`)),
    );
  }

  // This week's tips need the digest's time zone too: both reads at once, before Slack's answer.
  const [entries, dir] = await Promise.all([readAllTips(deps.db), sub === '' ? readDirectory(deps.db) : undefined]);

  if (sub === '') {
    // The week the digest shows: its (first) channel's own week; UTC when no digest is set up.
    const digest = dir?.digests[0];
    const week = weekIn(deps.now(), digest?.timezone ?? 'UTC');
    const active = activeTips(entries);
    return ack({
      response_type: 'ephemeral',
      ...weekTipsMessage(week, pickTips(active, week), tipCounts(entries), admin),
    });
  }

  if (sub === 'list') {
    const kind = kindOf(rest[0]);
    if (!kind)
      return ack(
        say(
          'Say which tips: `/sla tips list internal` (serving colleagues) or `/sla tips list customer` (serving customers).',
        ),
      );
    const pages = Math.max(1, Math.ceil(entries.filter((e) => e.tip.kind === kind).length / TIPS_PAGE_SIZE));
    const page = pageOf(rest.slice(1), pages, kind);
    if (typeof page === 'string') return ack(say(page));
    return ack({ response_type: 'ephemeral', ...tipsListMessage(kind, entries, page) });
  }

  const id = rest[0];
  if (!id)
    return ack(
      say(`Say which tip, e.g. \`/sla tips ${sub} int-handoff-note\`. \`/sla tips list internal\` shows the ids.`),
    );
  const entry = find(entries, id);
  if (!entry) return ack(noSuchTip(id));

  if (sub === 'show') return ack({ response_type: 'ephemeral', ...tipMessage(entry) });

  const retire = sub === 'retire';
  if (entry.retired === retire)
    return ack(say(`\`${entry.tip.id}\` is ${retire ? 'already retired' : 'not retired'}; nothing changed.`));
  if (retire && activeTips(entries).filter((t) => t.kind === entry.tip.kind).length <= 1) {
    return ack(
      say(
        `\`${entry.tip.id}\` is the last ${entry.tip.kind} tip in the rotation; add or bring back another before retiring it.`,
      ),
    );
  }
  await setTipRetired(deps.db, entry.tip.id, retire, { by: user, at: deps.now().toISOString() });
  return ack(
    say(
      retire
        ? `Retired \`${entry.tip.id}\` (${escapeMrkdwn(entry.tip.title)}): it leaves the rotation from now. \`/sla tips unretire ${entry.tip.id}\` brings it back.`
        : `\`${entry.tip.id}\` (${escapeMrkdwn(entry.tip.title)}) is back in the rotation.`,
    ),
  );
}

/** Acks, then opens the add/edit modal; `meta` rides along as its private_metadata. */
async function openTipModal(
  command: SlashCommand,
  input: { kind: TipKind; tip?: Tip },
  meta: TipMetadata,
  ack: AckFn<string | RespondArguments>,
  client: WebClient,
  respond: RespondFn,
): Promise<void> {
  await ack();
  await openModal(client, command.trigger_id, tipModal({ ...input, metadata: JSON.stringify(meta) }), () =>
    respond(
      say(
        `Slack did not open the form in time. Please run \`/sla tips ${meta.mode === 'add' ? `add ${meta.kind}` : `edit ${meta.id}`}\` again.`,
      ),
    ),
  );
}

type Errors = Record<string, string>;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Checks a submitted tip against the fields' rules and the rest of the catalogue; errors are by block. */
export function checkTip(candidate: unknown, others: readonly CatalogueEntry[]): { tip: Tip } | { errors: Errors } {
  const parsed = TipSpec.safeParse(candidate);
  if (!parsed.success) {
    const errors: Errors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      const block =
        field === 'body' || field === 'tryThisWeek' || field === 'title' ? TIP_FIELD_BLOCK[field] : IDS.tipTitleBlock;
      errors[block] ??= `${capitalise(issue.message)}.`;
    }
    return { errors };
  }
  const tip = parsed.data;
  const errors: Errors = {};
  const sameTitle = others.find((e) => normalised(e.tip.title) === normalised(tip.title));
  if (sameTitle)
    errors[IDS.tipTitleBlock] =
      `Tip \`${sameTitle.tip.id}\` already has this title${sameTitle.retired ? ' (it is retired: bring it back with `/sla tips unretire`)' : ''}. Pick another.`;
  const sameBody = others.find((e) => normalised(e.tip.body) === normalised(tip.body));
  if (sameBody) errors[IDS.tipBodyBlock] = `Tip \`${sameBody.tip.id}\` already says this. Write something it doesn't.`;
  return Object.keys(errors).length ? { errors } : { tip };
}

async function submitTip(
  deps: ListenerDeps,
  user: string,
  metadata: string,
  values: ModalValues,
): Promise<{ errors: Errors } | { done: string; channel: string }> {
  if (!deps.config.KEPT_ADMINS.includes(user))
    return { errors: { [IDS.tipTitleBlock]: needsAdmin(deps.config.KEPT_ADMINS).text } };
  let meta: TipMetadata;
  try {
    meta = TipMetadata.parse(JSON.parse(metadata));
  } catch {
    return {
      errors: {
        [IDS.tipTitleBlock]:
          'This form is from an older version of Kept. Close it and run `/sla tips add` or `/sla tips edit` again.',
      },
    };
  }
  const typed = readTipView(values);
  const entries = await readAllTips(deps.db);
  const who = { by: user, at: deps.now().toISOString() };
  if (meta.mode === 'add') {
    const id = newTipId(meta.kind, typed.title, new Set(entries.map((e) => e.tip.id)));
    const checked = checkTip({ id, kind: meta.kind, ...typed }, entries);
    if ('errors' in checked) return checked;
    try {
      await addCustomTip(deps.db, checked.tip, who);
    } catch (err) {
      if (err instanceof TipExistsError)
        return {
          errors: {
            [IDS.tipTitleBlock]:
              'Someone added a tip with this title at the same moment. Change the title a little and save again.',
          },
        };
      throw err;
    }
    return {
      done: `Added \`${checked.tip.id}\` (${escapeMrkdwn(checked.tip.title)}) to the ${meta.kind} tips; it joins the weekly rotation now.`,
      channel: meta.channel,
    };
  }
  const entry = entries.find((e) => e.tip.id === meta.id);
  if (!entry) return { errors: { [IDS.tipTitleBlock]: `Tip \`${escapeMrkdwn(meta.id)}\` is gone. Close the form.` } };
  const checked = checkTip(
    { id: entry.tip.id, kind: entry.tip.kind, ...typed },
    entries.filter((e) => e !== entry),
  );
  if ('errors' in checked) return checked;
  await saveTipText(deps.db, checked.tip, entry.source === 'custom' ? 'custom' : 'edit', who);
  return {
    done: `Saved your changes to \`${entry.tip.id}\` (${escapeMrkdwn(checked.tip.title)}).`,
    channel: meta.channel,
  };
}

export function registerTips(app: App, deps: ListenerDeps): void {
  app.view(IDS.tipModal, async ({ ack, body, view, client }) => {
    const result = await submitTip(deps, body.user.id, view.private_metadata, view.state.values);
    if ('errors' in result) return ack({ response_action: 'errors', errors: result.errors } as ViewResponseAction);
    await ack();
    try {
      await client.chat.postEphemeral({ channel: result.channel, user: body.user.id, text: result.done });
    } catch (err) {
      logger.warn('tip saved; confirmation not posted', { error: (err as Error).message });
    }
  });
}
