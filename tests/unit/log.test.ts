/**
 * The log lines an operator reads (functions/log.ts): Powertools' JSON, built only when the first
 * line is written, so a cold start that writes none never loads it (issue #22). What must hold
 * whenever it is built: the level set before, the invocation's Lambda context, and `cold_start`
 * true only on the process's first invocation.
 */
import type { Context } from 'aws-lambda';

type LogModule = typeof import('../../functions/log');

/** A fresh copy of the module (nothing built yet) and what it writes (INFO to stdout, WARN and ERROR to stderr), parsed. */
function freshLog(): { log: LogModule; lines: () => Record<string, unknown>[] } {
  let log!: LogModule;
  jest.isolateModules(() => {
    log = require('../../functions/log') as LogModule;
  });
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  return { log, lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const invocation = (id: string) =>
  ({
    functionName: 'kept-slack',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:kept-slack',
    memoryLimitInMB: '512',
    awsRequestId: id,
  }) as Context;

describe('the logger', () => {
  const env = { ...process.env };
  beforeEach(() => {
    delete process.env.POWERTOOLS_DEV;
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'; // as Lambda sets it for a cold start
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...env };
  });

  it('writes Powertools JSON with the level and context given before its first line', () => {
    const { log, lines } = freshLog();
    log.logger.setLogLevel('INFO');
    log.logger.addContext(invocation('req-1'));
    log.logger.warn('modal not opened', { modal: 'new_request' });
    log.logger.error('work not handed to the worker', { type: 'slack.post' });
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'modal not opened',
        modal: 'new_request',
        service: 'kept',
        function_request_id: 'req-1',
        cold_start: true,
      }),
      expect.objectContaining({ level: 'ERROR', message: 'work not handed to the worker', type: 'slack.post' }),
    ]);
  });

  it('keeps lines below its level out', () => {
    const { log, lines } = freshLog();
    log.logger.setLogLevel('WARN');
    log.logger.info('duplicate Slack event ignored');
    log.logger.warn('Slack request refused', { reason: 'bad signature' });
    expect(lines().map((l) => l.message)).toEqual(['Slack request refused']);
  });

  it('says cold_start only on the first invocation, even when its first line comes later', () => {
    const { log, lines } = freshLog();
    log.logger.setLogLevel('INFO');
    log.logger.addContext(invocation('req-1')); // the cold start wrote nothing
    log.logger.addContext(invocation('req-2'));
    log.logger.info('duplicate Slack event ignored');
    log.logger.addContext(invocation('req-3'));
    log.logger.info('duplicate Slack event ignored');
    expect(lines().map((l) => [l.function_request_id, l.cold_start])).toEqual([
      ['req-2', false],
      ['req-3', false],
    ]);
  });

  it('loads Powertools only when the first line is written', () => {
    let loads = 0;
    let log!: LogModule;
    jest.isolateModules(() => {
      jest.doMock('@aws-lambda-powertools/logger', () => {
        loads++;
        return jest.requireActual('@aws-lambda-powertools/logger');
      });
      log = require('../../functions/log') as LogModule;
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    log.logger.setLogLevel('INFO');
    log.logger.addContext(invocation('req-1'));
    log.logLambdaContext.before({ context: invocation('req-2') });
    expect(loads).toBe(0);
    log.logger.info('duplicate Slack event ignored');
    log.logger.info('duplicate Slack event ignored');
    expect(loads).toBe(1);
  });
});
