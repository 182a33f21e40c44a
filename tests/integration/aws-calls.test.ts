/**
 * The Lambdas' calls to AWS (functions/aws-call.ts) as AWS sees them and as Kept hears the answer:
 * signed for the right service and region, tried again only when AWS says so, and AWS's refusals
 * read as the store and the secrets expect them. DynamoDB Local never throttles or cancels for a
 * reason of its choosing, so those answers come from a small endpoint of our own on 127.0.0.1.
 */
import aws4 from 'aws4';
import { awsJsonClient } from '../../functions/aws-call';
import { loadSlackLambdaConfig } from '../../functions/secrets';
import { createDb } from '../../functions/store/client';
import { GetCommand, PutCommand } from '../../functions/store/commands';
import { ifConditionHolds, transact, WriteConflictError } from '../../functions/store/transact';
import { sqsOutbox } from '../../functions/work/outbox';
import { type Answer, type ArrivedCall, FakeAws, secretsManagerAnswer } from '../support/fake-aws';

const CREDENTIALS = { accessKeyId: 'AKIDKEPTTEST', secretAccessKey: 'kept-secret', sessionToken: 'kept-session' };
const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kept/slack-signing-secret-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kept/slack-bot-token-AbCdEf';

let fakes: FakeAws[] = [];
async function fake(answer: (call: ArrivedCall, n: number) => Answer): Promise<FakeAws> {
  const f = await FakeAws.start(answer);
  fakes.push(f);
  return f;
}
const saved = { ...process.env };
beforeEach(() => {
  // As Lambda sets them for the function's role.
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  });
});
afterEach(async () => {
  process.env = { ...saved };
  await Promise.all(fakes.map((f) => f.stop()));
  fakes = [];
});

/** The signature AWS would compute for what arrived: equal only if the client signed what it sent. */
function expectValidSignature(call: ArrivedCall, url: string, service: string, region: string): void {
  const again = aws4.sign(
    {
      host: new URL(url).host,
      path: '/',
      method: 'POST',
      service,
      region,
      body: JSON.stringify(call.body),
      headers: {
        'content-type': String(call.headers['content-type']),
        'x-amz-target': call.target,
        'x-amz-date': String(call.headers['x-amz-date']),
      },
    },
    CREDENTIALS,
  );
  expect(call.headers.authorization).toBe(again.headers!.Authorization);
  expect(call.headers.authorization).toContain(`/${region}/${service}/aws4_request`);
  expect(call.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
}

const dynamo = (url: string, maxAttempts = 3) =>
  awsJsonClient({
    service: 'dynamodb',
    region: 'eu-west-1',
    endpoint: url,
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    budget: { requestTimeout: 3_000, connectionTimeout: 1_000, maxAttempts },
    credentials: () => CREDENTIALS,
  });

it('a DynamoDB call is signed for dynamodb in its region, with the session token, and says which operation', async () => {
  const aws = await fake(() => ({ body: { Item: { pk: { S: 'X#1' }, n: { N: '2' } } } }));
  const client = dynamo(aws.url);
  expect(await client.call('GetItem', { TableName: 't', Key: { pk: { S: 'X#1' } } })).toEqual({
    Item: { pk: { S: 'X#1' }, n: { N: '2' } },
  });
  client.destroy();
  const [call] = aws.calls;
  expect(call!.target).toBe('DynamoDB_20120810.GetItem');
  expect(call!.headers['content-type']).toBe('application/x-amz-json-1.0');
  expect(call!.body).toEqual({ TableName: 't', Key: { pk: { S: 'X#1' } } });
  expectValidSignature(call!, aws.url, 'dynamodb', 'eu-west-1');
});

it('throttled twice, answered the third time: a job waits it out and gets the item', async () => {
  const aws = await fake((_call, n) =>
    n <= 2
      ? { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException' } }
      : { body: { Item: { pk: { S: 'X#1' }, title: { S: 'VPN' } } } },
  );
  const db = createDbAt(aws.url);
  const out = await db.doc.send(new GetCommand({ TableName: 't', Key: { pk: 'X#1' } }));
  expect(out.Item).toEqual({ pk: 'X#1', title: 'VPN' });
  expect(aws.calls).toHaveLength(3);
  db.raw.destroy();
});

it('a failed condition is an answer, asked once; a cancelled transaction gives its reasons per item', async () => {
  const aws = await fake((call) =>
    call.target.endsWith('.PutItem')
      ? {
          status: 400,
          body: {
            __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
            message: 'The conditional request failed',
          },
        }
      : {
          status: 400,
          body: {
            __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
            Message:
              'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
            CancellationReasons: [
              { Code: 'None' },
              { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
            ],
          },
        },
  );
  const db = createDbAt(aws.url);
  expect(
    await ifConditionHolds(() =>
      db.doc.send(
        new PutCommand({
          TableName: 't',
          Item: { pk: 'A', gone: undefined },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ),
  ).toBe(false);
  const refused = await transact(db, [
    { Put: { TableName: 't', Item: { pk: 'A', n: 1 } } },
    { Put: { TableName: 't', Item: { pk: 'B' }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ]).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(WriteConflictError);
  expect((refused as WriteConflictError).reasons).toEqual(['None', 'ConditionalCheckFailed']);
  // Neither is tried again, and the values went as DynamoDB reads them (undefined left out).
  expect(aws.calls.map((c) => c.target)).toEqual(['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.TransactWriteItems']);
  expect(aws.calls[0]!.body.Item).toEqual({ pk: { S: 'A' } });
  expect((aws.calls[1]!.body.TransactItems as unknown[])[0]).toEqual({
    Put: { TableName: 't', Item: { pk: { S: 'A' }, n: { N: '1' } } },
  });
  db.raw.destroy();
});

it('a server error is tried again within the budget, then thrown with the attempts it took', async () => {
  const aws = await fake(() => ({
    status: 500,
    body: { __type: 'InternalServerError', message: 'Internal server error' },
  }));
  const client = dynamo(aws.url, 2);
  const err = (await client.call('GetItem', {}).catch((e: unknown) => e)) as Error & {
    $metadata: { attempts: number };
  };
  client.destroy();
  expect(err.name).toBe('InternalServerError');
  expect(err.message).toBe('Internal server error');
  expect(err.$metadata.attempts).toBe(2);
  expect(aws.calls).toHaveLength(2);
});

it('nothing listening: the call fails as a network error after its tries, it does not hang', async () => {
  const aws = await fake(() => ({ body: {} }));
  const url = aws.url;
  await aws.stop();
  fakes = [];
  const client = dynamo(url, 2);
  await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'NetworkError', $metadata: { attempts: 2 } });
  client.destroy();
});

it("the Slack function's secrets: read once each from Secrets Manager in the secret's region, signed as its role", async () => {
  const aws = await fake(
    secretsManagerAnswer({
      [SIGNING_ARN]: JSON.stringify({ SLACK_SIGNING_SECRET: 'signing-from-aws' }),
      [TOKEN_ARN]: JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-from-aws', SOMETHING_ELSE: 'ignored' }),
    }),
  );
  const config = await loadSlackLambdaConfig(lambdaEnv(aws.url));
  expect(config.SLACK_SIGNING_SECRET).toBe('signing-from-aws');
  expect(config.SLACK_BOT_TOKEN).toBe('xoxb-from-aws');
  expect(aws.calls.map((c) => c.body.SecretId).sort()).toEqual([SIGNING_ARN, TOKEN_ARN].sort());
  for (const call of aws.calls) {
    expect(call.target).toBe('secretsmanager.GetSecretValue');
    expect(call.headers['content-type']).toBe('application/x-amz-json-1.1');
    expectValidSignature(call, aws.url, 'secretsmanager', 'eu-west-1');
  }
});

it('a secret that is missing or not JSON stops the start with a message that says which', async () => {
  const missing = await fake(secretsManagerAnswer({ [SIGNING_ARN]: JSON.stringify({ SLACK_SIGNING_SECRET: 's' }) }));
  await expect(loadSlackLambdaConfig(lambdaEnv(missing.url))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
    message: "Secrets Manager can't find the specified secret.",
  });
  const garbled = await fake(secretsManagerAnswer({ [SIGNING_ARN]: 'signing-secret', [TOKEN_ARN]: '{}' }));
  await expect(loadSlackLambdaConfig(lambdaEnv(garbled.url))).rejects.toThrow(
    'The secret named by KEPT_SLACK_SIGNING_SECRET_ARN is not a JSON object of keys',
  );
});

it('work handed to the queue: one SendMessage to the queue, with the item and its delay, signed for sqs', async () => {
  const aws = await fake(() => ({ body: { MessageId: 'm-1', MD5OfMessageBody: 'x' } }));
  const queueUrl = `${aws.url}/123456789012/kept-work`;
  await sqsOutbox(queueUrl).send({ type: 'request.changed', id: 'IT-7' }, { delaySeconds: 2.5 });
  expect(aws.calls).toHaveLength(1);
  const [call] = aws.calls;
  expect(call!.target).toBe('AmazonSQS.SendMessage');
  expect(call!.body).toEqual({
    QueueUrl: queueUrl,
    MessageBody: JSON.stringify({ type: 'request.changed', id: 'IT-7' }),
    DelaySeconds: 3,
  });
  expectValidSignature(call!, aws.url, 'sqs', 'eu-west-1');
});

/** A Db whose calls go to `url` as if it were AWS (Lambda's environment, set before each test). */
function createDbAt(url: string) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = url;
  return createDb({ table: 't' });
}

function lambdaEnv(secretsUrl: string): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
    KEPT_SLACK_SIGNING_SECRET_ARN: SIGNING_ARN,
    KEPT_SLACK_BOT_TOKEN_ARN: TOKEN_ARN,
    KEPT_TABLE: 'kept',
    SLACK_TEAM_ID: 'T0KEPT0001',
    KEPT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/kept-work',
  };
}
