/** Reading Block Kit back in view tests (views carry `AnyBlock[]`; ours are all blocks we know). */
import type { ActionsBlock, AnyBlock, Button, ContextBlock, InputBlock, KnownBlock, SectionBlock } from '@slack/types';

export type Blocks = readonly AnyBlock[];
export const known = (blocks: Blocks) => blocks as KnownBlock[];
export const actionsBlocks = (blocks: Blocks) => known(blocks).filter((b): b is ActionsBlock => b.type === 'actions');
export const elements = (blocks: Blocks) => actionsBlocks(blocks).flatMap((b) => b.elements);
export const buttons = (blocks: Blocks) => elements(blocks).filter((e): e is Button => e.type === 'button');
export const sectionTexts = (blocks: Blocks) =>
  known(blocks).flatMap((b) =>
    b.type === 'section' ? [b.text?.text ?? '', ...((b as SectionBlock).fields ?? []).map((f) => f.text)] : [],
  );
export const contextTexts = (blocks: Blocks) =>
  known(blocks).flatMap((b) =>
    b.type === 'context' ? (b as ContextBlock).elements.map((e) => ('text' in e ? e.text : '')) : [],
  );
/** The fallback text, every section (and its fields) and every context, one per line. */
export const allText = (m: { text?: string; blocks: Blocks }) =>
  [m.text ?? '', ...sectionTexts(m.blocks), ...contextTexts(m.blocks)].join('\n');
export const inputs = (blocks: Blocks) => known(blocks).filter((b): b is InputBlock => b.type === 'input');
export function inputById(blocks: Blocks, id: string): InputBlock {
  const found = inputs(blocks).find((b) => b.block_id === id);
  if (!found) throw new Error(`no input ${id}`);
  return found;
}
