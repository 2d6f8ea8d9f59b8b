import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * What happened in a window, counted from the tables (`npm run admin -- stats`): sync runs
 * by status, outbound delivery attempts by status, provider webhook deliveries claimed by the
 * processor (applied or in flight, and the duplicates dropped), and the events it kept as
 * unrouted or failed. Scans, on purpose: an operator's look at one machine or a small
 * deployment, never a request path; on AWS the dashboard (lib/observability.ts) is the view.
 */
export type Stats = {
  since: string;
  runs: Record<string, number>;
  records_written: number;
  deliveries: Record<string, number>;
  webhook_deliveries: Record<string, number>;
  webhook_duplicates: number;
  webhook_events_kept: Record<string, number>;
};

const scanAll = async (table: 'runs' | 'dedupe', each: (item: Record<string, unknown>) => void) => {
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(new ScanCommand({ TableName: tableName(table), ExclusiveStartKey: start }));
    for (const i of r.Items ?? []) each(i);
    start = r.LastEvaluatedKey;
  } while (start);
};

const bump = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};

export const windowStats = async (sinceMs: number, tenantId?: string): Promise<Stats> => {
  const since = new Date(sinceMs).toISOString();
  const s: Stats = {
    since,
    runs: {},
    records_written: 0,
    deliveries: {},
    webhook_deliveries: {},
    webhook_duplicates: 0,
    webhook_events_kept: {},
  };
  const ours = (pk: string, prefix: string) => !tenantId || pk.startsWith(`${prefix}${tenantId}`);
  await scanAll('runs', (i) => {
    const pk = String(i.pk);
    const sk = String(i.sk);
    if (!ours(pk, 'TENANT#')) return;
    if (sk.startsWith('RUN#') && String(i.queued_at) >= since) {
      bump(s.runs, String(i.status));
      const r = i.records as { added?: number; updated?: number; deleted?: number } | undefined;
      s.records_written += (r?.added ?? 0) + (r?.updated ?? 0) + (r?.deleted ?? 0);
    } else if (sk.startsWith('DLV#') && sk.slice(4) >= since) {
      bump(s.deliveries, String(i.status));
    } else if (sk.startsWith('WHEVT#') && String(i.received_at) >= since) {
      bump(s.webhook_events_kept, String(i.status));
    }
  });
  await scanAll('dedupe', (i) => {
    const pk = String(i.pk);
    if (!pk.startsWith('WH#') || !ours(pk, 'WH#')) return;
    if (Number(i.claimed_at ?? 0) < sinceMs) return;
    bump(s.webhook_deliveries, i.state === 'done' ? 'applied' : String(i.state));
    s.webhook_duplicates += Number(i.duplicates ?? 0);
  });
  return s;
};
