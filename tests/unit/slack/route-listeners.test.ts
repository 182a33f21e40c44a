/**
 * The router in front of Bolt's listeners (functions/slack/route-listeners.ts) must run exactly
 * the listeners Bolt would, and fail a request the way Bolt would. A real Bolt App with a receiver
 * that only hands events in; each case runs once routed and once as plain Bolt, and both agree.
 */
import { App, ErrorCode, LogLevel, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { routeListenersByKind } from '../../../functions/slack/route-listeners';

const stubReceiver = (): Receiver => ({ init: () => {}, start: async () => {}, stop: async () => {} }) as Receiver;

function app(routed: boolean) {
  const ran: string[] = [];
  const errors: { code?: string; count?: number }[] = [];
  const a = new App({
    receiver: stubReceiver(),
    token: 'xoxb-test',
    botId: 'B0TEST',
    botUserId: 'U0TEST',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
  a.command('/sla', async ({ ack }) => {
    ran.push('sla');
    await ack();
  });
  a.command('/kudos', async () => {
    ran.push('kudos');
  });
  a.command(/^\/(sla|boom)$/, async ({ command }) => {
    ran.push('sla-or-boom');
    if (command.text === 'fail') throw new Error('one');
  });
  a.command('/boom', async () => {
    ran.push('boom');
    throw new Error('two');
  });
  a.action('press', async ({ ack }) => {
    ran.push('press');
    await ack();
  });
  a.view('form', async ({ ack }) => {
    ran.push('form');
    await ack();
  });
  a.event('app_home_opened', async () => {
    ran.push('home');
  });
  if (routed) routeListenersByKind(a);
  a.command('/later', async () => {
    ran.push('later');
  });
  a.error(async (error) => {
    const originals = (error as { originals?: unknown[] }).originals;
    errors.push({ code: (error as { code?: string }).code, ...(originals ? { count: originals.length } : {}) });
  });
  return { app: a, ran, errors };
}

const command = (name: string, text = '') => ({
  command: name,
  text,
  team_id: 'T0TEST',
  user_id: 'U0PERSON',
  channel_id: 'C0CHAN',
  trigger_id: '1.2.3',
  response_url: 'https://hooks.slack.invalid/x',
});
const action = (id: string) => ({
  type: 'block_actions',
  team: { id: 'T0TEST' },
  user: { id: 'U0PERSON' },
  actions: [{ action_id: id, block_id: 'b', type: 'button', action_ts: '1' }],
});
const view = (id: string) => ({
  type: 'view_submission',
  team: { id: 'T0TEST' },
  user: { id: 'U0PERSON' },
  view: { id: 'V0', callback_id: id, state: { values: {} } },
});
const homeEvent = {
  type: 'event_callback',
  team_id: 'T0TEST',
  event_id: 'Ev1',
  event: { type: 'app_home_opened', user: 'U0PERSON', channel: 'D0', tab: 'home' },
};

async function deliver(routed: boolean, body: object) {
  const built = app(routed);
  const event: ReceiverEvent = { body: body as ReceiverEvent['body'], ack: async () => {} };
  await built.app.processEvent(event);
  return { ran: built.ran.sort(), errors: built.errors };
}

const cases: [string, object][] = [
  ['a command reaches the listeners of that command only', command('/sla')],
  ['a listener matching by pattern runs beside the named one', command('/sla', 'hello')],
  ['one failing listener fails the request with its own error', command('/sla', 'fail')],
  ['two failing listeners fail it with both errors', command('/boom', 'fail')],
  ['a click reaches its action only', action('press')],
  ['a form reaches its view only', view('form')],
  ['an event reaches its event listener only', homeEvent],
  ['a listener added after routing still runs', command('/later')],
  ['a command nobody listens to runs nothing', command('/nobody')],
];

describe('listeners behind the router', () => {
  it.each(cases)('%s, as plain Bolt', async (_name, body) => {
    expect(await deliver(true, body)).toEqual(await deliver(false, body));
  });

  it('runs what is expected', async () => {
    expect((await deliver(true, command('/sla'))).ran).toEqual(['sla', 'sla-or-boom']);
    expect((await deliver(true, command('/later'))).ran).toEqual(['later']);
    expect((await deliver(true, command('/boom', 'fail'))).errors).toEqual([
      { code: ErrorCode.MultipleListenerError, count: 2 },
    ]);
    expect((await deliver(true, command('/sla', 'fail'))).errors).toEqual([{ code: ErrorCode.UnknownError }]);
  });
});
