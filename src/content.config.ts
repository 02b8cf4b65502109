import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({ loader: glob({ base: './content/docs', pattern: '**/*.{md,mdx}' }), schema: docsSchema() }),
  // Starlight reads its UI-string overrides from this collection on every build. The site keeps Starlight's
  // English strings, so content/i18n/en.json is empty; declaring it spares every build a missing-collection warning.
  i18n: defineCollection({ loader: glob({ base: './content/i18n', pattern: '*.json' }), schema: i18nSchema() }),
};
