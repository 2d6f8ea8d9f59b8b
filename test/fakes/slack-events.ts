import { createHmac, randomUUID } from 'node:crypto';
import { sensitive } from '../leak-watch';
import { randomHex, randomToken } from './server';
import { createWebhookOutbox, type WebhookDelivery, type WebhookOutboxControls } from './webhook-outbox';

/**
 * The Events API side of the Slack fake: once a Request URL is set (`registerWebhook`), every
 * change the workspace makes is POSTed there as Slack sends it — an `event_callback` envelope
 * around the event, JSON, signed with the app's signing secret (`X-Slack-Signature: v0=<hex
 * HMAC-SHA256 of "v0:{timestamp}:{body}">`, `X-Slack-Request-Timestamp`). Slack waits 3
 * seconds for a 2xx; a retry repeats the body (same `event_id`) with a fresh timestamp and
 * signature and `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` (`redeliver`).
 * https://docs.slack.dev/apis/events-api/
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */

export type SlackEventsControls = WebhookOutboxControls & {
  /** Sets the app's Request URL; returns the signing secret (a new one unless given). */
  registerWebhook(url: string, signingSecret?: string): string;
  /** Sends the `url_verification` challenge Slack sends when the Request URL is set. */
  verifyUrl(): Promise<WebhookDelivery & { challenge: string }>;
};

/** Slack gives up on a delivery after 3 seconds. */
const TIMEOUT_MS = 3000;

export const createSlackEvents = (o: {
  team: { id: string };
  appId: string;
  botUserId: string;
}): SlackEventsControls & {
  /** Sends `event` in an event_callback envelope when a Request URL is set. */
  emit(event: Record<string, unknown>): void;
} => {
  let target: { url: string; secret: string } | undefined;
  // The legacy verification token every envelope still carries.
  const verificationToken = randomToken(24);

  /** `body` to the Request URL, signed as of now. */
  const signed = (body: string, extra: Record<string, string> = {}) => {
    if (!target) throw new Error('no Request URL set: registerWebhook first');
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', target.secret).update(`v0:${ts}:${body}`).digest('hex');
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${signature}`,
      ...extra,
    };
    return { url: target.url, headers, body };
  };
  const outbox = createWebhookOutbox({
    timeoutMs: TIMEOUT_MS,
    redelivery: (d, attempt) =>
      signed(d.body, {
        'x-slack-retry-num': String(attempt),
        'x-slack-retry-reason': d.status === 0 || d.status === undefined ? 'http_timeout' : 'http_error',
      }),
  });
  const post = (body: string) => outbox.send(signed(body));

  return {
    registerWebhook: (url, signingSecret) => {
      target = { url, secret: signingSecret ?? sensitive(randomHex(32)) };
      return target.secret;
    },
    verifyUrl: async () => {
      const challenge = randomToken(48);
      const d = await post(JSON.stringify({ token: verificationToken, challenge, type: 'url_verification' }));
      return { ...d, challenge };
    },
    ...outbox.controls,
    emit: (event) => {
      if (!target) return;
      const eventTime = Math.floor(Date.now() / 1000);
      void post(
        JSON.stringify({
          token: verificationToken,
          team_id: o.team.id,
          context_team_id: o.team.id,
          context_enterprise_id: null,
          api_app_id: o.appId,
          event,
          type: 'event_callback',
          event_id: `Ev0${randomToken(9).toUpperCase()}`,
          event_time: eventTime,
          authorizations: [
            {
              enterprise_id: null,
              team_id: o.team.id,
              user_id: o.botUserId,
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
          is_ext_shared_channel: false,
          event_context: `4-${Buffer.from(randomUUID()).toString('base64url')}`,
        }),
      );
    },
  };
};
