import { createHmac, randomUUID } from 'node:crypto';
import { sensitive } from '../leak-watch';
import { randomHex, randomToken } from './server';

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

export type SlackDelivery = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's status; 0 when it could not be reached in time; undefined while in flight. */
  status: number | undefined;
  response?: string;
};

export type SlackEventsControls = {
  /** Sets the app's Request URL; returns the signing secret (a new one unless given). */
  registerWebhook(url: string, signingSecret?: string): string;
  /** Sends the `url_verification` challenge Slack sends when the Request URL is set. */
  verifyUrl(): Promise<SlackDelivery & { challenge: string }>;
  /** Everything sent so far, in order (retries included). */
  deliveries(): SlackDelivery[];
  /** Sends delivery `i` again as Slack's retry of it. */
  redeliver(i: number): Promise<SlackDelivery>;
  /** Resolves once every delivery in flight was answered (or timed out). */
  webhooksSettled(): Promise<void>;
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
  const sent: SlackDelivery[] = [];
  // One at a time, in the order of the changes: a test reads them in that order.
  let queue: Promise<unknown> = Promise.resolve();
  // The legacy verification token every envelope still carries.
  const verificationToken = randomToken(24);

  const post = (body: string, extra: Record<string, string> = {}): Promise<SlackDelivery> => {
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
    const d: SlackDelivery = { url: target.url, headers, body, status: undefined };
    sent.push(d);
    const done = queue
      .then(() =>
        fetch(d.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
          async (r) => {
            d.status = r.status;
            d.response = await r.text();
          },
          () => {
            d.status = 0;
          },
        ),
      )
      .then(() => d);
    queue = done;
    return done;
  };

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
    deliveries: () => sent,
    redeliver: (i) => {
      const d = sent[i];
      if (!d) throw new Error(`no delivery ${i}`);
      const attempt = sent.filter((x) => x.body === d.body).length;
      return post(d.body, {
        'x-slack-retry-num': String(attempt),
        'x-slack-retry-reason': d.status === 0 || d.status === undefined ? 'http_timeout' : 'http_error',
      });
    },
    webhooksSettled: async () => {
      let seen: Promise<unknown>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
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
