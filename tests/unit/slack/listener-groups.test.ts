/**
 * The listener groups loaded on first use (functions/slack/listener-groups.ts): the table that says
 * which requests a group answers must be exactly what the group registers, or a request would reach
 * Bolt before its listener is there. Each group is registered on an app that only records, and its
 * claims compared with what was recorded; every register function under listeners/ is a group or
 * registered at start. Then the loader itself, on a real Bolt App.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, LogLevel, type Receiver, type ReceiverEvent } from '@slack/bolt';
import {
  type Claim,
  groupsFor,
  LISTENER_GROUPS,
  type ListenerGroup,
  loadListenerGroupsOnUse,
} from '../../../functions/slack/listener-groups';
import type { ListenerDeps } from '../../../functions/slack/listeners/deps';
import { routeListenersByKind } from '../../../functions/slack/route-listeners';

const LISTENERS = path.join(__dirname, '..', '..', '..', 'functions', 'slack', 'listeners');
/** Registered by createSlackApp itself (functions/slack/app.ts), not loaded on use. */
const AT_START = ['registerSlaCommand', 'registerHome'];

const show = (c: unknown): string =>
  JSON.stringify(c, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));

/** What `register` asks of Bolt, in the table's terms; anything else (middleware, a matcher the table cannot say) is named as is. */
function recorded(register: (app: App, deps: ListenerDeps) => void): string[] {
  const seen: string[] = [];
  const as = (kind: string) => (constraint: unknown) => {
    const simple = typeof constraint === 'string' || constraint instanceof RegExp;
    const blockOnly =
      kind === 'action' &&
      !simple &&
      Object.keys(constraint as object).join() === 'block_id' &&
      (constraint as { block_id: unknown }).block_id instanceof RegExp;
    const fits = kind === 'action' ? simple || blockOnly : typeof constraint === 'string';
    seen.push(fits ? show({ [kind]: constraint }) : `unsupported ${kind} ${show(constraint)}`);
  };
  const app = {
    command: as('command'),
    event: as('event'),
    action: as('action'),
    view: as('view'),
    shortcut: as('shortcut'),
    options: as('options'),
    message: as('message'),
    use: () => seen.push('global middleware'),
  };
  register(app as unknown as App, {} as ListenerDeps);
  return seen;
}

describe('the listener groups table', () => {
  it.each(LISTENER_GROUPS.map((g) => [g.name, g] as const))(
    '%s claims exactly what it registers',
    async (_name, group) => {
      const register = await group.load();
      expect(group.claims.map(show).sort()).toEqual(recorded(register).sort());
    },
  );

  it('holds every listener group but the ones registered at start', async () => {
    const exported = readdirSync(LISTENERS)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(path.join(LISTENERS, f), 'utf8').matchAll(/^export function (register\w+)/gm)].map(
          (m) => m[1]!,
        ),
      );
    const loaded = await Promise.all(LISTENER_GROUPS.map(async (g) => (await g.load()).name));
    expect([...loaded, ...AT_START].sort()).toEqual(exported.sort());
    expect(new Set(LISTENER_GROUPS.map((g) => g.name)).size).toBe(LISTENER_GROUPS.length);
  });

  const names = (body: unknown) => groupsFor(body).map((g) => g.name);
  const press = (action_id: string, block_id = 'b') => ({
    type: 'block_actions',
    actions: [{ action_id, block_id }],
  });

  it('sends each kind of request to the groups that answer it, and no others', () => {
    expect(names({ command: '/sla', text: 'new' })).toEqual([]);
    expect(names({ command: '/kudos', text: '' })).toEqual(['kudos']);
    expect(names({ type: 'event_callback', event: { type: 'reaction_added' } })).toEqual(['gestures', 'kudos']);
    expect(names({ type: 'event_callback', event: { type: 'message' } })).toEqual(['request-messages']);
    expect(names({ type: 'event_callback', event: { type: 'app_home_opened' } })).toEqual([]);
    expect(names(press('request_rate_4'))).toEqual(['request-dms']);
    expect(names(press('request_rate_9'))).toEqual([]);
    expect(names(press('value', 'request_resolve_offer:IT-1'))).toEqual(['gestures']);
    expect(names(press('request_recovered_no'))).toEqual(['recovery']);
    expect(names(press('request_more'))).toEqual(['request-more']);
    expect(names({ type: 'view_submission', view: { callback_id: 'tip_edit' } })).toEqual(['tips']);
    expect(names({ type: 'message_action', callback_id: 'file_request' })).toEqual(['request-filing']);
    expect(names({ type: 'shortcut', callback_id: 'give_kudos' })).toEqual(['kudos']);
    // Not what Slack sends for these: the type decides, not the id alone.
    expect(names({ type: 'view_submission', callback_id: 'give_kudos' })).toEqual([]);
    expect(names({ type: 'block_actions', actions: [] })).toEqual([]);
    expect(names(undefined)).toEqual([]);
  });
});

describe('loading groups on use', () => {
  const stubReceiver = (): Receiver => ({ init: () => {}, start: async () => {}, stop: async () => {} }) as Receiver;

  function setup(loadGate?: Promise<void>) {
    const ran: string[] = [];
    let loads = 0;
    let failNext = false;
    const app = new App({
      receiver: stubReceiver(),
      token: 'xoxb-test',
      botId: 'B0TEST',
      botUserId: 'U0TEST',
      tokenVerificationEnabled: false,
      logLevel: LogLevel.ERROR,
    });
    app.command('/sla', async ({ ack }) => {
      ran.push('sla');
      await ack();
    });
    routeListenersByKind(app);
    const group: ListenerGroup = {
      name: 'thanks',
      claims: [{ action: 'thanks' } as Claim],
      load: async () => {
        loads++;
        await loadGate;
        if (failNext) {
          failNext = false;
          throw new Error('chunk missing');
        }
        return (a) =>
          a.action('thanks', async ({ ack }) => {
            ran.push('thanks');
            await ack();
          });
      },
    };
    const process = loadListenerGroupsOnUse(app, {} as ListenerDeps, app.processEvent.bind(app), [group]);
    const deliver = (body: object) => process({ body, ack: async () => {} } as unknown as ReceiverEvent);
    return { ran, deliver, loads: () => loads, failOnce: () => (failNext = true) };
  }
  const thanks = { type: 'block_actions', team: { id: 'T0' }, user: { id: 'U0' }, actions: [{ action_id: 'thanks' }] };
  const sla = { command: '/sla', text: '', team_id: 'T0', user_id: 'U0', channel_id: 'C0', trigger_id: '1' };

  it('loads nothing for a request no group claims, and a group once for many requests at once', async () => {
    let open!: () => void;
    const s = setup(new Promise<void>((r) => (open = r)));
    await s.deliver(sla);
    expect(s.loads()).toBe(0);
    const both = Promise.all([s.deliver(thanks), s.deliver(thanks)]);
    open();
    await both;
    await s.deliver(thanks);
    expect(s.loads()).toBe(1);
    expect(s.ran).toEqual(['sla', 'thanks', 'thanks', 'thanks']);
  });

  it('tries a group that failed to load again with the next request', async () => {
    const s = setup();
    s.failOnce();
    await expect(s.deliver(thanks)).rejects.toThrow('chunk missing');
    await s.deliver(thanks);
    expect(s.loads()).toBe(2);
    expect(s.ran).toEqual(['thanks']);
  });
});
