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
