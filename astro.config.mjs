// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import starlightLinksValidator from 'starlight-links-validator';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import rehypeMermaid from 'rehype-mermaid';
import { rehypeDiagramFigures, rehypeDiagramStyles } from './src/markdown/diagrams.ts';
import { chromiumLaunchOptions } from './scripts/browser.mjs';

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  base: process.env.BASE_PATH || '/',
  markdown: {
    processor: unified({
      rehypePlugins: [
        rehypeDiagramFigures,
        [rehypeMermaid, { strategy: 'inline-svg', launchOptions: chromiumLaunchOptions(), mermaidConfig: { theme: 'neutral', sequence: { useMaxWidth: false, actorMargin: 24, width: 120, diagramMarginX: 8, diagramMarginY: 8, mirrorActors: false } } }],
        rehypeDiagramStyles,
      ],
    }),
  },
  integrations: [
    starlight({
      title: 'Bearer contract',
      description: 'The executable contract for stateless JWT authentication between Better Auth (Next.js) and FastAPI.',
      customCss: ['./src/styles/diagrams.css'],
      // Broken internal links fail the build.
      plugins: [starlightLinksValidator({ errorOnLocalLinks: false, exclude: ['/vectors.json', '/llms.txt', '/llms-full.txt', '/llms-small.txt'] })],
      sidebar: [
        { label: 'Start here', items: ['index', 'playground'] },
        { label: 'Concepts', items: ['concepts/flow'] },
      ],
    }),
    mdx(),
  ],
});
