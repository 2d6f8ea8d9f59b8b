import type * as z from 'zod/mini';
import { ProviderError } from './errors';
import type { HttpResponse } from './http';

/**
 * A provider's answer parsed with its schema before it is mapped to our model. A body that
 * does not match (not JSON, HTML from a proxy, a changed API) is `unreachable`: the provider
 * did not give a usable answer, and the credentials are not to blame.
 */
export const parseAnswer = <S extends z.ZodMiniType>(
  provider: string,
  schema: S,
  res: HttpResponse,
  call: string,
): z.infer<S> => {
  const r = schema.safeParse(res.jsonOrUndefined());
  if (!r.success) {
    throw new ProviderError('unreachable', `${provider} answered ${call} with an unexpected body.`, {
      status: res.status,
    });
  }
  return r.data;
};
