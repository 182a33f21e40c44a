/**
 * Requests exactly as Slack sends them: signed with v0 HMAC-SHA256 over `v0:ts:body`, with
 * real payload shapes (slash-command forms, `payload=` interactivity, Events API envelopes).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BOT } from './fake-slack';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number | string;
}

export function signature(
  body: string | Buffer,
  { secret = SIGNING_SECRET, timestamp = Math.floor(Date.now() / 1000) }: SignOptions = {},
) {
  const hmac = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmac}` };
}

export function slashCommand(fields: Partial<Record<string, string>> = {}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: BOT.teamId,
    team_domain: 'kept-test',
    channel_id: 'C0GENERAL01',
    channel_name: 'general',
    user_id: 'U0ALICE001',
    user_name: 'alice',
    command: '/sla',
    text: 'help',
    api_app_id: 'A0KEPTAPP1',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0KEPT0001/1/abc',
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
    ...fields,
  } as Record<string, string>).toString();
}

export function interactivity(payload: Record<string, unknown>): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export function messageShortcut(
  callbackId: string,
  responseUrl: string,
  text = 'The printer on floor 3 is out of toner',
): Record<string, unknown> {
  return {
    type: 'message_action',
    token: 'deprecated-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: BOT.teamId, domain: 'kept-test' },
    user: { id: 'U0ALICE001', username: 'alice', team_id: BOT.teamId, name: 'alice' },
    channel: { id: 'C0GENERAL01', name: 'general' },
    is_enterprise_install: false,
    callback_id: callbackId,
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
    response_url: responseUrl,
    message_ts: '1780000000.000100',
    message: { type: 'message', user: 'U0BOB00001', ts: '1780000000.000100', text },
  };
}

export function eventEnvelope(
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: BOT.teamId,
    api_app_id: 'A0KEPTAPP1',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: BOT.teamId, user_id: BOT.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

export function appHomeOpened(user = 'U0ALICE001'): Record<string, unknown> {
  return { type: 'app_home_opened', user, channel: 'D0ALICE001', tab: 'home', event_ts: `${Date.now() / 1000}` };
}

/** POSTs a body to the local front door, signed unless `headers` says otherwise. */
export async function postSigned(
  url: string,
  body: string,
  {
    contentType = FORM,
    sign = {},
    headers = {},
  }: { contentType?: string; sign?: SignOptions | false; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json(): unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(sign === false ? {} : signature(body, sign)), ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

/** An API Gateway HTTP API (payload v2) event for the Slack route. */
export function httpApiEvent(
  body: string,
  headers: Record<string, string>,
  { base64 = false } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'Slackbot 1.0',
      },
      requestId: randomUUID(),
      routeKey: 'POST /slack/events',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
  };
}

/** Slack's `view.state.values` for a modal as the user left it: initial values, then `typed` by block_id. */
export function stateOf(
  view: { blocks?: unknown[] },
  typed: Record<string, string | null> = {},
): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const raw of view.blocks ?? []) {
    const block = raw as {
      type: string;
      block_id?: string;
      element?: { type: string; action_id: string; initial_value?: string; initial_option?: { value: string } };
    };
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const { type, action_id } = block.element;
    const given = Object.hasOwn(typed, block.block_id) ? typed[block.block_id] : undefined;
    if (type === 'static_select' || type === 'radio_buttons') {
      const value = given !== undefined ? given : (block.element.initial_option?.value ?? null);
      values[block.block_id] = {
        [action_id]: {
          type,
          selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
        },
      };
    } else {
      const value = given !== undefined ? given : (block.element.initial_value ?? null);
      values[block.block_id] = { [action_id]: { type, value } };
    }
  }
  return values;
}

/** A `view_submission` for a modal Kept opened (as recorded by the fake Slack's views.open). */
export function viewSubmission(
  view: Record<string, unknown>,
  values: Record<string, Record<string, unknown>>,
  user = 'U0ALICE001',
  viewId = `V${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: BOT.teamId, domain: 'kept-test' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: BOT.teamId },
    api_app_id: 'A0KEPTAPP1',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
    view: {
      ...view,
      id: viewId,
      team_id: BOT.teamId,
      app_id: 'A0KEPTAPP1',
      bot_id: BOT.botId,
      hash: `${Date.now()}.abc`,
      state: { values },
      private_metadata: view.private_metadata ?? '',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/**
 * The form-encoded body of `user` submitting `view` with `typed` in its inputs (what Slack sends
 * when someone presses Submit): `viewSubmission` of the view with `stateOf` its typed values.
 */
export function submitView(
  view: Record<string, unknown>,
  typed: Record<string, string | null> = {},
  user?: string,
  viewId?: string,
): string {
  return interactivity(viewSubmission(view, stateOf(view as { blocks?: unknown[] }, typed), user, viewId));
}

let actionCounter = 0;

/** A click on a button (or a pick in a select) of a message Kept posted, as Slack sends it. `actionTs` is unique per click unless given (a re-delivery repeats it). */
export function buttonClick(
  action: {
    action_id: string;
    value?: string;
    block_id?: string;
    selected_user?: string;
    selected_option?: { value: string };
  },
  user: string,
  responseUrl: string,
  channel = `D${user}`,
  options: { actionTs?: string; message?: { ts: string; blocks?: unknown[] }; view?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const ts = options.message?.ts ?? `${Math.floor(Date.now() / 1000)}.000200`;
  const actionTs = options.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(++actionCounter).padStart(6, '0')}`;
  const type =
    action.selected_user !== undefined
      ? 'users_select'
      : action.selected_option !== undefined
        ? 'static_select'
        : 'button';
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: BOT.teamId },
    api_app_id: 'A0KEPTAPP1',
    token: 'deprecated-verification-token',
    container: options.view
      ? { type: 'view', view_id: options.view.id }
      : { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
    team: { id: BOT.teamId, domain: 'kept-test' },
    enterprise: null,
    is_enterprise_install: false,
    ...(options.view
      ? { view: options.view }
      : {
          channel: { id: channel, name: 'directmessage' },
          message: {
            type: 'message',
            user: BOT.userId,
            bot_id: BOT.botId,
            ts,
            text: 'message',
            ...(options.message?.blocks ? { blocks: options.message.blocks } : {}),
          },
        }),
    response_url: responseUrl,
    actions: [
      {
        type,
        block_id: action.block_id ?? 'b1',
        text: { type: 'plain_text', text: 'x' },
        action_ts: actionTs,
        ...action,
      },
    ],
  };
}
