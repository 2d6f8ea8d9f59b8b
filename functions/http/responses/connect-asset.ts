import * as z from 'zod/mini';
import { defineContract, described } from '../../openapi/contract';
import { failurePages } from '../../openapi/shapes/connect-page';

export const contract = defineContract({
  tag: 'Connect page',
  summary: "The connect page's stylesheet and script",
  description:
    'Public. The page asks for them with `?v=<hash of the content>`: that exact version may be cached for good (`immutable`); any other for five minutes. Same-origin only (`Cross-Origin-Resource-Policy`).',
  success: {
    status: 200,
    description: 'The file.',
    raw: {
      contentType: ['text/css', 'text/javascript'],
      schema: described(z.string(), 'connect.css or connect-page.js.'),
    },
  },
  except: ['not_found'],
  rawErrors: [
    {
      status: 404,
      description: 'Any other file: this route serves only those two.',
      raw: { contentType: 'text/plain', schema: described(z.string(), '`Not found.`') },
    },
    ...failurePages,
  ],
  parameters: { file: '`connect.css` or `connect-page.js`.' },
});
