import type { Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * The operator's allow-list for integration endpoint overrides (README, "Configuration"):
 * hosts beyond a provider's own domains that `endpoints.*` may point at — a GitHub
 * Enterprise Server, a self-managed GitLab. From the CDK context `allowedProviderHosts`
 * (`-c allowedProviderHosts=ghe.acme.com,*.gitlab.acme.com`, or a list in cdk.json), else
 * the ALLOWED_PROVIDER_HOSTS of the shell that runs `cdk deploy`; handed to every function
 * as ALLOWED_PROVIDER_HOSTS. Absent: no host beyond the providers' own.
 */
export const ALLOWED_PROVIDER_HOSTS = 'ALLOWED_PROVIDER_HOSTS';

// `host.name` or `*.domain`: the rule the runtime applies (core/providers/endpoints.ts,
// parseHostList), checked here too so a typo fails the synth, not the first request.
const ENTRY =
  /^(\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const allowedProviderHosts = (stack: Stack): string | undefined => {
  const raw: unknown =
    stack.node.tryGetContext('allowedProviderHosts') ?? process.env[ALLOWED_PROVIDER_HOSTS];
  if (raw === undefined || raw === null) return undefined;
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  const entries = text
    .split(/[\s,]+/)
    .map((e) => e.toLowerCase())
    .filter(Boolean);
  const bad = entries.filter((e) => !ENTRY.test(e));
  if (bad.length) throw new Error(`allowedProviderHosts: not a host name or *.domain: ${bad.join(', ')}`);
  return entries.length ? entries.join(',') : undefined;
};

/** Sets ALLOWED_PROVIDER_HOSTS on every function of the stack (they all may call providers one day). */
export const applyAllowedProviderHosts = (stack: Stack): void => {
  const hosts = allowedProviderHosts(stack);
  if (!hosts) return;
  for (const c of stack.node.findAll()) {
    if (c instanceof LambdaFunction) c.addEnvironment(ALLOWED_PROVIDER_HOSTS, hosts);
  }
};
