import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config, numericId } from './config';

// Team, project and file ids as Figma writes them: a team or project id is a number
// (`1234567890`), a file key an alphanumeric string (`CL06nJNn5eZLQKDoARMND5`), a node id
// `<int>:<int>` (`1:2`; instances inside components chain them with `;`, `I1:2;3:4`).
// https://developers.figma.com/docs/rest-api/files-endpoints/
const fileKey = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9]{10,64}$/),
    z.describe('File key: the part after /file/ or /design/ in its URL'),
  );
const nodeId = z
  .string()
  .check(z.regex(/^I?\d+[:-]\d+(;I?\d+[:-]\d+)*$/), z.describe('Node id, e.g. 1:2 (as in ?node-id=1-2)'));

export const listFilesInput = z.object({ project_id: numericId('Project id') });

export const getFileInput = z.object({ file_key: fileKey });

export const exportImagesInput = z.object({
  file_key: fileKey,
  ids: z.array(nodeId).check(z.minLength(1), z.maxLength(100)),
  format: z.optional(z.enum(['png', 'jpg', 'svg', 'pdf']).check(z.describe('Default: png'))),
  // "A number between 0.01 and 4, the image scaling factor."
  // https://developers.figma.com/docs/rest-api/file-endpoints/#get-images-endpoint
  scale: z.optional(z.number().check(z.minimum(0.01), z.maximum(4))),
});

export const manifest = defineManifest({
  name: 'figma',
  displayName: 'Figma',
  categories: ['design'],
  curated: false,
  docsUrl: 'https://developers.figma.com/docs/rest-api/',
  apiBaseUrl: 'https://api.figma.com',
  hosts: ['figma.com', '*.figma.com'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://www.figma.com/oauth',
      tokenUrl: 'https://api.figma.com/v1/oauth/token',
      defaultScopes: ['current_user:read', 'file_content:read', 'file_comments:read', 'projects:read'],
      // https://developers.figma.com/docs/rest-api/scopes/
      scopeDescriptions: {
        'current_user:read': 'Read your name, email and profile image',
        'file_content:read': 'Read the contents of files and render images from them',
        'file_comments:read': 'Read the comments on files',
        'file_comments:write': 'Post and delete comments on files',
        'projects:read': 'List the projects and files of your teams',
        'webhooks:write': 'Create and manage webhooks',
      },
      // "scope: A comma separated list of scopes."
      // https://developers.figma.com/docs/rest-api/oauth-apps/#authenticate-users
      scopeSeparator: ',',
      // The authorization request takes code_challenge and code_challenge_method=S256, the
      // token request the code_verifier.
      // https://developers.figma.com/docs/rest-api/oauth-apps/#authenticate-users
      pkce: true,
      // Access tokens expire (expires_in, 90 days); /v1/oauth/refresh issues a new one.
      refreshes: true,
      docsUrl: 'https://developers.figma.com/docs/rest-api/oauth-apps/',
    },
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'Personal access token',
          secret: true,
          help: 'In Figma: Settings → Security → Personal access tokens; give it the current_user:read, file_content:read, file_comments:read and projects:read scopes.',
        },
      ],
      docsUrl: 'https://developers.figma.com/docs/rest-api/personal-access-tokens/',
    },
  },
  // https://developers.figma.com/docs/rest-api/authentication/
  proxy: {
    headers: {
      oauth2: { authorization: 'Bearer {access_token}' },
      api_key: { 'x-figma-token': '{api_key}' },
    },
  },
  config,
  syncs: [
    defineSync({
      name: 'files',
      model: 'document',
      description: 'Design files of the projects of config.team_ids (or only config.project_ids).',
      defaultFrequency: '1h',
      // GET /v1/projects/:id/files takes no "modified since": every run lists every project.
      incremental: false,
    }),
    defineSync({
      name: 'comments',
      model: 'message',
      description: 'Comments on those files, replies included (thread_id is the comment replied to).',
      defaultFrequency: '1h',
      // GET /v1/files/:key/comments answers every comment of a file at once, with no filter.
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_files',
      description: 'List the design files of a project, with when each was last modified.',
      writes: false,
      input: listFilesInput,
      projectField: 'project_id',
    }),
    defineAction({
      name: 'get_file',
      description: 'Read a file: its name, pages, version and when it was last modified.',
      writes: false,
      input: getFileInput,
    }),
    defineAction({
      name: 'export_images',
      description:
        'Render nodes of a file as PNG, JPG, SVG or PDF; answers a temporary image URL per node (null where rendering failed).',
      writes: false,
      input: exportImagesInput,
    }),
  ],
  webhooks: {
    events: ['PING', 'FILE_UPDATE', 'FILE_VERSION_UPDATE', 'FILE_DELETE', 'FILE_COMMENT'],
    // No signature and no header: Figma echoes the `passcode` given at the webhook's creation
    // in the JSON body of every event; `header` names that body field.
    signature: { scheme: 'body_passcode', header: 'passcode' },
    docsUrl: 'https://developers.figma.com/docs/rest-api/webhooks/',
  },
});
