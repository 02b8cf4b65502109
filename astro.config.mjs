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
import markdownPages from './src/integrations/markdown-pages.ts';
import { resolveSiteUrl } from './src/integrations/site-url.ts';
import exampleFiles from './src/integrations/example-files.ts';

const base = process.env.BASE_PATH || '/';
// Local and test builds default to localhost; a deploy build (DEPLOY=1) fails without a public SITE_URL.
const site = resolveSiteUrl(process.env);
const SITE_TITLE = 'Bearer contract';
const SITE_DESCRIPTION = 'The executable contract for stateless JWT authentication between Better Auth (Next.js) and FastAPI.';

export default defineConfig({
  site,
  base,
  // Separate output and cache folders let several builds run side by side (DIST_DIR, ASTRO_CACHE_DIR).
  outDir: process.env.DIST_DIR || './dist',
  cacheDir: process.env.ASTRO_CACHE_DIR || './node_modules/.astro',
  // No link prefetching: pages are small and static, and on the playground the prefetch script re-scanned the
  // document on every DOM update of the island (a third of its main-thread time in Lighthouse).
  prefetch: false,
  vite: {
    build: {
      rolldownOptions: {
        output: {
          codeSplitting: {
            // The playground island's first load is one chunk: every module its script imports statically (the
            // engine, the island, jose) goes together, as the lazy parts (cases, report, key pairs, share link)
            // would otherwise split it into several files that compress worse than one.
            // Vite's preload helper, which Starlight's search also imports, keeps a chunk of its own.
            groups: [
              { name: 'preload-helper', test: /preload-helper/, priority: 2 },
              { name: 'playground', tags: ['$initial'], test: /[\\/](src[\\/](playground|contract)|node_modules[\\/]jose)[\\/]/, priority: 1 },
            ],
          },
        },
      },
    },
  },
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
      title: SITE_TITLE,
      description: SITE_DESCRIPTION,
      components: { Footer: './src/components/Footer.astro' },
      // The repository link in the header, when the deployment names one (REPO_URL).
      social: process.env.REPO_URL ? [{ icon: 'github', label: 'Source repository', href: process.env.REPO_URL }] : [],
      // Wrapped code never scrolls sideways: no unlabelled scroll regions (axe landmark-unique), better on phones.
      expressiveCode: { defaultProps: { wrap: true } },
      // Social previews and icons (Starlight already sets og:title, og:description, og:url and canonical URLs).
      head: [
        { tag: 'meta', attrs: { property: 'og:image', content: new URL(`${base.replace(/\/?$/, '/')}og.png`, site).href } },
        { tag: 'meta', attrs: { property: 'og:image:width', content: '1200' } },
        { tag: 'meta', attrs: { property: 'og:image:height', content: '630' } },
        { tag: 'meta', attrs: { property: 'og:image:alt', content: 'Bearer contract: stateless JWT authentication between Better Auth and FastAPI' } },
        { tag: 'meta', attrs: { name: 'twitter:image', content: new URL(`${base.replace(/\/?$/, '/')}og.png`, site).href } },
        { tag: 'link', attrs: { rel: 'apple-touch-icon', href: `${base.replace(/\/?$/, '/')}apple-touch-icon.png` } },
        { tag: 'meta', attrs: { name: 'theme-color', content: '#1e1b4b' } },
      ],
      customCss: ['./src/styles/diagrams.css', './src/styles/docs.css'],
      sidebar: [
        {
          label: 'Start here',
          items: [{ label: 'Home', slug: 'index' }, 'start/overview', 'start/walkthrough', 'playground'],
        },
        { label: 'Concepts', items: ['concepts/flow', 'concepts/profiles', 'concepts/security', 'concepts/decisions'] },
        { label: 'Reference', items: ['reference/token', 'reference/frontend', 'reference/backend', 'reference/errors', 'reference/changelog'] },
        { label: 'Guides', items: ['guides/troubleshooting', 'guides/conformance', 'guides/migrate-to-key-set'] },
        { label: 'Examples', items: ['examples/nextjs', 'examples/fastapi'] },
      ],
    }),
    mdx(),
    // The single-file CLI (bearer-contract.mjs and its .sha256) in the built site.
    (await import('./src/integrations/cli-bundle.ts')).default(),
    // The example apps: every file, whole, and one archive per example, under /examples/.
    exampleFiles(),
    // Where each client script comes from, for the budgets report.
    scriptProvenance(),
    // Every page as Markdown, plus llms.txt and llms-full.txt.
    markdownPages({ title: SITE_TITLE, description: SITE_DESCRIPTION }),
    // Broken internal links fail the build (after the Markdown pages exist, so links to them are checked too).
    linkCheck(),
    // Content Security Policy (meta tag per page + _headers) and security headers. Runs last: it hashes the final HTML.
    securityHeaders(),
  ],
});
