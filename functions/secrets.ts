/**
 * In AWS the Slack credentials live in Secrets Manager (never in environment variables), in two
 * secrets: the signing secret, which only the Slack function (the one that checks signatures) may
 * read, and the bot token, which every function that calls Slack reads. The web function reads
 * only a third, its session key. A function reads its secrets once per cold
 * start and parses them with the rest of the config.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { type Config, type JobConfig, parseConfig, parseJobConfig, parseWebConfig, type WebConfig } from './config';

const SigningSecret = z.object({ SLACK_SIGNING_SECRET: z.string() }).partial();
const BotToken = z.object({ SLACK_BOT_TOKEN: z.string() }).partial();
const WebSessionKey = z.object({ KEPT_WEB_SESSION_KEY: z.string() }).partial();

/** The keys of the JSON secret whose ARN is in `variable`; only the keys `schema` names are kept. */
async function readSecret<T>(
  env: Record<string, string | undefined>,
  variable: 'KEPT_SLACK_SIGNING_SECRET_ARN' | 'KEPT_SLACK_BOT_TOKEN_ARN' | 'KEPT_WEB_SESSION_KEY_ARN',
  schema: z.ZodType<T>,
): Promise<T> {
  const arn = env[variable];
  if (!arn) throw new Error(`${variable} is not set; the stack passes the ARN of each secret a function reads.`);
  return schema.parse(await getSecret(arn, { transform: 'json', maxAge: 24 * 60 * 60 }));
}

/** The Slack function's config: the signing secret and the bot token. */
export async function loadSlackLambdaConfig(env: Record<string, string | undefined> = process.env): Promise<Config> {
  const [signing, token] = await Promise.all([
    readSecret(env, 'KEPT_SLACK_SIGNING_SECRET_ARN', SigningSecret),
    readSecret(env, 'KEPT_SLACK_BOT_TOKEN_ARN', BotToken),
  ]);
  return parseConfig({ ...env, ...signing, ...token });
}

/** The worker's and the scheduled jobs' config: the bot token only. */
export async function loadLambdaConfig(env: Record<string, string | undefined> = process.env): Promise<JobConfig> {
  return parseJobConfig({ ...env, ...(await readSecret(env, 'KEPT_SLACK_BOT_TOKEN_ARN', BotToken)) });
}

/** The web function's config: its own session key, no Slack credential (docs/decisions.md). */
export async function loadWebLambdaConfig(env: Record<string, string | undefined> = process.env): Promise<WebConfig> {
  return parseWebConfig({ ...env, ...(await readSecret(env, 'KEPT_WEB_SESSION_KEY_ARN', WebSessionKey)) });
}
