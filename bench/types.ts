/** One figure in bench-results.json. `baseline`/`ratio` are set where a figure is compared to a floor. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  /** A budget this figure must meet, in words, for the printed table. */
  budget?: string;
  /** Whether the budget was met (undefined when there is no budget). */
  ok?: boolean;
}

/** Every bench/*.bench.ts exports `run`, and bench/run.ts collects them all. */
export type Bench = () => Promise<BenchResult[]>;
