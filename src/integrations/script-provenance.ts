/**
 * Records where every client script of the build comes from (the source module behind each emitted or
 * inlined chunk), so the budgets script can tell Starlight's own JavaScript from the site's.
 * Writes <cacheDir>/script-provenance.json; ships nothing to readers.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

export interface ScriptProvenance {
  /** Output file name (e.g. _astro/page.abc.js) → the source modules bundled into it. */
  files: Record<string, string[]>;
  /** sha256 of a chunk's trimmed code (the form Astro inlines) → its source modules. */
  inline: Record<string, string[]>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export default function scriptProvenance(): AstroIntegration {
  const record: ScriptProvenance = { files: {}, inline: {} };
  let target = '';
  return {
    name: 'script-provenance',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        target = fileURLToPath(new URL('script-provenance.json', config.cacheDir));
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'script-provenance',
                enforce: 'pre',
                applyToEnvironment: (environment: { name: string }) => environment.name === 'client',
                generateBundle(_options: unknown, bundle: Record<string, { type: string; fileName: string; code?: string; moduleIds?: string[] }>) {
                  for (const output of Object.values(bundle)) {
                    if (output.type !== 'chunk' || !output.code) continue;
                    const modules = (output.moduleIds ?? []).map((id) => id.replace(/\\/g, '/'));
                    record.files[output.fileName] = modules;
                    record.inline[sha256(output.code.trim())] = modules;
                  }
                },
              },
            ],
          },
        });
      },
      'astro:build:done': () => {
        mkdirSync(fileURLToPath(new URL('.', `file://${target}`)), { recursive: true });
        writeFileSync(target, JSON.stringify(record, null, 1));
      },
    },
  };
}
