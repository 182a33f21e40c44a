/** One DynamoDB Local (loopback, in memory) for the whole run; workers read its endpoint from the env. */
import { startDynamoLocal } from '../../functions/local/dynamodb-local';

export default async function globalSetup(): Promise<void> {
  const ddb = await startDynamoLocal();
  (globalThis as { __KEPT_DDB__?: unknown }).__KEPT_DDB__ = ddb;
  process.env.KEPT_TEST_DYNAMODB_ENDPOINT = ddb.endpoint;
  process.env.KEPT_TEST_DYNAMODB_PID = String(ddb.pid);
}
