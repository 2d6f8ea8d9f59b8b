import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from './resources';

/**
 * Workers' metrics, as CloudWatch Embedded Metric Format lines in the function's log
 * (Powertools Metrics): no API call, and `npm start` prints the same lines. Dimensioned by
 * provider and outcome, never by tenant or connection — each distinct dimension value is
 * a metric of its own, billed and kept. HTTP handlers don't use this (their counts come from
 * metric filters on the log lines they write already, lib/observability.ts), so their
 * bundles don't carry it.
 *
 * Points are summed in memory per name and dimensions and written once per invocation
 * (flushMetrics, called by the SQS batch handler): a batch of ten runs is a line or two,
 * not ten.
 */

type Dimensions = Record<string, string>;
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
type Point = { name: string; unit: Unit; dims: Dimensions; values: number[]; sum: boolean };
const pending = new Map<string, Point>();

const keyOf = (name: string, dims: Dimensions) =>
  `${name}|${Object.entries(dims)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

/** Adds `value` to a counter (summed until the flush). */
export const count = (name: string, dims: Dimensions, value = 1): void => {
  const key = keyOf(name, dims);
  const p = pending.get(key);
  if (p) (p.values[0] as number) += value;
  else pending.set(key, { name, unit: MetricUnit.Count, dims, values: [value], sum: true });
};

/** Records one duration (each kept: CloudWatch computes the percentiles). */
export const milliseconds = (name: string, dims: Dimensions, ms: number): void => {
  const key = keyOf(name, dims);
  const p = pending.get(key);
  if (p) p.values.push(ms);
  else pending.set(key, { name, unit: MetricUnit.Milliseconds, dims, values: [ms], sum: false });
};

/** Writes what was recorded since the last flush: one EMF line per set of dimensions. */
export const flushMetrics = (): void => {
  if (pending.size === 0) return;
  const byDims = new Map<string, Point[]>();
  for (const p of pending.values()) {
    const k = keyOf('', p.dims);
    byDims.set(k, [...(byDims.get(k) ?? []), p]);
  }
  pending.clear();
  for (const points of byDims.values()) {
    const metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: 'integrations',
      defaultDimensions: (points[0] as Point).dims,
    });
    for (const p of points) for (const v of p.values) metrics.addMetric(p.name, p.unit, v);
    metrics.publishStoredMetrics();
  }
};
