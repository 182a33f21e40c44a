/**
 * Alarms and the SNS topic they notify. Operators subscribe an email address (docs/deploy.md).
 * Missing data is "not breaching": a function that did not run had no errors.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Kept alarms', enforceSSL: true });
    this.action = new SnsAction(this.topic);
  }

  /** Any error in five minutes. Every Kept error is worth a look: each one is a user or a breach left waiting. */
  onErrors(name: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.add(`${name}Errors`, {
      alarmDescription: `Kept ${name} function reported errors (see its log group)`,
      metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }

  /** Any message in a dead-letter queue: a job gave up and needs a person (redrive or discard). */
  onDeadLetters(name: string, queue: sqs.IQueue): cloudwatch.Alarm {
    return this.add(`${name}DeadLetters`, {
      alarmDescription: `Kept ${name} dead-letter queue has messages; inspect, fix, then redrive`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }

  /** p99 duration above `limit` in two of three periods: Slack gives up on a request after 3 seconds. */
  onSlowP99(name: string, fn: lambda.IFunction, limit: Duration): cloudwatch.Alarm {
    return this.add(`${name}SlowP99`, {
      alarmDescription: `Kept ${name} p99 duration above ${limit.toMilliseconds()} ms; Slack times out at 3 s`,
      metric: fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
      threshold: limit.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
  }

  private add(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}
