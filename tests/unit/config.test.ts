import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  parseConfig,
  parseStoreAndSlackClientConfig,
  parseStoreConfig,
  parseWebConfig,
} from '../../functions/config';

const valid = { SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1-2-abc' };

function refusal(env: Record<string, string>, parse: (env: Record<string, string>) => unknown = parseConfig) {
  try {
    parse(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a configuration error');
}
const problem = (env: Record<string, string>) => refusal(env).message;

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
    [{ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }, 'SLACK_SIGNING_SECRET', 'is missing'],
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

  it('refuses a plain http SLACK_API_URL outside a local run, naming the variable; https and local runs pass', () => {
    const http = { ...valid, SLACK_API_URL: 'http://fake-slack.example.com/api/' };
    const places: Record<string, string>[] = [{ AWS_LAMBDA_FUNCTION_NAME: 'Kept-Worker' }, { KEPT_DATABASE: 'aws' }];
    for (const where of places) {
      const err = refusal({ ...http, ...where });
      expect(err.variables).toEqual(['SLACK_API_URL']);
      expect(err.message).toMatch(/SLACK_API_URL must be an https URL (in AWS Lambda|with KEPT_DATABASE=aws)/);
      expect(err.message).toContain('bot token');
      // The same for the `kept` commands that only read user groups.
      expect(refusal({ ...http, ...where }, parseStoreAndSlackClientConfig).variables).toEqual(['SLACK_API_URL']);
      expect(
        parseConfig({ ...valid, ...where, SLACK_API_URL: 'https://fake-slack.example.com/api' }).SLACK_API_URL,
      ).toBe('https://fake-slack.example.com/api/');
      expect(parseConfig({ ...valid, ...where }).SLACK_API_URL).toBeUndefined();
    }
    // npm start, the tests and the playground talk to a fake Slack on this machine.
    expect(parseConfig(http).SLACK_API_URL).toBe('http://fake-slack.example.com/api/');
    // Listed with the other problems, in the schema's order.
    expect(refusal({ ...http, AWS_LAMBDA_FUNCTION_NAME: 'Kept-Slack', PORT: 'x' }).variables).toEqual([
      'SLACK_API_URL',
      'PORT',
    ]);
  });

  it('names every missing or malformed setting at once, one line each saying how to fix it', () => {
    const err = refusal({ PORT: 'eighty', KEPT_TABLE: 'a', KEPT_SCHEDULER: 'maybe' });
    expect(err.variables).toEqual(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'PORT', 'KEPT_TABLE', 'KEPT_SCHEDULER']);
    expect(err.message.split('\n')).toEqual([
      'Configuration error: 5 settings need fixing; set them in .env (see .env.example) or the environment:',
      '  SLACK_SIGNING_SECRET is missing; copy the Signing Secret from your Slack app\'s "Basic Information" page.',
      '  SLACK_BOT_TOKEN is missing; copy the Bot User OAuth Token (xoxb-...) from your Slack app\'s "OAuth & Permissions" page.',
      '  PORT must be a port number between 1 and 65535.',
      '  KEPT_TABLE must be 3-255 letters, digits, "_", "-" or "." (a DynamoDB table name).',
      '  KEPT_SCHEDULER must be "on" or "off".',
    ]);
  });

  it('names a variable once however many of its rules it breaks', () => {
    const err = refusal({ ...valid, PORT: '0.5' });
    expect(err.variables).toEqual(['PORT']);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('the database settings alone need no Slack settings, and are still checked', () => {
    expect(parseStoreConfig({})).toEqual({ KEPT_DATABASE: 'local', KEPT_TABLE: 'kept', KEPT_DATA_DIR: '.kept' });
    expect(parseStoreConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', SLACK_BOT_TOKEN: 'junk' })).toEqual({
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      KEPT_DATABASE: 'local',
      KEPT_TABLE: 'kept',
      KEPT_DATA_DIR: '.kept',
    });
    expect(refusal({ DYNAMODB_ENDPOINT: 'localhost', KEPT_DATABASE: 'cloud' }, parseStoreConfig).variables).toEqual([
      'DYNAMODB_ENDPOINT',
      'KEPT_DATABASE',
    ]);
    expect(refusal({ KEPT_TABLE: 'a', SLACK_BOT_TOKEN: 'xoxp-1' }, parseStoreAndSlackClientConfig).variables).toEqual([
      'SLACK_BOT_TOKEN',
      'KEPT_TABLE',
    ]);
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

describe("the web function's configuration", () => {
  it('needs its session key and no Slack setting, and ignores a Slack setting it is given', () => {
    const c = parseWebConfig({ KEPT_WEB_SESSION_KEY: 'k'.repeat(64), KEPT_ADMINS: 'U0ADMIN01', ...valid });
    expect(c).toMatchObject({ KEPT_TABLE: 'kept', KEPT_ADMINS: ['U0ADMIN01'], KEPT_WEB_SESSION_KEY: 'k'.repeat(64) });
    expect(c).not.toHaveProperty('SLACK_SIGNING_SECRET');
    expect(c).not.toHaveProperty('SLACK_BOT_TOKEN');
  });

  it('says what is missing or too short', () => {
    expect(refusal({}, parseWebConfig).message).toContain('KEPT_WEB_SESSION_KEY is missing');
    expect(refusal({ KEPT_WEB_SESSION_KEY: 'short' }, parseWebConfig).message).toContain('at least 32 characters');
  });
});
