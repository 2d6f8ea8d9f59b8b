import { expect } from 'vitest';
import { FIGMA_REFUSAL, startFigmaFake } from '../../fakes/figma';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Figma against its fake, connected with a personal access token: two teams named in
 * config.team_ids — Design (three projects, one of them empty) and Marketing (one project) —
 * with 7 files and 9 comments (replies among them) between them; a third team outside the
 * config whose files and comments must not show.
 */
const scenario: ProviderScenario = {
  provider: 'figma',
  start: async () => {
    const figma = await startFigmaFake();
    const design = figma.addTeam('Design');
    const marketing = figma.addTeam('Marketing');
    const other = figma.addTeam('Elsewhere');
    const app = figma.addProject(design, 'Mobile app');
    const web = figma.addProject(design, 'Website');
    figma.addProject(design, 'Empty');
    const campaigns = figma.addProject(marketing, 'Campaigns');
    const outside = figma.addProject(other, 'Not ours');

    const onboarding = figma.addFile(app, 'Onboarding', { minutesAgo: 30 });
    const checkout = figma.addFile(app, 'Checkout');
    figma.addFile(app, 'Settings');
    const home = figma.addFile(web, 'Home page', { pages: ['Desktop', 'Tablet', 'Mobile'] });
    figma.addFile(web, 'Pricing');
    const spring = figma.addFile(campaigns, 'Spring launch');
    figma.addFile(campaigns, 'Social posts');
    const theirs = figma.addFile(outside, 'Theirs');

    const first = figma.addComment(onboarding, 'Can the button be bigger?');
    figma.addComment(onboarding, 'Done, 48 px now.', { by: figma.me, parentId: first });
    figma.addComment(onboarding, 'Thanks!', { parentId: first, mention: figma.me });
    figma.addComment(checkout, 'Where does the coupon field go?');
    figma.addComment(home, 'Hero copy is final.');
    figma.addComment(home, 'Tablet layout is missing a nav.', { by: figma.me });
    figma.addComment(spring, 'Use the new palette.');
    figma.addComment(spring, 'Logo is too small.');
    figma.addComment(spring, 'Agreed.', { by: figma.me, parentId: figma.comments.at(-1)?.id as string });
    figma.addComment(theirs, 'Not for us.');

    return {
      stop: () => figma.stop(),
      integration: {
        provider: 'figma',
        endpoints: { api_base_url: figma.apiBaseUrl },
      },
      connection: {
        credentials: figma.valid as Record<string, unknown>,
        config: { team_ids: [design, marketing] },
      },
      syncs: {
        files: { model: 'document', count: 7 },
        comments: { model: 'message', count: 9 },
      },
      actions: {
        list_files: {
          input: { project_id: web },
          check: (data: Json) => {
            expect(data.files.map((f: Json) => f.title)).toEqual(['Home page', 'Pricing']);
            expect(data.files[0]).toMatchObject({
              id: `figma_file_${home}`,
              key: home,
              kind: 'design',
              parent: 'Website',
              url: `https://www.figma.com/file/${home}`,
            });
          },
        },
        get_file: {
          input: { file_key: home },
          check: (data: Json) => {
            expect(data.file).toMatchObject({
              id: `figma_file_${home}`,
              name: 'Home page',
              role: 'owner',
              pages: [
                { id: '0:1', name: 'Desktop' },
                { id: '1:2', name: 'Tablet' },
                { id: '2:3', name: 'Mobile' },
              ],
            });
            expect(Date.parse(data.file.last_modified)).toBeGreaterThan(Date.now() - 2 * 3_600_000);
          },
        },
        export_images: {
          input: { file_key: home, ids: ['1:10', '9:99'], format: 'svg', scale: 2 },
          check: (data: Json) => {
            expect(data.format).toBe('svg');
            expect(data.images).toHaveLength(2);
            expect(data.images[0].node_id).toBe('1:10');
            expect(data.images[0].url).toMatch(
              /^https:\/\/figma-alpha-api\.s3\.us-west-2\.amazonaws\.com\/images\/.+\.svg$/,
            );
            // No such node in the file: Figma answers null for it.
            expect(data.images[1]).toEqual({ node_id: '9:99', url: null });
          },
        },
      },
      probe: 'get_file',
      failNext: (kind, retryAfterSeconds) => figma.failNext(kind, retryAfterSeconds),
      refusalMessage: FIGMA_REFUSAL,
    };
  },
};

export default scenario;
