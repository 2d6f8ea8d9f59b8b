import type * as z from 'zod/mini';
import type { ActionContext, ActionsOf } from '../types';
import { callDatadog } from './api';
import type { listMonitorsInput, manifest, muteMonitorInput, unmuteMonitorInput } from './manifest';
import { listMonitors, mapMonitor, monitor, monitorRecordId } from './monitors';

/**
 * Datadog's tools. Monitors are answered with their record ids (`dd_monitor_123`, as the
 * monitors sync keys them), which mute_monitor and unmute_monitor take back as well as the
 * bare Datadog id.
 */

const idOf = (monitorId: number | string): string => String(monitorId).replace(/^dd_monitor_/, '');

const monitorAnswer = (m: z.infer<typeof monitor>, ctx: ActionContext) => ({
  monitor: { id: monitorRecordId(m.id), ...mapMonitor(m, ctx.config) },
});

export const actions: ActionsOf<typeof manifest> = {
  list_monitors: async (ctx: ActionContext, input: z.infer<typeof listMonitorsInput>) => {
    const page = input.cursor === undefined ? 0 : Number(input.cursor);
    const listed = await listMonitors(ctx, {
      page,
      pageSize: input.page_size ?? 100,
      name: input.name,
      tags: input.tags,
      monitorTags: input.monitor_tags,
    });
    return {
      monitors: listed.monitors.map(({ monitorId, ...m }) => ({ id: monitorRecordId(monitorId), ...m })),
      next_cursor: listed.last ? null : String(page + 1),
    };
  },

  /**
   * Mutes the whole monitor, or the groups of `scope`, until `end` (epoch seconds) or until
   * unmuted. Needs the monitors_write permission; answers the monitor as it now is.
   * https://docs.datadoghq.com/api/latest/monitors/#mute-a-monitor
   */
  mute_monitor: async (ctx: ActionContext, input: z.infer<typeof muteMonitorInput>) => {
    const m = await callDatadog(ctx, `/api/v1/monitor/${idOf(input.monitor_id)}/mute`, monitor, {
      method: 'POST',
      query: {
        scope: input.scope,
        end: input.end === undefined ? undefined : Math.floor(Date.parse(input.end) / 1000),
      },
    });
    return monitorAnswer(m, ctx);
  },

  /** https://docs.datadoghq.com/api/latest/monitors/#unmute-a-monitor */
  unmute_monitor: async (ctx: ActionContext, input: z.infer<typeof unmuteMonitorInput>) => {
    const m = await callDatadog(ctx, `/api/v1/monitor/${idOf(input.monitor_id)}/unmute`, monitor, {
      method: 'POST',
      query: { scope: input.scope, all_scopes: input.all_scopes },
    });
    return monitorAnswer(m, ctx);
  },
};
