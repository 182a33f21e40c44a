import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../functions/config';

const valid = { SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1-2-abc' };

function problem(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('fills the documented defaults', () => {
    const c = parseConfig(valid);
    expect(c).toMatchObject({
      PORT: 3000,
      KEPT_TABLE: 'kept',
      KEPT_ADMINS: [],
      KEPT_SCHEDULER: 'on',
      KEPT_DATA_DIR: '.kept',
    });
    expect(c.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(c.SLACK_APP_TOKEN).toBeUndefined();
  });

  it('treats empty values as unset, so .env.example can be copied as is', () => {
    expect(parseConfig({ ...valid, PORT: '', SLACK_APP_TOKEN: ' ', KEPT_ADMINS: '' }).PORT).toBe(3000);
  });

  it('parses admins, the API URL and the scheduler switch', () => {
    const c = parseConfig({
      ...valid,
      KEPT_ADMINS: 'U0AAA1, W0BBB2',
      SLACK_API_URL: 'http://127.0.0.1:4001/api',
      KEPT_SCHEDULER: 'off',
    });
    expect(c.KEPT_ADMINS).toEqual(['U0AAA1', 'W0BBB2']);
    expect(c.SLACK_API_URL).toBe('http://127.0.0.1:4001/api/');
    expect(c.KEPT_SCHEDULER).toBe('off');
  });

  it.each([
    [{}, 'SLACK_SIGNING_SECRET', 'is missing'],
    [{ SLACK_SIGNING_SECRET: 'abcdef0123456789' }, 'SLACK_BOT_TOKEN', 'is missing'],
    [{ ...valid, SLACK_BOT_TOKEN: 'xoxp-test' }, 'SLACK_BOT_TOKEN', 'must be a bot token starting with xoxb-'],
    [{ ...valid, SLACK_APP_TOKEN: 'xoxb-wrong' }, 'SLACK_APP_TOKEN', 'starting with xapp-'],
    [{ ...valid, SLACK_API_URL: 'not a url' }, 'SLACK_API_URL', 'must be an http(s) URL'],
    [{ ...valid, PORT: 'abc' }, 'PORT', 'must be a port number'],
    [{ ...valid, PORT: '70000' }, 'PORT', 'between 1 and 65535'],
    [{ ...valid, DYNAMODB_ENDPOINT: 'localhost:8000' }, 'DYNAMODB_ENDPOINT', 'must be an http(s) URL'],
    [{ ...valid, KEPT_TABLE: 'a' }, 'KEPT_TABLE', 'must be 3-255 letters'],
    [{ ...valid, KEPT_ADMINS: 'U0AAA1,alice' }, 'KEPT_ADMINS', 'must be Slack user IDs'],
    [{ ...valid, KEPT_SCHEDULER: 'maybe' }, 'KEPT_SCHEDULER', 'must be "on" or "off"'],
  ])('stops with one line naming the variable: %j', (env, variable, words) => {
    const line = problem(env as Record<string, string>);
    expect(line).toContain(`${variable} `);
    expect(line).toContain(words);
    expect(line).toContain('.env');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('.env.example lists every variable Kept reads', () => {
    const example = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z_]+)=/gm)].map((m) => m[1]);
    for (const name of [
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'SLACK_BOT_ID',
      'SLACK_BOT_USER_ID',
      'PORT',
      'DYNAMODB_ENDPOINT',
      'KEPT_TABLE',
      'KEPT_ADMINS',
      'KEPT_SCHEDULER',
      'KEPT_DATA_DIR',
    ]) {
      expect(listed).toContain(name);
    }
  });
});
