/**
 * In AWS the Slack credentials live in Secrets Manager (never in environment variables), in two
 * secrets: the signing secret, which only the Slack function (the one that checks signatures) may
 * read, and the bot token, which every function that calls Slack reads. The web function reads
 * only a third, its session key. A function reads its secrets once per cold
 * start (GetSecretValue, signed by functions/aws-call.ts: the AWS SDK's client would add about
 * 100 ms to the cold start) and parses them with the rest of the config.
 */

import { type AwsJsonClient, awsJsonClient, credentialsFromEnv } from './aws-call';
import { type Config, type JobConfig, parseConfig, parseJobConfig, parseWebConfig, type WebConfig } from './config';
import * as z from './zod';

const SigningSecret = z.partial(z.object({ SLACK_SIGNING_SECRET: z.string() }));
const BotToken = z.partial(z.object({ SLACK_BOT_TOKEN: z.string() }));
const WebSessionKey = z.partial(z.object({ KEPT_WEB_SESSION_KEY: z.string() }));

/** The keys of the JSON secret whose ARN is in `variable`; only the keys `schema` names are kept. */
async function readSecret<T>(
  env: Record<string, string | undefined>,
  variable: 'KEPT_SLACK_SIGNING_SECRET_ARN' | 'KEPT_SLACK_BOT_TOKEN_ARN' | 'KEPT_WEB_SESSION_KEY_ARN',
  schema: z.ZodMiniType<T>,
): Promise<T> {
  const arn = env[variable];
  if (!arn) throw new Error(`${variable} is not set; the stack passes the ARN of each secret a function reads.`);
  const answer = (await secretsManager(env, arn).call('GetSecretValue', { SecretId: arn })) as {
    SecretString?: unknown;
  };
  let value: unknown;
  try {
    value = JSON.parse(typeof answer.SecretString === 'string' ? answer.SecretString : '');
  } catch {
    throw new Error(
      `The secret named by ${variable} is not a JSON object of keys (docs/deploy.md says what it holds).`,
    );
  }
  return schema.parse(value);
}

const clients = new Map<string, AwsJsonClient>();

/** Secrets Manager in the secret's own region, as the function's role (Lambda's environment). */
function secretsManager(env: Record<string, string | undefined>, arn: string): AwsJsonClient {
  const region = arn.split(':')[3] || env.AWS_REGION || 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL;
  const known = clients.get(`${region} ${endpoint}`);
  if (known) return known;
  const client = awsJsonClient({
    service: 'secretsmanager',
    region,
    endpoint,
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
    budget: { requestTimeout: 3_000, connectionTimeout: 1_000, maxAttempts: 3 },
    credentials: () => {
      const credentials = credentialsFromEnv(env);
      if (!credentials) throw new Error('No AWS credentials in the environment: the secrets are read in Lambda only.');
      return credentials;
    },
  });
  clients.set(`${region} ${endpoint}`, client);
  return client;
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
