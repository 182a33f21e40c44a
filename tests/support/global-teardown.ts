import type { DynamoLocal } from '../../functions/local/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __KEPT_DDB__?: DynamoLocal }).__KEPT_DDB__?.stop();
}
