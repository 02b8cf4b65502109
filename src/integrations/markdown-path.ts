/** The Markdown file of a page path: "reference/errors/" → "reference/errors.md", "" (home) → "index.md". */
export const markdownPath = (path: string) => (path === '' ? 'index.md' : `${path.replace(/\/$/, '')}.md`);
