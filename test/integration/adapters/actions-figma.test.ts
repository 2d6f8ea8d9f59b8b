import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FigmaFake, startFigmaFake } from '../../fakes/figma';
import { runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

let figma: FigmaFake;
let web: string;
let home: string;

beforeAll(async () => {
  figma = await startFigmaFake();
  const design = figma.addTeam('Design');
  web = figma.addProject(design, 'Website');
  home = figma.addFile(web, 'Home page', { pages: ['Desktop', 'Mobile'], minutesAgo: 5 });
  figma.addFile(web, 'Pricing');
});
afterAll(() => figma.stop());

const ctx = () => ({ credentials: figma.valid, baseUrl: figma.apiBaseUrl });

describe('figma actions', () => {
  it('list_files: the project’s files as documents, with their keys', async () => {
    const data = await runAction('figma', 'list_files', ctx(), { project_id: web });
    expect(data.files).toEqual([
      expect.objectContaining({
        id: `figma_file_${home}`,
        key: home,
        title: 'Home page',
        kind: 'design',
        parent: 'Website',
        url: `https://www.figma.com/file/${home}`,
      }),
      expect.objectContaining({ title: 'Pricing' }),
    ]);
  });

  it('get_file: asks for depth=1 and answers the name, pages and last modification', async () => {
    const before = figma.requests.length;
    const data = await runAction('figma', 'get_file', ctx(), { file_key: home });
    expect(figma.requests[before]?.path).toBe(`/v1/files/${home}`);
    expect(data.file).toMatchObject({
      id: `figma_file_${home}`,
      key: home,
      name: 'Home page',
      url: `https://www.figma.com/file/${home}`,
      version: figma.files.get(home)?.version,
      editor_type: 'figma',
      pages: [
        { id: '0:1', name: 'Desktop' },
        { id: '1:2', name: 'Mobile' },
      ],
    });
    const modified = Math.floor((figma.files.get(home)?.lastModified ?? 0) / 1000) * 1000;
    expect((data.file as { last_modified: string }).last_modified).toBe(new Date(modified).toISOString());
  });

  it('export_images: one URL per node, null for a node Figma cannot render, format and scale sent', async () => {
    const before = figma.requests.length;
    const data = await runAction('figma', 'export_images', ctx(), {
      file_key: home,
      ids: ['1:10', '2:20', '7:7'],
      format: 'jpg',
      scale: 0.5,
    });
    expect(figma.requests[before]?.path).toBe(`/v1/images/${home}`);
    const images = data.images as { node_id: string; url: string | null }[];
    expect(images.map((i) => i.node_id)).toEqual(['1:10', '2:20', '7:7']);
    expect(images[0]?.url).toMatch(/\.jpg$/);
    expect(images[1]?.url).toMatch(/\.jpg$/);
    expect(images[2]?.url).toBeNull();
  });

  it('refuses what fails the schema before calling Figma', async () => {
    const before = figma.requests.length;
    await expect(
      runAction('figma', 'export_images', ctx(), { file_key: home, ids: ['1:10'], scale: 5 }),
    ).rejects.toThrow(/input refused/);
    await expect(runAction('figma', 'export_images', ctx(), { file_key: home, ids: [] })).rejects.toThrow(
      /input refused/,
    );
    await expect(runAction('figma', 'list_files', ctx(), { project_id: 'abc' })).rejects.toThrow(
      /input refused/,
    );
    expect(figma.requests.length).toBe(before);
  });

  it('an unknown file is rejected with Figma’s words', async () => {
    await expectProviderError(
      runAction('figma', 'get_file', ctx(), { file_key: 'NoSuchFile1234567890ab' }),
      'rejected',
      {
        message: 'Not found',
        status: 404,
      },
    );
  });

  it('a token without file_content:read is rejected with Figma’s scope message', async () => {
    await expectProviderError(
      runAction(
        'figma',
        'get_file',
        { credentials: figma.meOnly, baseUrl: figma.apiBaseUrl },
        { file_key: home },
      ),
      'rejected',
      { message: /requires the file_content:read scope/, status: 403 },
    );
  });
});
