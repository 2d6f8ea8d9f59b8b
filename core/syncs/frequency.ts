/** Sync frequencies: `<n><unit>` with m, h or d, from 1 minute to 30 days. */
export const FREQUENCY_PATTERN = /^([1-9]\d{0,4})([mhd])$/;
const UNIT_SECONDS = { m: 60, h: 3600, d: 86400 } as const;
export const MIN_FREQUENCY_SECONDS = 60;
export const MAX_FREQUENCY_SECONDS = 30 * 86400;

export const frequencySeconds = (f: string): number | undefined => {
  const m = FREQUENCY_PATTERN.exec(f);
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
  return seconds >= MIN_FREQUENCY_SECONDS && seconds <= MAX_FREQUENCY_SECONDS ? seconds : undefined;
};

// Here, not in queue.ts, so what computes a schedule doesn't load the SQS client.
// Spread a thousand connections on the same frequency over a window instead of one second.
export const jitterMs = (frequency: string) =>
  Math.floor(Math.random() * Math.min(300, (frequencySeconds(frequency) ?? 3600) / 10) * 1000);

export const nextRunAt = (frequency: string, from = Date.now()) =>
  new Date(from + (frequencySeconds(frequency) ?? 3600) * 1000 + jitterMs(frequency)).toISOString();
