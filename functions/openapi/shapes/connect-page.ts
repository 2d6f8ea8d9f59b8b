import * as z from 'zod/mini';
import { described, type Raw, type RawError } from '../contract';

/**
 * The hosted connect page's answers: HTML rendered on the server (functions/connect-page/),
 * not the envelope. A page is text to a client; what it shows is for the end user.
 */
export const html = (what: string): Raw => ({
  contentType: 'text/html',
  schema: described(z.string(), what),
});

/** An unknown, expired or used session: the same page whoever's it was (renderProblem). */
export const sessionProblemPages: RawError[] = [
  {
    status: 404,
    description:
      'An unknown (or malformed) session: a page saying the link is not valid, naming no provider or tenant.',
    raw: html('"This link is not valid".'),
  },
  {
    status: 410,
    description: 'An expired or already used session: a page saying so.',
    raw: html('"This link has expired" / "This link was already used".'),
  },
];

/** A failure of ours inside a page route (pageEndpoint): a page with the request id to quote. */
export const failurePages: RawError[] = [
  {
    status: 500,
    description: 'A failure of ours: a page with the request id to quote.',
    raw: html('"Something went wrong", with the request id.'),
  },
  {
    status: 503,
    description: 'A dependency is briefly unavailable: a page saying so, with the request id.',
    raw: html('"The service is briefly unavailable", with the request id.'),
  },
];
