/**
 * Pages link to each other with root-relative URLs ("/reference/errors/"). This rehype step puts the
 * site's base path in front of them, so the same content works at a domain root and under a sub-path
 * such as GitHub Pages' /<repository>/.
 */
import type { Element, Root, RootContent } from 'hast';

export function rehypeBaseLinks(options: { base: string }) {
  const base = options.base.replace(/\/?$/, '/');
  const prefix = (value: unknown) =>
    typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith(base) ? base + value.slice(1) : value;
  const walk = (node: Root | RootContent) => {
    if (node.type === 'element') {
      const element = node as Element;
      if (element.tagName === 'a') element.properties.href = prefix(element.properties.href) as string;
      if (element.tagName === 'img') element.properties.src = prefix(element.properties.src) as string;
    }
    if ('children' in node) node.children.forEach(walk);
  };
  return (tree: Root) => walk(tree);
}
