import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { Credentials } from '../types';

/**
 * What every Resend call shares: the API key as a Bearer token, the error body, how Resend
 * writes instants, and the domain of an address.
 * https://resend.com/docs/api-reference/introduction
 */

export const authHeaders = (c: Credentials): Record<string, string> => {
  if (c.type === 'api_key') return { authorization: `Bearer ${c.api_key}` };
  throw new ProviderError('rejected', `Resend does not accept ${c.type} credentials.`);
};

// `{"statusCode": 422, "name": "validation_error", "message": "Invalid `to` field. …"}`
// https://resend.com/docs/api-reference/errors
const errorBody = z.object({ message: z.string(), name: z.optional(z.nullable(z.string())) });

/**
 * A refusal with Resend's own message: a wrong key (`API key is invalid`), a sending-only key
 * on anything but sending (`This API key is restricted to only send emails`), a field Resend
 * refuses (422), a domain not verified (403), an unknown email (404). 429 and 5xx never get
 * here: the http client made them `rate_limited` (Resend sends `retry-after`) and `unreachable`.
 */
export const failure = (res: HttpResponse): ProviderError => {
  const body = errorBody.safeParse(res.jsonOrUndefined());
  const message = body.success ? body.data.message.trim() : '';
  return new ProviderError('rejected', message || `Resend answered ${res.status}.`, { status: res.status });
};

/**
 * An instant as ISO-8601. Resend's docs show `2023-04-03T22:13:42.674981+00:00`, while the API
 * answers Postgres' `2023-04-03 22:13:42.674981+00` (a space, an hour-only offset).
 */
export const isoOf = (value: string, what: string): string => {
  const t = Date.parse(
    value
      .trim()
      .replace(' ', 'T')
      .replace(/([+-]\d{2})$/, '$1:00'),
  );
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Resend answered an invalid ${what}.`);
  return new Date(t).toISOString();
};

/** `Acme <Billing@Acme.com>` or `billing@acme.com` → `acme.com`; undefined when there is none. */
export const domainOf = (address: string): string | undefined => {
  const bare = /<([^<>]*)>\s*$/.exec(address)?.[1] ?? address;
  const at = bare.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : bare
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain) ? domain : undefined;
};
