// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import rehypeMermaid from 'rehype-mermaid';
import { rehypeDiagramFigures, rehypeDiagramStyles } from './src/markdown/diagrams.ts';
import { rehypeBaseLinks } from './src/markdown/base-links.ts';
import { chromiumLaunchOptions } from './scripts/browser.mjs';
import linkCheck from './src/integrations/link-check.ts';
import scriptProvenance from './src/integrations/script-provenance.ts';
import securityHeaders from './src/integrations/security-headers.ts';

const base = process.env.BASE_PATH || '/';

export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  base,
  // Separate output and cache folders let several builds run side by side (DIST_DIR, ASTRO_CACHE_DIR).
  outDir: process.env.DIST_DIR || './dist',
  cacheDir: process.env.ASTRO_CACHE_DIR || './node_modules/.astro',
  markdown: {
    processor: unified({
      rehypePlugins: [
        rehypeDiagramFigures,
        [rehypeMermaid, { strategy: 'inline-svg', launchOptions: chromiumLaunchOptions(), mermaidConfig: { theme: 'neutral', sequence: { useMaxWidth: false, actorMargin: 24, width: 120, diagramMarginX: 8, diagramMarginY: 8, mirrorActors: false } } }],
        rehypeDiagramStyles,
        [rehypeBaseLinks, { base }],
      ],
    }),
  },
  integrations: [
    starlight({
      title: 'Bearer contract',
      description: 'The executable contract for stateless JWT authentication between Better Auth (Next.js) and FastAPI.',
      customCss: ['./src/styles/diagrams.css'],
      sidebar: [
        { label: 'Start here', items: ['index', 'playground'] },
        { label: 'Concepts', items: ['concepts/flow'] },
      ],
    }),
    mdx(),
    // Broken internal links fail the build.
    linkCheck(),
    // Where each client script comes from, for the budgets report.
    scriptProvenance(),
    // Content Security Policy (meta tag per page + _headers) and security headers.
    securityHeaders(),
  ],
});
