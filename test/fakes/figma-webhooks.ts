import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * The webhook side of the Figma fake (webhooks v2): a webhook is registered for a team with an
 * endpoint and a passcode (POST /v2/webhooks, context `team`); Figma POSTs it a PING at once,
 * then each event of its type in that team: JSON with `event_type`, `passcode` (as given),
 * `timestamp` (when the event was triggered), `webhook_id`, `protocol_version` and `retries`,
 * and the event's own fields. No signature, no header of Figma's own. A webhook on FILE_UPDATE
 * gets FILE_DELETE as well. A failed delivery is retried with the same body, `retries` counted
 * up (`redeliver`).
 * https://developers.figma.com/docs/rest-api/webhooks/
 * https://developers.figma.com/docs/rest-api/webhooks-events/
 */

export type FigmaEvent = 'PING' | 'FILE_UPDATE' | 'FILE_VERSION_UPDATE' | 'FILE_DELETE' | 'FILE_COMMENT';

export type FigmaWebhookControls = WebhookOutboxControls & {
  /**
   * Registers a webhook on `teamId` for `eventTypes` (default: every event) with this passcode;
   * sends its PING and returns its id.
   */
  registerWebhook(o: { url: string; teamId: string; passcode: string; eventTypes?: FigmaEvent[] }): string;
};

type Hook = { id: string; url: string; teamId: string; passcode: string; events: Set<FigmaEvent> };

let webhookIds = 2200;

export const createFigmaWebhooks = (): FigmaWebhookControls & {
  emit(teamId: string, eventType: FigmaEvent, fields: Record<string, unknown>): void;
} => {
  const hooks: Hook[] = [];
  const outbox = createWebhookOutbox({
    // Figma waits a few seconds for a 200; its retries repeat the body with `retries` + 1.
    timeoutMs: 10_000,
    redelivery: (d, attempt) => {
      const body = JSON.parse(d.body) as Record<string, unknown>;
      return { ...d, body: JSON.stringify({ ...body, retries: attempt }) };
    },
  });
  const send = (hook: Hook, eventType: FigmaEvent, fields: Record<string, unknown>) => {
    const body = {
      ...fields,
      event_type: eventType,
      passcode: hook.passcode,
      protocol_version: '2',
      retries: 0,
      timestamp: `${new Date().toISOString().slice(0, 19)}Z`,
      webhook_id: hook.id,
    };
    void outbox.send({
      url: hook.url,
      event: eventType,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };
  return {
    ...outbox.controls,
    registerWebhook: ({ url, teamId, passcode, eventTypes }) => {
      webhookIds += 1;
      const hook: Hook = {
        id: String(webhookIds),
        url,
        teamId,
        passcode,
        events: new Set(eventTypes ?? ['FILE_UPDATE', 'FILE_VERSION_UPDATE', 'FILE_DELETE', 'FILE_COMMENT']),
      };
      if (hook.events.has('FILE_UPDATE')) hook.events.add('FILE_DELETE');
      hooks.push(hook);
      send(hook, 'PING', {});
      return hook.id;
    },
    emit: (teamId, eventType, fields) => {
      for (const h of hooks) if (h.teamId === teamId && h.events.has(eventType)) send(h, eventType, fields);
    },
  };
};
