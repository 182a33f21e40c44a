/**
 * The metrics the alarms watch, as CloudWatch reads them: an EMF line on stdout in the `Kept`
 * namespace with the function's `service` dimension. The Slack function's hand-written line has the
 * shape Powertools writes for the others; an invocation that counted nothing writes nothing; a
 * failing invocation still flushes what it counted.
 */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { LambdaMetrics } from '../../functions/lambda-metrics';
import { METRICS_NAMESPACE } from '../../functions/metric-names';
import { emfLine, emfLines } from '../../functions/metrics';

/** What `run` writes to stdout and stderr, line by line. */
async function output(run: () => Promise<unknown> | unknown): Promise<{ stdout: string[]; stderr: string[] }> {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    jest.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      out[stream].push(...String(chunk).split('\n').filter(Boolean));
      return true;
    }),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return out;
}

const context = { functionName: 'kept-scan', awsRequestId: 'req-1' } as Context;

describe('the scan, digest and worker (Powertools Metrics)', () => {
  it('flush what an invocation counted as one EMF line in the Kept namespace with the service dimension', async () => {
    const metrics = new LambdaMetrics('scan');
    const handler = middy(async () => {
      metrics.count('ScanRequestFailed');
      metrics.count('ScanRequestFailed', 2);
      metrics.count('ScanRunSucceeded');
    }).use(logMetrics(metrics));
    const { stdout, stderr } = await output(() => handler({}, context));
    expect(stderr).toEqual([]);
    expect(stdout).toHaveLength(1);
    const line = JSON.parse(stdout[0]!);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [
          { Name: 'ScanRequestFailed', Unit: 'Count' },
          { Name: 'ScanRunSucceeded', Unit: 'Count' },
        ],
      },
    ]);
    expect(line.service).toBe('scan');
    expect([line.ScanRequestFailed].flat().reduce((a: number, b: number) => a + b)).toBe(3);
    expect(line.ScanRunSucceeded).toBe(1);
  });

  it('an invocation that counted nothing writes nothing, not even a warning', async () => {
    const metrics = new LambdaMetrics('worker');
    const handler = middy(async () => ({ batchItemFailures: [] })).use(logMetrics(metrics));
    expect(await output(() => handler({}, context))).toEqual({ stdout: [], stderr: [] });
  });

  it('an invocation that fails still flushes what it counted (a digest run that failed as a whole)', async () => {
    const metrics = new LambdaMetrics('digest');
    const handler = middy(async () => {
      metrics.count('DigestRunFailed');
      throw new Error('the table did not answer');
    }).use(logMetrics(metrics));
    const { stdout } = await output(() => expect(handler({}, context)).rejects.toThrow('the table did not answer'));
    expect(stdout.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ service: 'digest', DigestRunFailed: 1 }),
    ]);
  });

  it('POWERTOOLS_METRICS_DISABLED=true silences them (running a handler on a laptop)', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    try {
      const metrics = new LambdaMetrics('scan');
      const handler = middy(async () => metrics.count('ScanRunSucceeded')).use(logMetrics(metrics));
      expect(await output(() => handler({}, context))).toEqual({ stdout: [], stderr: [] });
    } finally {
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    }
  });
});

describe('the Slack function (one line per count, without Powertools Metrics)', () => {
  it('writes the line Powertools would write for the same count', () => {
    const powertools = new LambdaMetrics('slack');
    powertools.count('OutboxSendFailed');
    const expected = powertools.serializeMetrics();
    expect(JSON.parse(emfLine('slack', 'OutboxSendFailed', 1, expected._aws.Timestamp))).toEqual(expected);
  });

  it('writes each count at once, on its own line', () => {
    const lines: string[] = [];
    const metrics = emfLines('slack', (line) => lines.push(line));
    metrics.count('OutboxSendFailed');
    metrics.count('OutboxSendFailed', 2);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ service: 'slack', OutboxSendFailed: 1 }),
      expect.objectContaining({ service: 'slack', OutboxSendFailed: 2 }),
    ]);
  });

  it('writes to stdout by default, where Lambda sends it to CloudWatch Logs', async () => {
    const { stdout } = await output(() => emfLines('slack').count('OutboxSendFailed'));
    expect(stdout.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ OutboxSendFailed: 1 })]);
  });
});
