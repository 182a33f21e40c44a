import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildApp } from '../../lib/app';
import type { KeptStack } from '../../lib/kept-stack';
import { acknowledgementIds, NAG_ACKNOWLEDGEMENTS } from '../../lib/nag-acknowledgements';
import { testContext } from './build';

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}
interface Report {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: Violation[];
    suppressedViolations?: Violation[];
  }[];
}

/** Synthesises with the AwsSolutions and Serverless packs; returns the synth error (if any) and the report. */
function synthWithNag(mutate?: (stack: KeptStack) => void): { error?: string; report: Report; stack: KeptStack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-nag-'));
  const { app, stack } = buildApp({ context: testContext(), nag: true, outdir });
  mutate?.(stack);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as Report;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { report, stack, ...(error ? { error } : {}) };
}

let clean: ReturnType<typeof synthWithNag>;
beforeAll(() => {
  clean = synthWithNag();
});

describe('cdk-nag AwsSolutions and Serverless packs', () => {
  it('report no unacknowledged finding on the Kept stack', () => {
    expect(clean.error).toBeUndefined();
    expect(clean.report.pluginReports.map((r) => [r.pluginName, r.conclusion, r.violations.length])).toEqual([
      ['AwsSolutions', 'success', 0],
      ['Serverless', 'success', 0],
    ]);
  });

  it('still fail synth on a new finding (the gate is live)', () => {
    const { error } = synthWithNag(
      (stack) => new sqs.Queue(stack, 'UnencryptedProbe', { encryption: sqs.QueueEncryption.UNENCRYPTED }),
    );
    expect(error).toMatch(/AwsSolutions-SQS4/);
  });
});

describe('acknowledgements (lib/nag-acknowledgements.ts)', () => {
  it('each carries a specific reason', () => {
    for (const entry of NAG_ACKNOWLEDGEMENTS) {
      expect(entry.reason.length).toBeGreaterThan(60);
      expect(entry.reason).not.toMatch(/^(n\/a|none|todo|not needed|ok|fine|ignore)/i);
    }
  });

  it('each still suppresses a real finding on the construct it names (no stale acknowledgements)', () => {
    const suppressed = clean.report.pluginReports.flatMap((r) => r.suppressedViolations ?? []);
    for (const entry of NAG_ACKNOWLEDGEMENTS) {
      for (const scope of entry.scope(clean.stack)) {
        for (const id of acknowledgementIds(entry, clean.stack)) {
          const rule = id.slice(id.indexOf('::') + 2);
          const hit = suppressed.some(
            (v) =>
              v.ruleName === rule &&
              v.violatingConstructs.some((c) => c.constructPath.startsWith(`${scope.node.path}/`)),
          );
          expect({ id, scope: scope.node.path, hit }).toEqual({ id, scope: scope.node.path, hit: true });
        }
      }
    }
  });

  it('are only made in lib/nag-acknowledgements.ts, never ad hoc in a construct', () => {
    const libDir = path.join(__dirname, '..', '..', 'lib');
    const files = fs.readdirSync(libDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter(
      (f) =>
        f !== 'nag-acknowledgements.ts' &&
        /\.acknowledge\(|NagSuppressions/.test(fs.readFileSync(path.join(libDir, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
