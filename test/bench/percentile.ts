/** The p-th percentile of latencies sorted ascending (the nearest rank at or below it). */
export const pct = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
