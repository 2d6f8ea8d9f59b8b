import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationsStack } from '../../lib/integrations-stack';

/** The operator's allow-list reaches every function as ALLOWED_PROVIDER_HOSTS, from CDK context or the shell. */
type Fn = { Properties: { Environment?: { Variables: Record<string, unknown> } } };
const synth = (context: Record<string, unknown>) =>
  Object.values(
    Template.fromStack(
      new IntegrationsStack(
        new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }),
        'Integrations',
      ),
    ).findResources('AWS::Lambda::Function'),
  ) as Fn[];
const hostsOf = (fns: Fn[]) => fns.map((f) => f.Properties.Environment?.Variables.ALLOWED_PROVIDER_HOSTS);

let before: string | undefined;
beforeEach(() => {
  before = process.env.ALLOWED_PROVIDER_HOSTS;
  delete process.env.ALLOWED_PROVIDER_HOSTS;
});
afterEach(() => {
  if (before !== undefined) process.env.ALLOWED_PROVIDER_HOSTS = before;
});

describe('ALLOWED_PROVIDER_HOSTS', { timeout: 120_000 }, () => {
  it('is set on every function from the context, normalised; absent without one', () => {
    const fns = synth({ allowedProviderHosts: ' GHE.acme.com, *.gitlab.acme.com ' });
    expect(fns.length).toBeGreaterThan(5);
    expect(new Set(hostsOf(fns))).toEqual(new Set(['ghe.acme.com,*.gitlab.acme.com']));
    expect(new Set(hostsOf(synth({})))).toEqual(new Set([undefined]));
  });

  it('falls back to the shell’s ALLOWED_PROVIDER_HOSTS, and accepts a list in cdk.json', () => {
    process.env.ALLOWED_PROVIDER_HOSTS = 'ghe.acme.com';
    expect(new Set(hostsOf(synth({})))).toEqual(new Set(['ghe.acme.com']));
    expect(new Set(hostsOf(synth({ allowedProviderHosts: ['a.acme.com', 'b.acme.com'] })))).toEqual(
      new Set(['a.acme.com,b.acme.com']),
    );
  });

  it('fails the synth on an entry that is not a host name', () => {
    expect(() => synth({ allowedProviderHosts: 'ghe.acme.com,https://x.acme.com' })).toThrow(
      /https:\/\/x\.acme\.com/,
    );
  });
});
