/**
 * Runs a Lambda asset's handler the way the Lambda runtime would: `node` in the asset's own
 * directory, the AWS SDK from the repository on NODE_PATH (the runtime provides it in AWS), and a
 * Secrets Manager that answers GetSecretValue with the Slack secrets, as at a cold start. Every
 * function gets the bot token's ARN; the Slack function's test adds the signing secret's.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SIGNING_SECRET } from '../support/slack-requests';

export const SIGNING_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:kept-slack-signing-secret-AbCdEf';
export const BOT_TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kept-slack-bot-token-AbCdEf';
const ROOT = path.resolve(__dirname, '..', '..');

export interface FakeSecrets {
  server: Server;
  url: string;
  /** The SecretId of every GetSecretValue asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

/** Secrets Manager's GetSecretValue, answering with the Slack signing secret or the bot token, as the stack stores them. */
export async function startSecrets(): Promise<FakeSecrets> {
  const values: Record<string, Record<string, string>> = {
    [SIGNING_SECRET_ARN]: { SLACK_SIGNING_SECRET: SIGNING_SECRET },
    [BOT_TOKEN_ARN]: { SLACK_BOT_TOKEN: 'xoxb-test-asset' },
  };
  const asked: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const id =
        req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue' ? String(JSON.parse(body).SecretId) : '';
      if (id) asked.push(id);
      const value = values[id];
      res.writeHead(value ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify(
          value
            ? { ARN: id, Name: id, VersionId: 'v1', SecretString: JSON.stringify(value) }
            : { __type: id ? 'ResourceNotFoundException' : 'UnknownOperation' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    asked,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs `script` with `node -e` in `assetDir` and returns the JSON it printed after `RESULT `.
 * Fails the test with the exit code and stderr when the script does not end cleanly.
 */
export async function runInAsset<T>(
  assetDir: string,
  script: string,
  secrets: FakeSecrets,
  env: Record<string, string>,
): Promise<T> {
  const child = spawn(process.execPath, ['-e', script], {
    cwd: assetDir,
    env: {
      PATH: process.env.PATH,
      NODE_PATH: path.join(ROOT, 'node_modules'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      KEPT_SLACK_BOT_TOKEN_ARN: BOT_TOKEN_ARN,
      KEPT_LOG_LEVEL: 'ERROR',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || stderr !== '') throw new Error(`the asset's script ended with code ${code}: ${stderr}`);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the asset's script printed no RESULT line: ${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}
