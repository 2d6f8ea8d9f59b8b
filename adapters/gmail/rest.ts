import { googleApi } from '../google-calendar/rest';

/**
 * How the Gmail API is called and how its refusals read: Google's error body and call
 * conventions, the same for every Google API (adapters/google-calendar/rest.ts), with
 * Gmail's name in its messages.
 * https://developers.google.com/workspace/gmail/api/guides/handle-errors
 * https://developers.google.com/workspace/gmail/api/reference/quota
 */
export const { failure, callApi } = googleApi('Gmail');

/** `…/users/me/<path>`: `me` is the authenticated user, the only mailbox a user token opens. */
export const userUrl = (baseUrl: string, path: string, query?: URLSearchParams): string =>
  `${baseUrl}/users/me/${path}${query && query.size > 0 ? `?${query}` : ''}`;

/**
 * Runs `fn` over `items`, at most `limit` at a time, answers in input order. Gmail has no
 * "get many" call: a page of ids is read message by message, a few at once — Google's
 * guide batches them; parallel requests within the per-user quota (250 units a second,
 * messages.get costing 5) do the same work without the multipart batch format.
 * https://developers.google.com/workspace/gmail/api/guides/sync#full_synchronization
 */
export const mapLimited = async <T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
};
