/**
 * The playground's web pages (`npm start` with no Slack settings): pick a person of the made-up
 * company, type `/sla` and `/kudos` commands, press buttons, fill in modals, react to messages and
 * move Kept's clock. Every press becomes the signed request Slack would send to Kept's own
 * `POST /slack/events`; what Kept does comes back through the Slack stand-in (fake-slack.ts), which
 * the page draws. After each press the page waits until Kept and its worker are done, then shows
 * the result.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { BOT, conversationOf, type FakeSlack } from '../fake-slack';
import { chosenOption, stateFromForm } from './blockkit';
import { type PageState, playgroundPage } from './page';
import { GENERAL_CHANNEL, PLAYGROUND_PEOPLE, personName } from './people';

export interface PlaygroundDeps {
  fake: FakeSlack;
  /** Kept's own `/slack/events` URL (found once the server listens). */
  eventsUrl: () => string;
  signingSecret: string;
  /** Resolves when Kept's listeners and the work they handed over are done. */
  idle: () => Promise<void>;
  /** Kept's clock, which the playground moves on. */
  clock: PlaygroundClock;
  /** Runs the breach scan at Kept's clock (as the scheduler would a minute later). */
  scan: () => Promise<unknown>;
  /** The department channels, by ID, with their names. */
  channels: () => Promise<{ id: string; name: string }[]>;
}

/** Kept's clock in the playground: the real time, moved on by however much the person asked. */
export class PlaygroundClock {
  offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const TEAM = { id: BOT.teamId, domain: 'kept-playground' };
const APP_ID = 'A0KEPTPLAY';

type Form = Record<string, string | string[]>;

/** Form fields as strings (the first of repeated ones), and repeated ones as lists. */
async function formOf(req: Request): Promise<Form> {
  const data = await req.formData();
  const form: Form = {};
  for (const key of new Set(data.keys())) {
    const all = data.getAll(key).map(String);
    form[key] = all.length > 1 ? all : (all[0] ?? '');
  }
  return form;
}
const one = (form: Form, key: string): string => {
  const v = form[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

const userOf = (id: string) => ({ id, username: id.toLowerCase(), name: personName(id) ?? id, team_id: BOT.teamId });
const eventId = () => `EvPG${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;

/** `@Ben` in what a person typed becomes Slack's mention markup, as Slack sends it. */
function withMentions(text: string): string {
  return text.replace(/@([A-Za-z]+)/g, (whole, name: string) => {
    const person = PLAYGROUND_PEOPLE.find((p) => p.name.toLowerCase() === name.toLowerCase());
    return person ? `<@${person.id}|${person.name.toLowerCase()}>` : whole;
  });
}

export function createPlayground(deps: PlaygroundDeps): {
  listener: ReturnType<typeof getRequestListener>;
} {
  const { fake } = deps;
  /** What the person last saw go wrong, shown once on the next page. */
  const notices = new Map<string, string>();
  /** Errors Kept answered a modal's submission with, by view id. */
  const viewErrors = new Map<string, Record<string, string>>();

  const send = async (body: string, contentType: string): Promise<{ status: number; text: string }> => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', deps.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    const res = await fetch(deps.eventsUrl(), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${signature}`,
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  const interact = (payload: Record<string, unknown>) =>
    send(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
  const event = (inner: Record<string, unknown>) =>
    send(
      JSON.stringify({
        token: 'playground',
        team_id: BOT.teamId,
        api_app_id: APP_ID,
        event: inner,
        type: 'event_callback',
        event_id: eventId(),
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          { enterprise_id: null, team_id: BOT.teamId, user_id: BOT.userId, is_bot: true, is_enterprise_install: false },
        ],
        is_ext_shared_channel: false,
      }),
      'application/json',
    );

  /** What Kept answered, when it is something for the person to read (a command's reply, a refusal). */
  const showAnswer = (as: string, channel: string, answer: { status: number; text: string }) => {
    if (answer.status !== 200) {
      notices.set(as, `Kept answered ${answer.status}: Slack would show "This app did not respond".`);
      return;
    }
    if (!answer.text) return;
    let reply: { text?: unknown; blocks?: unknown; response_type?: unknown };
    try {
      reply = JSON.parse(answer.text) as typeof reply;
    } catch {
      reply = { text: answer.text };
    }
    const message = {
      channel,
      ts: `${Date.now() / 1000}`,
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
      at: Date.now(),
    };
    if (reply.response_type === 'in_channel') fake.posted.push(message);
    else fake.ephemerals.push({ ...message, user: as });
  };

  const back = (c: { redirect: (to: string, status: 303) => Response }, as: string, where: string) =>
    c.redirect(`/?as=${encodeURIComponent(as)}&in=${encodeURIComponent(where)}`, 303);

  const app = new Hono();

  app.get('/', async (c) => {
    const as = PLAYGROUND_PEOPLE.some((p) => p.id === c.req.query('as'))
      ? c.req.query('as')!
      : PLAYGROUND_PEOPLE[0]!.id;
    const channels = [...(await deps.channels()), GENERAL_CHANNEL];
    const where = c.req.query('in') ?? channels[0]!.id;
    if (where === 'home' && c.req.query('opened') !== '1') {
      // Opening the App Home tab: Slack tells Kept, which publishes it.
      await event({
        type: 'app_home_opened',
        user: as,
        channel: `D${as.slice(1)}`,
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      });
      await deps.idle();
      return c.redirect(`/?as=${encodeURIComponent(as)}&in=home&opened=1`, 303);
    }
    const notice = notices.get(as);
    notices.delete(as);
    const modal = fake.modalStacks.get(as)?.at(-1);
    const state: PageState = {
      as,
      where,
      people: PLAYGROUND_PEOPLE,
      channels,
      dm: `D${as.slice(1)}`,
      messages: fake.posted.filter((m) => !m.deleted && conversationOf(m.channel) === where),
      ephemerals: fake.ephemerals.filter((e) => e.user === as && conversationOf(e.channel) === where),
      home: fake.homes.get(as),
      modal: modal ? { ...modal, errors: viewErrors.get(modal.id) ?? {} } : undefined,
      clock: deps.clock.now(),
      offsetMs: deps.clock.offsetMs,
      ...(notice ? { notice } : {}),
      reactions: fake.reactions,
    };
    return c.html(playgroundPage(state));
  });

  // A command (`/sla …`, `/kudos …`) or a message typed into a conversation.
  app.post('/playground/say', async (c) => {
    const form = await formOf(c.req.raw);
    const as = one(form, 'as');
    const where = one(form, 'in');
    const typed = one(form, 'text').trim();
    const thread = one(form, 'thread_ts');
    const command = /^\/(sla|kudos)\b\s*(.*)$/s.exec(typed);
    if (command) {
      const answer = await send(
        new URLSearchParams({
          token: 'playground',
          team_id: TEAM.id,
          team_domain: TEAM.domain,
          channel_id: where,
          channel_name: where,
          user_id: as,
          user_name: (personName(as) ?? as).toLowerCase(),
          command: `/${command[1]}`,
          text: withMentions(command[2] ?? ''),
          api_app_id: APP_ID,
          is_enterprise_install: 'false',
          response_url: fake.responseUrlFor({ user: as, channel: where }),
          trigger_id: fake.issueTrigger(as),
        }).toString(),
        'application/x-www-form-urlencoded',
      );
      showAnswer(as, where, answer);
    } else if (typed) {
      const text = withMentions(typed);
      const message = fake.postAs(as, where, text, thread || undefined);
      await event({
        type: 'message',
        channel: where,
        channel_type: where.startsWith('D') ? 'im' : 'channel',
        user: as,
        text,
        ts: message.ts,
        ...(thread ? { thread_ts: thread } : {}),
        event_ts: message.ts,
      });
    }
    await deps.idle();
    return back(c, as, where);
  });

  // A button or menu on a message, the App Home, or a modal.
  app.post('/playground/act', async (c) => {
    const form = await formOf(c.req.raw);
    const as = one(form, 'as');
    const surface = one(form, 'surface') || (form.modal_action ? 'modal' : 'message');
    const where = one(form, 'in');
    let action: { block_id: string; action_id: string; value: string; type: string; selected?: string };
    if (form.modal_action) {
      const chosen = JSON.parse(one(form, 'modal_action')) as { block_id: string; action_id: string; value: string };
      action = { ...chosen, type: 'button' };
    } else {
      action = {
        block_id: one(form, 'block_id'),
        action_id: one(form, 'action_id'),
        value: one(form, 'value'),
        type: one(form, 'type') || 'button',
        selected: one(form, 'selected'),
      };
    }
    const viewId = one(form, 'view_id');
    const modal = fake.modalStacks.get(as)?.find((m) => m.id === viewId);
    const message = fake.posted.find((m) => m.ts === one(form, 'ts'));
    const blocks =
      surface === 'modal' ? modal?.view.blocks : surface === 'home' ? fake.homes.get(as)?.blocks : message?.blocks;
    const picked =
      action.type === 'button'
        ? { value: action.value }
        : action.type === 'users_select'
          ? { selected_user: action.selected }
          : { selected_option: chosenOption(blocks, action.block_id, action.action_id, action.selected ?? '') };
    const container =
      surface === 'message'
        ? { type: 'message', message_ts: message?.ts ?? '', channel_id: where, is_ephemeral: false }
        : { type: 'view', view_id: surface === 'modal' ? viewId : String(fake.homes.get(as)?.id ?? '') };
    const view =
      surface === 'modal' && modal
        ? { ...modal.view, state: { values: stateFromForm(modal.view.blocks, form) } }
        : surface === 'home'
          ? fake.homes.get(as)
          : undefined;
    const answer = await interact({
      type: 'block_actions',
      user: userOf(as),
      api_app_id: APP_ID,
      token: 'playground',
      container,
      trigger_id: fake.issueTrigger(as),
      team: TEAM,
      enterprise: null,
      is_enterprise_install: false,
      ...(view ? { view } : {}),
      ...(surface === 'message' && message
        ? {
            channel: { id: where, name: where },
            message: {
              type: 'message',
              user: message.user ?? BOT.userId,
              ...(message.user ? {} : { bot_id: BOT.botId }),
              ts: message.ts,
              text: message.text,
              ...(message.blocks ? { blocks: message.blocks } : {}),
            },
          }
        : {}),
      response_url: fake.responseUrlFor({
        user: as,
        channel: where || `D${as.slice(1)}`,
        ...(message ? { messageTs: message.ts } : {}),
      }),
      actions: [
        {
          type: action.type,
          block_id: action.block_id,
          action_id: action.action_id,
          action_ts: `${Date.now() / 1000}`,
          ...picked,
        },
      ],
    });
    if (answer.status !== 200)
      notices.set(as, `Kept answered ${answer.status}: Slack would show an error on that button.`);
    await deps.idle();
    return back(c, as, surface === 'home' ? 'home' : where);
  });

  // A modal's Submit.
  app.post('/playground/submit', async (c) => {
    const form = await formOf(c.req.raw);
    const as = one(form, 'as');
    const where = one(form, 'in');
    const viewId = one(form, 'view_id');
    const modal = fake.modalStacks.get(as)?.find((m) => m.id === viewId);
    if (!modal) return back(c, as, where);
    const answer = await interact({
      type: 'view_submission',
      team: TEAM,
      user: userOf(as),
      api_app_id: APP_ID,
      token: 'playground',
      trigger_id: fake.issueTrigger(as),
      view: {
        ...modal.view,
        id: viewId,
        team_id: BOT.teamId,
        app_id: APP_ID,
        bot_id: BOT.botId,
        state: { values: stateFromForm(modal.view.blocks, form) },
        private_metadata: modal.view.private_metadata ?? '',
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
    viewErrors.delete(viewId);
    if (answer.status !== 200) {
      notices.set(as, `Kept answered ${answer.status}: Slack would keep the form open with an error.`);
    } else if (!answer.text) {
      fake.closeModal(as);
    } else {
      const reply = JSON.parse(answer.text) as {
        response_action?: string;
        errors?: Record<string, string>;
        view?: Record<string, unknown>;
      };
      if (reply.response_action === 'errors') viewErrors.set(viewId, reply.errors ?? {});
      else if (reply.response_action === 'clear') fake.closeModal(as, true);
      else if (reply.response_action === 'update' && reply.view) {
        const top = fake.modalStacks.get(as)?.at(-1);
        if (top) top.view = { ...reply.view, id: top.id };
      } else if (reply.response_action === 'push' && reply.view) {
        const pushed = fake.openView(reply.view).view as Record<string, unknown>;
        fake.modalStacks.get(as)?.push({ id: String(pushed.id), view: pushed });
      } else fake.closeModal(as);
    }
    await deps.idle();
    return back(c, as, where);
  });

  app.post('/playground/close', async (c) => {
    const form = await formOf(c.req.raw);
    fake.closeModal(one(form, 'as'));
    return back(c, one(form, 'as'), one(form, 'in'));
  });

  // A reaction on a message: added, or taken off when the person had already added it.
  app.post('/playground/react', async (c) => {
    const form = await formOf(c.req.raw);
    const as = one(form, 'as');
    const where = one(form, 'in');
    const ts = one(form, 'ts');
    const emoji = one(form, 'emoji').replace(/:/g, '');
    const message = fake.posted.find((m) => m.ts === ts);
    if (message && emoji) {
      const byEmoji = fake.reactions.get(ts) ?? new Map<string, Set<string>>();
      fake.reactions.set(ts, byEmoji);
      const who = byEmoji.get(emoji) ?? new Set<string>();
      byEmoji.set(emoji, who);
      const removing = who.has(as);
      if (removing) who.delete(as);
      else who.add(as);
      await event({
        type: removing ? 'reaction_removed' : 'reaction_added',
        user: as,
        reaction: emoji,
        item_user: message.user ?? BOT.userId,
        item: { type: 'message', channel: where, ts },
        event_ts: `${Date.now() / 1000}`,
      });
      await deps.idle();
    }
    return back(c, as, where);
  });

  // Kept's clock moves on, and the scan runs at the new time (as the scheduler would).
  app.post('/playground/clock', async (c) => {
    const form = await formOf(c.req.raw);
    const minutes = Number(one(form, 'minutes'));
    if (Number.isFinite(minutes) && minutes > 0 && minutes <= 60 * 24 * 14) {
      deps.clock.advance(minutes * 60_000);
      await deps.scan();
      await deps.idle();
    }
    return back(c, one(form, 'as'), one(form, 'in'));
  });

  return { listener: getRequestListener(app.fetch) };
}
