/**
 * Builds the Kept app for assertion tests: the feature flags from cdk.json (so tests see the
 * template `cdk synth` produces) and bundling skipped (tests need no handler code and no esbuild).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import type { KeptStack } from '../../lib/kept-stack';

const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Built {
  stack: KeptStack;
  template: Template;
}

export function testContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...extra };
}

/** The stack without cdk-nag (tests/lib/nag.test.ts runs the packs). */
export function buildTemplate(extraContext: Record<string, unknown> = {}): Built {
  const { stack } = buildApp({ context: testContext(extraContext), nag: false });
  return { stack, template: Template.fromStack(stack) };
}

/** The logical ID CloudFormation knows a construct's main resource by. */
export function logicalId(stack: KeptStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as Parameters<KeptStack['getLogicalId']>[0]);
}
