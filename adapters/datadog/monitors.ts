import * as z from 'zod/mini';
import { type Metric, metric } from '../models';
import type { ActionContext } from '../types';
import { appOrigin, callDatadog, checked, isoOf } from './api';

/**
 * Monitors as `metric` records (kind `monitor`), listed a page at a time in id order.
 * https://docs.datadoghq.com/api/latest/monitors/#get-all-monitor-details
 */

export const monitor = z.object({
  id: z.number(),
  name: z.string(),
  overall_state: z.optional(z.nullable(z.string())),
  tags: z.optional(z.nullable(z.array(z.string()))),
  modified: z.optional(z.nullable(z.string())),
  options: z.optional(
    z.nullable(
      z.object({
        // Muted scopes, each with the epoch second its mute ends (null: until unmuted).
        silenced: z.optional(z.nullable(z.record(z.string(), z.nullable(z.number())))),
        thresholds: z.optional(z.nullable(z.object({ critical: z.optional(z.nullable(z.number())) }))),
      }),
    ),
  ),
});
export type Monitor = z.infer<typeof monitor>;

const STATES: Record<string, Metric['status']> = {
  OK: 'ok',
  Warn: 'warn',
  Alert: 'alert',
  'No Data': 'no_data',
};

/**
 * `muted` when the whole monitor is silenced (the `*` scope) and that mute has not ended: a
 * mute of some groups only (`host:web-1`) leaves the others notifying, so the monitor keeps
 * its overall state. Otherwise the overall state (Ignored, Skipped and Unknown → unknown).
 */
export const monitorStatus = (m: Monitor, now = Date.now()): Metric['status'] => {
  const whole = m.options?.silenced?.['*'];
  if (whole === null || (typeof whole === 'number' && whole * 1000 > now)) return 'muted';
  return STATES[m.overall_state ?? ''] ?? 'unknown';
};

/** The record id of a monitor, what the monitor actions also accept. */
export const monitorRecordId = (id: number): string => `dd_monitor_${id}`;

/** A monitor as a `metric`: no measured value; the critical threshold as the target. */
export const mapMonitor = (m: Monitor, config: Record<string, unknown>): Metric =>
  checked(metric, `monitor ${m.id}`, {
    name: m.name,
    kind: 'monitor',
    status: monitorStatus(m),
    raw_status: m.overall_state ?? null,
    value: null,
    target: m.options?.thresholds?.critical ?? null,
    tags: m.tags ?? [],
    url: `${appOrigin(config)}/monitors/${m.id}`,
    updated_at: isoOf(m.modified),
  });

export type MonitorQuery = {
  /** 0-based. */
  page: number;
  pageSize: number;
  name?: string | undefined;
  tags?: string[] | undefined;
  monitorTags?: string[] | undefined;
};

/**
 * One page of monitors. With `page` set Datadog pages by `page_size` (up to 1000); a page
 * shorter than that is the last. `tags` narrow by scope (host:web-1), `monitor_tags` by the
 * monitor's own tags (service:checkout); both comma-separated, every one must match.
 */
export const listMonitors = async (
  ctx: Pick<ActionContext, 'credentials' | 'baseUrl' | 'http' | 'config'>,
  q: MonitorQuery,
): Promise<{ monitors: (Metric & { monitorId: number })[]; last: boolean }> => {
  const answer = await callDatadog(ctx, '/api/v1/monitor', z.array(monitor), {
    query: {
      page: q.page,
      page_size: q.pageSize,
      name: q.name,
      tags: q.tags?.length ? q.tags.join(',') : undefined,
      monitor_tags: q.monitorTags?.length ? q.monitorTags.join(',') : undefined,
    },
  });
  return {
    monitors: answer.map((m) => ({ monitorId: m.id, ...mapMonitor(m, ctx.config) })),
    last: answer.length < q.pageSize,
  };
};
