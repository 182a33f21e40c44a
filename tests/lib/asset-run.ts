/**
 * Runs a Lambda asset's handler the way the Lambda runtime would: `node` in the asset's own
 * directory, the AWS SDK from the repository on NODE_PATH (the runtime provides it in AWS), and a
 * Secrets Manager that answers GetSecretValue with the Slack secret, as at a cold start.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SIGNING_SECRET } from '../support/slack-requests';

export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kept-slack-AbCdEf';
const ROOT = path.resolve(__dirname, '..', '..');

export interface FakeSecrets {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Secrets Manager's GetSecretValue, answering with the Slack signing secret and a bot token. */
export async function startSecrets(): Promise<FakeSecrets> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const ok = req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue';
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify(
          ok
            ? {
                ARN: SECRET_ARN,
                Name: 'kept-slack',
                VersionId: 'v1',
                SecretString: JSON.stringify({
                  SLACK_SIGNING_SECRET: SIGNING_SECRET,
                  SLACK_BOT_TOKEN: 'xoxb-test-asset',
                }),
              }
            : { __type: 'UnknownOperation' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
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
      KEPT_SLACK_SECRET_ARN: SECRET_ARN,
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
