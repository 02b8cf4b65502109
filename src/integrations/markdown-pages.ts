/**
 * Agent-readable docs: after the build, every page is also written as Markdown (<page>.md, next to it),
 * and /llms.txt (an index) and /llms-full.txt (every page in one file) list them. The Markdown comes from
 * the built HTML, so generated tables, imported code and diagrams (as their text steps) are all in it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtPages } from './built-pages.ts';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toMdast } from 'hast-util-to-mdast';
import { toString } from 'hast-util-to-string';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';

export interface MarkdownPage {
  /** The page's path under the base, e.g. "reference/errors/" ("" for the home page). */
  path: string;
  title: string;
  description: string;
  markdown: string;
}

import { markdownPath } from './markdown-path.ts';

function remove(tree: Root, selector: string) {
  for (const node of selectAll(selector, tree)) {
    node.type = 'element';
    node.tagName = 'template';
    node.children = [];
  }
}

/** Turns one built page into Markdown, or undefined when it has no docs content. */
export function pageToMarkdown(html: string): Omit<MarkdownPage, 'path'> | undefined {
  const tree = fromHtml(html);
  const content = select('main .sl-markdown-content', tree) as Element | undefined;
  if (!content) return undefined;
  const title = toString(select('h1', tree) ?? { type: 'text', value: '' }).trim();
  const description = (select('meta[name="description"]', tree)?.properties?.content as string | undefined) ?? '';
  const root: Root = { type: 'root', children: [content] };

  // Code blocks (Expressive Code): keep the language and the lines, drop the chrome.
  for (const figure of selectAll('figure.frame', root)) {
    const pre = select('pre', figure);
    const language = String(pre?.properties?.dataLanguage ?? '');
    const lines = selectAll('.ec-line', figure).map((line) => toString(line));
    figure.tagName = 'pre';
    figure.properties = {};
    figure.children = [{ type: 'element', tagName: 'code', properties: { className: language ? [`language-${language}`] : [] }, children: [{ type: 'text', value: lines.join('\n') }] }];
  }
  // Diagrams: their text steps stand in for the picture.
  for (const svg of selectAll('figure.diagram svg, figure.diagram .diagram-scroll', root)) {
    svg.tagName = 'template';
    svg.children = [];
  }
  remove(root, '.sl-anchor-link, script, style, template, button, token-playground, [data-markdown="skip"], .sr-only');
  for (const summary of selectAll('summary', root)) summary.tagName = 'p';

  const markdown = toMarkdown(toMdast(root), { extensions: [gfmToMarkdown()], bullet: '-', rule: '-' }).trim();
  return { title, description, markdown };
}

const GROUPS: [string, string][] = [
  ['start/', 'Start here'],
  ['playground/', 'Start here'],
  ['concepts/', 'Concepts'],
  ['reference/', 'Reference'],
  ['guides/', 'Guides'],
  ['examples/', 'Examples'],
];

export default function markdownPages(options: { title: string; description: string }): AstroIntegration {
  let base = '/';
  let site = '';
  return {
    name: 'markdown-pages',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.replace(/\/?$/, '/');
        site = (config.site ?? '').replace(/\/$/, '');
      },
      'astro:build:done': ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const pages: MarkdownPage[] = [];
        for (const file of builtPages(dist).filter((path) => !path.endsWith('/404.html'))) {
          const path = relative(dist, file).replace(/\\/g, '/').replace(/index\.html$/, '');
          const page = pageToMarkdown(readFileSync(file, 'utf8'));
          if (!page) continue;
          pages.push({ path, ...page });
          const url = `${site}${base}${path}`;
          const body = `# ${page.title}\n\n> ${page.description}\n\nWeb page: ${url}\n\n${page.markdown}\n`;
          const target = join(dist, markdownPath(path));
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, body);
        }
        pages.sort((a, b) => a.path.localeCompare(b.path));
        const link = (page: MarkdownPage) => `- [${page.title}](${site}${base}${markdownPath(page.path)}): ${page.description}`;
        const sections = new Map<string, MarkdownPage[]>();
        for (const page of pages) {
          const group = GROUPS.find(([prefix]) => page.path.startsWith(prefix))?.[1] ?? 'Start here';
          sections.set(group, [...(sections.get(group) ?? []), page]);
        }
        const order = ['Start here', 'Concepts', 'Reference', 'Guides', 'Examples'];
        const index = [
          `# ${options.title}`,
          '',
          `> ${options.description}`,
          '',
          'Every page is available as Markdown at the links below. The conformance vectors are JSON; the whole site in one file is llms-full.txt.',
          '',
          ...order.flatMap((group) => (sections.has(group) ? [`## ${group}`, '', ...sections.get(group)!.map(link), ''] : [])),
          '## Optional',
          '',
          `- [Conformance vectors](${site}${base}vectors.json): every scenario as a verdict request with the answer the backend must give.`,
          `- [Everything in one file](${site}${base}llms-full.txt)`,
          '',
        ];
        writeFileSync(join(dist, 'llms.txt'), index.join('\n'));
        const full = pages.map((page) => `# ${page.title}\n\n> ${page.description}\n\nWeb page: ${site}${base}${page.path}\n\n${page.markdown}\n`);
        writeFileSync(join(dist, 'llms-full.txt'), `${full.join('\n\n---\n\n')}`);
        logger.info(`wrote ${pages.length} Markdown pages, llms.txt and llms-full.txt`);
      },
    },
  };
}
