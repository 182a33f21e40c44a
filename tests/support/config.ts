/** A valid configuration pointing at the fake Slack and the test DynamoDB Local. */
import { type Config, parseConfig } from '../../functions/config';
import { BOT } from './fake-slack';
import { SIGNING_SECRET } from './slack-requests';

export function testConfig(over: {
  slackApiUrl: string;
  table: string;
  endpoint: string;
  env?: Record<string, string>;
}): Config {
  return parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: over.slackApiUrl,
    SLACK_BOT_ID: BOT.botId,
    SLACK_BOT_USER_ID: BOT.userId,
    SLACK_TEAM_ID: BOT.teamId,
    DYNAMODB_ENDPOINT: over.endpoint,
    KEPT_TABLE: over.table,
    KEPT_SCHEDULER: 'off',
    ...over.env,
  });
}

/**
 * A config as the stack deploys it: no SLACK_BOT_ID or SLACK_BOT_USER_ID, which Kept learns from
 * auth.test on the first event that needs them.
 */
export function withoutBotIds(config: Config): Config {
  const { SLACK_BOT_ID: _id, SLACK_BOT_USER_ID: _user, ...rest } = config;
  return rest;
}
