import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadManifests } from '../../adapters/manifests';
import type { ProviderManifest } from '../../adapters/types';
import {
  allowedEndpoint,
  checkConfigHosts,
  endpointProblem,
  hostMatches,
  operatorAllowedHosts,
  parseHostList,
} from '../../core/providers/endpoints';
import { type DnsOverride, overrideDns } from '../dns-override';

/**
 * Where an integration's endpoints may point (the provider's domains, the operator's
 * allow-list) and what a connection's config may name as its host.
 */
const manifests = await loadManifests();
const manifest = (name: string): ProviderManifest => {
  const m = manifests.find((x) => x.name === name);
  if (!m) throw new Error(`no provider ${name}`);
  return m;
};

const setEnv = (name: string, value: string | undefined) => {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
};
const withEnv = (values: Record<string, string | undefined>) => {
  const before: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [k, v] of Object.entries(values)) {
      before[k] = process.env[k];
      setEnv(k, v);
    }
  });
  afterEach(() => {
    for (const k of Object.keys(values)) setEnv(k, before[k]);
  });
};

describe('every manifest declares its own domains', () => {
  withEnv({ ALLOW_HTTP_LOOPBACK: 'false', ALLOWED_PROVIDER_HOSTS: undefined });
  // A file import (CSV) calls no provider: it has no URLs and no domains.
  const calling = manifests.filter((m) => !m.categories.includes('file_import'));
  it.each(calling.map((m) => [m.name, m] as const))('%s: its URLs are on them', (_, m) => {
    expect(m.hosts.length).toBeGreaterThan(0);
    expect(() => parseHostList(m.hosts.join(','))).not.toThrow();
    const urls = [
      m.apiBaseUrl,
      m.auth.oauth2?.authorizationUrl,
      m.auth.oauth2?.tokenUrl,
      m.auth.app_install?.installUrl,
    ];
    for (const url of urls.filter((u): u is string => u !== undefined)) {
      expect(endpointProblem(m, url), url).toBeUndefined();
    }
  });
});

describe('host patterns', () => {
  it.each([
    ['github.com', 'github.com', true],
    ['GitHub.com.', 'github.com', true],
    ['api.github.com', 'github.com', false],
    ['api.github.com', '*.github.com', true],
    ['a.b.github.com', '*.github.com', true],
    ['github.com', '*.github.com', false],
    ['evilgithub.com', '*.github.com', false],
    ['github.com.evil.com', '*.github.com', false],
  ])('%s against %s: %s', (host, pattern, expected) => {
    expect(hostMatches(host, pattern)).toBe(expected);
  });

  it('reads the operator allow-list: commas or spaces, lower-cased, a trailing dot dropped', () => {
    expect(parseHostList(' GHE.acme.com, *.acme.internal  gitlab.acme.com. ')).toEqual([
      'ghe.acme.com',
      '*.acme.internal',
      'gitlab.acme.com',
    ]);
    expect(parseHostList('')).toEqual([]);
  });

  it.each([
    'https://ghe.acme.com',
    'ghe.acme.com/api',
    '*',
    '*.',
    'a..b',
    'ghe_acme.com',
    '-a.com',
    'user@ghe.acme.com',
  ])('refuses the allow-list entry %s loudly', (entry) => {
    expect(() => parseHostList(entry)).toThrow(/ALLOWED_PROVIDER_HOSTS/);
  });

  it('fails loudly on a bad ALLOWED_PROVIDER_HOSTS (a misconfigured deployment)', () => {
    const before = process.env.ALLOWED_PROVIDER_HOSTS;
    process.env.ALLOWED_PROVIDER_HOSTS = 'ghe.acme.com,http://x';
    try {
      expect(() => operatorAllowedHosts()).toThrow(/'http:\/\/x'/);
    } finally {
      setEnv('ALLOWED_PROVIDER_HOSTS', before);
    }
  });
});

describe('endpoint overrides, as deployed', () => {
  withEnv({ ALLOW_HTTP_LOOPBACK: 'false', ALLOWED_PROVIDER_HOSTS: 'ghe.acme.com,*.gitlab.acme.com' });
  const github = manifest('github');
  const gitlab = manifest('gitlab');

  it.each([
    'https://api.github.com',
    'https://github.com/login/oauth/access_token',
    'https://uploads.github.com/x',
    'https://api.acme.ghe.com',
    'https://ghe.acme.com/api/v3',
    'https://GHE.ACME.COM:8443/api/v3',
  ])('GitHub accepts %s', (url) => {
    expect(endpointProblem(github, url)).toBeUndefined();
  });

  it.each([
    ['https://gitlab.com/oauth/token', undefined],
    ['https://code.gitlab.acme.com/oauth/token', undefined],
    ['https://gitlab.acme.com/oauth/token', /own domains/], // the apex is not under *.gitlab.acme.com
    ['https://ghe.acme.com/oauth/token', undefined], // the allow-list is the operator's, for every provider
  ])('GitLab and %s', (url, expected) => {
    const problem = endpointProblem(gitlab, url);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it.each([
    ['https://169.254.169.254/', /private, loopback/],
    ['https://10.0.0.1/', /private, loopback/],
    ['https://[::ffff:127.0.0.1]/', /private, loopback/],
    ['https://[fd00:ec2::254]/', /private, loopback/],
    ['https://8.8.8.8/', /own domains/],
    ['https://localhost/', /own domains/],
    ['http://127.0.0.1:9/', /https/],
    ['http://api.github.com/', /https/],
    ['https://u:p@api.github.com/', /https/],
    ['https://github.com.evil.com/', /own domains/],
    ['https://evilgithub.com/', /own domains/],
    ['not a url', /https/],
  ])('GitHub refuses %s', (url, expected) => {
    expect(endpointProblem(github, url)).toMatch(expected);
  });

  it('at call time, a refused override is unreachable, names the field, and says address not allowed', () => {
    expect(allowedEndpoint(github, 'api_base_url', 'https://api.github.com')).toBe('https://api.github.com');
    let e: unknown;
    try {
      allowedEndpoint(github, 'token_url', 'https://evil.example/token');
    } catch (err) {
      e = err;
    }
    expect(e).toMatchObject({ kind: 'unreachable', code: 'endpoint_not_allowed' });
    expect((e as Error).message).toMatch(/address not allowed: the integration's endpoints\.token_url/);
  });
});

describe('endpoint overrides where ALLOW_HTTP_LOOPBACK=true (the local stack)', () => {
  it('loopback counts as allow-listed, so the fakes work; other addresses do not', () => {
    const github = manifest('github');
    for (const url of ['http://127.0.0.1:3000/api', 'http://localhost:3000', 'https://[::1]:8443/']) {
      expect(endpointProblem(github, url), url).toBeUndefined();
    }
    for (const url of ['https://[::ffff:127.0.0.1]/', 'https://10.0.0.1/', 'https://127.0.0.2/']) {
      expect(endpointProblem(github, url), url).toBeDefined();
    }
  });
});

describe('hosts in a connection config', () => {
  withEnv({ ALLOW_HTTP_LOOPBACK: 'false', ALLOWED_PROVIDER_HOSTS: undefined });
  let dns: DnsOverride;
  beforeAll(() => {
    dns = overrideDns();
    dns.answer('gitlab.public.test', ['93.184.216.34']);
    dns.answer('gitlab.private.test', ['93.184.216.34', '192.168.1.20']);
    dns.answer('gitlab.nowhere.test', []);
    // Were a provider's own site looked up, it would be refused: it must not be.
    dns.answer('acme.atlassian.net', ['10.0.0.1']);
  });
  afterAll(() => dns.restore());

  const issues = async (provider: string, config: Record<string, unknown>) => {
    try {
      await checkConfigHosts(manifest(provider), config);
      return [];
    } catch (e) {
      return ((e as { details: { issues: { path: string; message: string }[] } }).details.issues ?? []).map(
        (i) => `${i.path}: ${i.message}`,
      );
    }
  };

  it('accepts a self-managed host resolving to public addresses, and provider sites without a lookup', async () => {
    expect(await issues('gitlab', { host: 'https://gitlab.public.test', projects: ['a/b'] })).toEqual([]);
    expect(await issues('gitlab', { host: 'https://gitlab.nowhere.test/gitlab' })).toEqual([]); // unresolved: checked when called
    expect(await issues('jira', { site: 'acme.atlassian.net' })).toEqual([]);
    expect(await issues('datadog', { site: 'datadoghq.eu' })).toEqual([]);
    expect(dns.lookups('acme.atlassian.net')).toBe(0);
  });

  it.each([
    [{ host: 'http://169.254.169.254' }, 'body.config.host: Must be an absolute https URL'],
    [{ host: 'https://169.254.169.254' }, 'body.config.host: Must name a host, not an IP address.'],
    [{ host: 'https://8.8.8.8' }, 'body.config.host: Must name a host, not an IP address.'],
    [{ host: 'https://[::1]' }, 'body.config.host: Must name a host, not an IP address.'],
    [{ host: 'https://u:p@gitlab.public.test' }, 'body.config.host: Must be an absolute https URL'],
    [{ host: 'https://gitlab.private.test' }, 'body.config.host: Must resolve to public addresses only.'],
    [{ site: '10.0.0.1' }, 'body.config.site: Must name a host, not an IP address.'],
    [{ site: 'acme.atlassian.net/x' }, 'body.config.site: Must be a host name'],
    [
      { nested: { base_url: 'http://intranet.test' } },
      'body.config.nested.base_url: Must be an absolute https URL',
    ],
    [{ links: ['https://[fd00::1]/x'] }, 'body.config.links.0: Must name a host, not an IP address.'],
  ])('refuses %j', async (config, expected) => {
    const found = await issues('gitlab', config);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it('leaves values that are neither hosts nor URLs alone', async () => {
    expect(await issues('github', { repositories: ['acme/api', '10.0.0.1'] })).toEqual([]);
  });
});
