import * as z from 'zod/mini';
import { type Metric, metric } from '../models';
import type { SyncContext } from '../types';
import { appOrigin, callDatadog, checked, isoOfEpoch } from './api';

/**
 * Service level objectives as `metric` records (kind `slo`), offset-paged.
 * https://docs.datadoghq.com/api/latest/service-level-objectives/#get-all-slos
 *
 * The list carries the objective (targets per timeframe) but not the measured SLI: that is
 * one GET /api/v1/slo/{id}/history per SLO, under a tight rate limit of its own — too dear
 * for a sync that lists every SLO. So `value` is null and `status` unknown; `target` is the
 * target of the SLO's primary timeframe (else its first threshold).
 */

const threshold = z.object({
  timeframe: z.string(),
  target: z.number(),
  warning: z.optional(z.nullable(z.number())),
});

export const slo = z.object({
  id: z.string(),
  name: z.string(),
  tags: z.optional(z.nullable(z.array(z.string()))),
  thresholds: z.array(threshold),
  timeframe: z.optional(z.nullable(z.string())),
  target_threshold: z.optional(z.nullable(z.number())),
  modified_at: z.optional(z.nullable(z.number())),
});
type Slo = z.infer<typeof slo>;

export const sloList = z.object({
  data: z.nullable(z.array(slo)),
  metadata: z.optional(
    z.nullable(
      z.object({
        page: z.optional(z.object({ total_count: z.optional(z.number()) })),
      }),
    ),
  ),
});

const targetOf = (s: Slo): number | null =>
  s.target_threshold ??
  s.thresholds.find((t) => t.timeframe === s.timeframe)?.target ??
  s.thresholds[0]?.target ??
  null;

export const mapSlo = (s: Slo, config: Record<string, unknown>): Metric =>
  checked(metric, `SLO ${s.id}`, {
    name: s.name,
    kind: 'slo',
    status: 'unknown',
    raw_status: null,
    value: null,
    target: targetOf(s),
    tags: s.tags ?? [],
    url: `${appOrigin(config)}/slo?slo_id=${encodeURIComponent(s.id)}`,
    updated_at: isoOfEpoch(s.modified_at),
  });

/** One page of SLOs from `offset`; `next` is the following offset, absent on the last page. */
export const listSlos = async (
  ctx: SyncContext,
  offset: number,
  limit: number,
): Promise<{ slos: (Metric & { sloId: string })[]; next: number | undefined }> => {
  const answer = await callDatadog(ctx, '/api/v1/slo', sloList, { query: { limit, offset } });
  const data = answer.data ?? [];
  const total = answer.metadata?.page?.total_count;
  const next = offset + data.length;
  const more = data.length === limit && (total === undefined || next < total);
  return {
    slos: data.map((s) => ({ sloId: s.id, ...mapSlo(s, ctx.config) })),
    next: more ? next : undefined,
  };
};
