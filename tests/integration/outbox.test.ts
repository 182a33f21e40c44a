/**
 * The worker queue as the Slack function sees it: a queue that never answers makes the send fail
 * (so the person is told and the scan hands the change over later) instead of holding Slack's
 * answer for ever. Talks only to a server of its own on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queueClient, sqsOutbox } from '../../functions/work/outbox';

let server: Server;
let arrived = 0;
let endpoint: string;
beforeAll(async () => {
  server = createServer(() => {
    arrived += 1; // and never answer
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('a queue that hangs: the send gives up after two tries instead of waiting for ever', async () => {
  const queueUrl = `${endpoint}/123456789012/kept-work`;
  const sqs = queueClient(queueUrl, {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const outbox = sqsOutbox(queueUrl, sqs);
  await expect(outbox.send({ type: 'request.changed', id: 'IT-1' })).rejects.toThrow();
  expect(arrived).toBe(2);
  sqs.destroy();
});
