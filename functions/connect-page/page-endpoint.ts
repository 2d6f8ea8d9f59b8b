import { isApiError } from '../../core/platform/errors';
import { endpoint, type Reply, type Request } from '../middleware';
import { logger } from '../middleware/logger';
import { htmlReply, renderFailure } from './html';

// biome-ignore lint/complexity/noBannedTypes: an endpoint without schemas
type PageRequest = Request<{}>;

/**
 * An HTML route: the middleware chain of every endpoint (request id, logging), but a failure
 * is a page of ours with the request id, not the JSON envelope. `root` is the way from the
 * route's URL to `/connect/` (where the stylesheet is).
 */
export const pageEndpoint = (root: string, fn: (req: PageRequest) => Promise<Reply>) =>
  endpoint({}, async (req) => {
    try {
      return await fn(req);
    } catch (e) {
      const status = isApiError(e) ? e.status : 500;
      if (!isApiError(e) || status >= 500) logger.error('connect page failed', e as Error);
      return htmlReply(status === 503 ? 503 : 500, renderFailure(root, req.requestId, status === 503));
    }
  });

/** `?display=popup` (set by /connect.js) or the default, a page of its own. */
export const displayOf = (req: PageRequest): 'page' | 'popup' =>
  req.event.queryStringParameters?.display === 'popup' ? 'popup' : 'page';

export const sessionIdOf = (req: PageRequest): string => req.event.pathParameters?.session_id ?? '';
