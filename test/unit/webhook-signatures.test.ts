import { describe, expect, it } from 'vitest';
import {
  hmacHex,
  verifyHmacSha256Hex,
  verifySharedToken,
  verifyStripeStyle,
  WebhookRefused,
} from '../../adapters/webhook-signatures';
import { verifySlackV0 } from '../../adapters/webhook-slack';
import { verifySvix } from '../../adapters/webhook-svix';
import { signatureHeader as signStripeStyle } from '../../core/outbound/signing';

const refused = (fn: () => void) => expect(fn).toThrow(WebhookRefused);

describe('hmac_sha256_hex (GitHub X-Hub-Signature-256)', () => {
  // GitHub's published test vector:
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
  const secret = "It's a Secret to Everybody";
  const body = 'Hello, World!';
  const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("accepts GitHub's test vector", () => {
    expect(() => verifyHmacSha256Hex(sig, secret, body)).not.toThrow();
  });
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', sig.slice(7)],
    ['short', sig.slice(0, -2)],
    ['long', `${sig}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['tampered', `${sig.slice(0, -1)}8`],
  ])('refuses a %s signature', (_, header) => refused(() => verifyHmacSha256Hex(header, secret, body)));
  it('refuses a tampered body and another secret', () => {
    refused(() => verifyHmacSha256Hex(sig, secret, 'Hello, World?'));
    refused(() => verifyHmacSha256Hex(sig, 'another secret', body));
  });
  it('takes bare hex where the provider sends it so', () => {
    expect(() => verifyHmacSha256Hex(sig.slice(7), secret, body, '')).not.toThrow();
  });
});

describe('slack_v0', () => {
  // Slack's worked example: https://api.slack.com/authentication/verifying-requests-from-slack
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const ts = '1531420618';
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const sig = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const at = Number(ts) * 1000;

  it("accepts Slack's example within its 5-minute window", () => {
    expect(() => verifySlackV0(sig, ts, secret, body, at + 299_000)).not.toThrow();
  });
  it('refuses it outside the window, either way', () => {
    refused(() => verifySlackV0(sig, ts, secret, body, at + 301_000));
    refused(() => verifySlackV0(sig, ts, secret, body, at - 301_000));
  });
  it('refuses missing, malformed and tampered signatures', () => {
    refused(() => verifySlackV0(undefined, ts, secret, body, at));
    refused(() => verifySlackV0(sig, undefined, secret, body, at));
    refused(() => verifySlackV0(sig, 'yesterday', secret, body, at));
    refused(() => verifySlackV0(sig.slice(3), ts, secret, body, at));
    refused(() => verifySlackV0(sig, ts, secret, `${body}&x=1`, at));
  });
});

describe('stripe (t=,v1=) — also our outbound X-Signature', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"evt_1","type":"invoice.paid"}';
  const now = 1_800_000_000_000;

  it('round-trips what we sign, and accepts any matching v1', () => {
    const header = signStripeStyle(secret, body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(() => verifyStripeStyle(header, secret, body, now)).not.toThrow();
    expect(() =>
      verifyStripeStyle(`${header.replace('v1=', 'v1=00')},${header.split(',')[1]}`, secret, body, now),
    ).not.toThrow();
  });
  it('matches an independently computed signature', () => {
    const v1 = hmacHex(secret, `1800000000.${body}`);
    expect(() => verifyStripeStyle(`t=1800000000,v1=${v1}`, secret, body, now)).not.toThrow();
  });
  it('refuses a timestamp outside 300 s, a tampered body, a missing part', () => {
    const header = signStripeStyle(secret, body, now);
    refused(() => verifyStripeStyle(header, secret, body, now + 301_000));
    refused(() => verifyStripeStyle(header, secret, `${body} `, now));
    refused(() => verifyStripeStyle(header.split(',')[0], secret, body, now));
    refused(() => verifyStripeStyle(undefined, secret, body, now));
    refused(() => verifyStripeStyle('garbage', secret, body, now));
  });
});

describe('svix (Resend)', () => {
  // Svix's documented example: https://docs.svix.com/receiving/verifying-payloads/how-manual
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"test": 2432232314}';
  const headers = {
    'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'svix-timestamp': '1614265330',
    'svix-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };
  const at = 1614265330 * 1000;

  it("accepts Svix's example, also among several signatures", () => {
    expect(() => verifySvix(headers, secret, body, at)).not.toThrow();
    const several = { ...headers, 'svix-signature': `v1,bm9wZQ== ${headers['svix-signature']}` };
    expect(() => verifySvix(several, secret, body, at)).not.toThrow();
  });
  it('refuses stale, tampered, missing', () => {
    refused(() => verifySvix(headers, secret, body, at + 301_000));
    refused(() => verifySvix(headers, secret, '{"test": 2432232315}', at));
    refused(() => verifySvix({ ...headers, 'svix-id': 'msg_other' }, secret, body, at));
    refused(() => verifySvix({ 'svix-id': headers['svix-id'] }, secret, body, at));
  });
});

describe('shared_token (GitLab X-Gitlab-Token, Graph clientState)', () => {
  it('accepts the exact token and refuses anything else', () => {
    expect(() => verifySharedToken('s3cret-token', 's3cret-token')).not.toThrow();
    refused(() => verifySharedToken('s3cret-toke', 's3cret-token'));
    refused(() => verifySharedToken('s3cret-tokeN', 's3cret-token'));
    refused(() => verifySharedToken(undefined, 's3cret-token'));
    refused(() => verifySharedToken('', 's3cret-token'));
  });
});
