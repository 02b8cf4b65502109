/** The HTML pages of a built site (dist/), without the folders of assets and of the search index. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function builtPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_astro' || name === 'pagefind' ? [] : builtPages(path);
    return name.endsWith('.html') ? [path] : [];
  });
}
