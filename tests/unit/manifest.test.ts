/** The Slack app manifest asks for what Kept uses and nothing more. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SLA_COMMANDS, SLA_WORDS } from '../../functions/slack/commands';

const manifest = parse(readFileSync(path.join(__dirname, '..', '..', 'manifest.yaml'), 'utf8'));

it('requests exactly the reviewed bot scopes (a new scope fails here until reviewed)', () => {
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
    'channels:history',
    'chat:write',
    'chat:write.public',
    'commands',
    'files:write',
    'groups:history',
    'im:history',
    'im:write',
    'reactions:read',
    'usergroups:read',
    'users:read',
  ]);
  expect(manifest.oauth_config.scopes.user).toBeUndefined();
});

it('declares /sla, /kudos, the file_request and give_kudos shortcuts and the App Home, all on one request URL', () => {
  expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/sla', '/kudos']);
  expect(manifest.features.shortcuts).toEqual([
    expect.objectContaining({ type: 'message', callback_id: 'file_request' }),
    expect.objectContaining({ type: 'message', callback_id: 'give_kudos' }),
  ]);
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(
    expect.arrayContaining(['reaction_added', 'reaction_removed']),
  );
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  const urls = new Set([
    ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    manifest.settings.event_subscriptions.request_url,
    manifest.settings.interactivity.request_url,
  ]);
  expect([...urls]).toEqual(['https://kept.example.com/slack/events']);
  expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
    'app_home_opened',
    'message.channels',
    'message.groups',
    'message.im',
    'reaction_added',
    'reaction_removed',
    'subteam_members_changed',
    'user_change',
  ]);
});

describe("/sla's usage hint", () => {
  const sla = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/sla');
  const hint: string = sla.usage_hint;

  it('names every word the /sla router takes, and every command help lists', () => {
    const named = new Set(hint.split(/[^a-z]+/));
    for (const word of SLA_WORDS) expect({ word, named: named.has(word) }).toEqual({ word, named: true });
    for (const c of SLA_COMMANDS) expect(named.has(c.name)).toBe(true);
  });

  it("stays within Slack's limit for a usage hint (1,000 characters, the app manifest schema)", () => {
    expect(hint.length).toBeGreaterThan(0);
    expect(hint.length).toBeLessThanOrEqual(1000);
  });
});
