/** Target advice (domain/advice.ts) as a block: a heading, where the figures come from, one line each. */
import type { ContextBlock } from '@slack/types';
import { adviceLines, adviceSource } from '../../domain/advice';
import type { ShownAdvice } from '../target-advice';
import { context } from './blocks';
import { escapeMrkdwn } from './format';

export function adviceBlock(shown: ShownAdvice, heading: string): ContextBlock {
  const from = adviceSource(shown.advice, escapeMrkdwn(shown.providerName));
  const lines = adviceLines(shown.advice).map((l) => `• ${escapeMrkdwn(l)}`);
  return context(`${heading}, from ${from}:\n${lines.join('\n')}`);
}
