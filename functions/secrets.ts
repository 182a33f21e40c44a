/**
 * In AWS the Slack secrets live in Secrets Manager (never in environment variables); the
 * function reads them once per cold start and parses them with the rest of the config.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { type Config, parseConfig } from './config';

const SlackSecret = z.object({ SLACK_SIGNING_SECRET: z.string(), SLACK_BOT_TOKEN: z.string() }).partial();

export async function loadLambdaConfig(env: Record<string, string | undefined> = process.env): Promise<Config> {
  const arn = env.KEPT_SLACK_SECRET_ARN;
  if (!arn)
    throw new Error('KEPT_SLACK_SECRET_ARN is not set; the stack passes the Slack secret ARN to every function.');
  const secret = SlackSecret.parse(await getSecret(arn, { transform: 'json', maxAge: 24 * 60 * 60 }));
  return parseConfig({ ...env, ...secret });
}
