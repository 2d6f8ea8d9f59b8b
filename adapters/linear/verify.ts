import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { VerifiedAccount, VerifyContext } from '../types';

const query = 'query { viewer { id name email } organization { id name urlKey } }';

const graphqlError = z.object({
  message: z.string(),
  extensions: z.optional(
    z.object({
      code: z.optional(z.string()),
      type: z.optional(z.string()),
      userPresentableMessage: z.optional(z.string()),
    }),
  ),
});

const answer = z.object({
  data: z.optional(
    z.nullable(
      z.object({
        viewer: z.object({ id: z.string(), name: z.string(), email: z.optional(z.string()) }),
        organization: z.object({ id: z.string(), name: z.string(), urlKey: z.optional(z.string()) }),
      }),
    ),
  ),
  errors: z.optional(z.array(graphqlError)),
});

/**
 * Linear reports failures as GraphQL errors, with HTTP 400 (or 401) for authentication and
 * HTTP 400 with code RATELIMITED for its rate limit, whose reset is in
 * X-RateLimit-Requests-Reset (epoch milliseconds).
 * https://linear.app/developers/rate-limiting
 */
const failure = (res: HttpResponse, errors: z.infer<typeof graphqlError>[]): ProviderError => {
  if (errors.some((e) => e.extensions?.code === 'RATELIMITED')) {
    const reset = Number(res.headers.get('x-ratelimit-requests-reset') ?? Number.NaN);
    return new ProviderError('rate_limited', errors[0]?.message ?? 'Rate limit exceeded', {
      status: res.status,
      ...(Number.isFinite(reset)
        ? { retryAfterSeconds: Math.max(0, Math.ceil((reset - Date.now()) / 1000)) }
        : {}),
    });
  }
  const first = errors[0];
  const message =
    first?.extensions?.userPresentableMessage ?? first?.message ?? `Linear answered ${res.status}.`;
  return new ProviderError('rejected', message, { status: res.status });
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  let authorization: string;
  // Personal API keys go bare; OAuth access tokens as Bearer.
  // https://linear.app/developers/graphql#authentication
  if (c.type === 'api_key') authorization = c.api_key;
  else if (c.type === 'oauth2') authorization = `Bearer ${c.access_token}`;
  else throw new ProviderError('rejected', `Linear does not accept ${c.type} credentials.`);

  // https://linear.app/developers/graphql#queries-and-mutations
  const res = await ctx.http(ctx.baseUrl, { method: 'POST', headers: { authorization }, body: { query } });
  const parsed = answer.safeParse(res.jsonOrUndefined());
  if (!parsed.success) {
    if (res.status !== 200)
      throw new ProviderError('rejected', `Linear answered ${res.status}.`, { status: res.status });
    throw new ProviderError('unreachable', 'Linear answered the viewer query with an unexpected body.', {
      status: res.status,
    });
  }
  const { data, errors } = parsed.data;
  // A GraphQL answer can carry data and errors both; without the data it is a refusal.
  if (errors?.length && !data) throw failure(res, errors);
  if (!data || res.status !== 200) throw failure(res, errors ?? []);
  return {
    account: { id: data.organization.id, name: data.organization.name },
    metadata: {
      user_id: data.viewer.id,
      ...(data.organization.urlKey ? { url_key: data.organization.urlKey } : {}),
    },
  };
};
