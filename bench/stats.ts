/** Small statistics helpers for the benchmarks. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}

export const median = (values: number[]) => quantile(values, 0.5);

export const round = (n: number, digits = 3) => Number(n.toFixed(digits));

/** Milliseconds elapsed while `fn` runs. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
