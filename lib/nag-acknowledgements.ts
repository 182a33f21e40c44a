import type { Stack } from 'aws-cdk-lib';

export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [];

export function applyNagAcknowledgements(_stack: Stack): void {}
