import { describe, expect, it } from 'vitest';
import { parseDataKeySecret } from '../../core/keys/data-key';
import { newId, newSessionId, SESSION_ID } from '../../core/platform/ids';
import { generateSecretKey, hashSecret, SECRET_KEY_PATTERN } from '../../core/tenants/tenants';
import { parseWebhookPath } from '../../core/webhooks/receive';
import { redactReplacer } from '../../functions/middleware/logger';

describe('data key secret', () => {
  const material = 'm'.repeat(64);
  it('reads the current version and every k<n>', () => {
    const keys = parseDataKeySecret(JSON.stringify({ current: '2', k1: material, k2: `${material}2` }));
    expect(keys.current).toBe('2');
    expect([...keys.material.keys()].sort()).toEqual(['1', '2']);
  });
  it.each([
    ['not JSON', '{'],
    ['no current', JSON.stringify({ k1: material })],
    ['current missing', JSON.stringify({ current: '3', k1: material })],
    ['material too short', JSON.stringify({ current: '1', k1: 'short' })],
  ])('refuses %s', (_, s) => {
    expect(() => parseDataKeySecret(s)).toThrow();
  });
});

describe('webhook path', () => {
  const tenant = newId('ten');
  it('parses /webhooks/{tenant_id}/{integration_key}', () => {
    expect(parseWebhookPath(`/webhooks/${tenant}/github-prod`)).toEqual({
      tenantId: tenant,
      integrationKey: 'github-prod',
    });
    expect(parseWebhookPath(`/webhooks/${tenant}/github-prod/`)).toBeDefined();
  });
  it.each(['/webhooks/x/github', `/webhooks/${tenant}`, `/webhooks/${tenant}/Bad Key`, `/other/${tenant}/k`])(
    'refuses %s',
    (p) => {
      expect(parseWebhookPath(p)).toBeUndefined();
    },
  );
});

describe('secret keys', () => {
  it('are 256 random bits behind a mode prefix, and hash stably', () => {
    const a = generateSecretKey('live');
    const b = generateSecretKey('live');
    expect(a).toMatch(SECRET_KEY_PATTERN);
    expect(a).not.toBe(b);
    expect(generateSecretKey('test')).toMatch(/^sk_test_/);
    expect(hashSecret(a)).toBe(hashSecret(a));
    expect(hashSecret(a)).not.toContain(a.slice(8));
  });
});

describe('ids', () => {
  it('are prefixed and sort in creation order', () => {
    const ids = Array.from({ length: 50 }, () => newId('conn'));
    expect(ids.every((i) => /^conn_[0-9a-z]{26}$/.test(i))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
  it('session ids draw a fresh random part each, over all 32 characters, across refills of the random pool', () => {
    // 1,000 ids × 16 random characters: the 256-byte pool is refilled ~60 times.
    const ids = Array.from({ length: 1000 }, () => newSessionId());
    expect(ids.every((i) => SESSION_ID.test(i))).toBe(true);
    const randomParts = ids.map((i) => i.slice(-16));
    expect(new Set(randomParts).size).toBe(ids.length);
    const seen = new Map<string, number>();
    for (const c of randomParts.join('')) seen.set(c, (seen.get(c) ?? 0) + 1);
    expect(seen.size).toBe(32);
    // 16,000 draws, 500 expected per character: a pool read wrong (a stuck or skipped byte) skews this.
    expect(Math.min(...seen.values())).toBeGreaterThan(350);
    expect(Math.max(...seen.values())).toBeLessThan(650);
  });
});

describe('log redaction', () => {
  it('hides credential-named fields at any depth and keeps the rest', () => {
    const line = JSON.stringify(
      {
        authorization: 'Bearer sk_live_abc',
        headers: { Authorization: 'x', cookie: 'c' },
        credentials: { api_key: 'k1', app_key: 'k2', password: 'p', access_token: 't', refresh_token: 'r' },
        integration: { oauth_client_secret: 's', webhook_secret: 'w', private_key: 'pk' },
        name: 'acme',
        count: 3,
      },
      redactReplacer,
    );
    for (const secret of ['sk_live_abc', '"x"', '"c"', 'k1', 'k2', '"p"', '"t"', '"r"', '"s"', '"w"', 'pk']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('acme');
    expect(line).toContain('"count":3');
  });
});
