/**
 * URLs a tenant gives us (provider endpoints, redirect URLs). Production wants https;
 * plain http is accepted only for loopback hosts and only where the deployment allows
 * it (ALLOW_HTTP_LOOPBACK=true, set by `npm start` and the tests, never by CDK), so
 * fake providers and local apps work without opening a path to internal hosts.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A URL hostname (as `new URL().hostname` spells it) that names this machine. */
export const isLoopbackHostname = (hostname: string): boolean => LOOPBACK.has(hostname);

export const isAcceptableUrl = (value: string): boolean => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname) && process.env.ALLOW_HTTP_LOOPBACK === 'true';
};

export const URL_RULE = 'an absolute https URL without credentials or fragment';
