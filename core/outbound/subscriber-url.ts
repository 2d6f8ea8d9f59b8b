import { isIP } from 'node:net';
import { allowLoopback, isRefusedAddress } from '../platform/address-guard';
import { isAcceptableUrl } from '../platform/urls';

/**
 * Where we may POST a tenant's events. A subscription URL is chosen by the tenant, so it
 * must not become a way into our own network (SSRF): https only (plain http only for
 * loopback where ALLOW_HTTP_LOOPBACK=true, as for every URL we are given — core/platform/urls.ts),
 * no credentials, and no address the address guard refuses (core/platform/address-guard.ts)
 * — refused as an IP literal when the subscription is created, and checked again on every
 * delivery against what the host name resolves to at connect time (deliver.ts).
 */
const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** Why a subscription URL is refused, or undefined when it is acceptable. */
export const subscriberUrlProblem = (value: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Must be an absolute URL.';
  }
  if (url.username || url.password) return 'Must not carry credentials (user:password@).';
  if (url.hash) return 'Must not have a fragment.';
  // https, or http on a loopback host where ALLOW_HTTP_LOOPBACK=true.
  if (!isAcceptableUrl(value)) return 'Must be https.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isRefusedAddress(host)) {
    return 'Must not point at a private, loopback or link-local address.';
  }
  if (isLocalName(host.toLowerCase()) && !allowLoopback()) return 'Must not point at localhost.';
  return undefined;
};
