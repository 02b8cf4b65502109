/**
 * Links written by components. Markdown links get the site's base path from a rehype step; links a
 * component renders do not pass through it, so they go through `withBase` here.
 */
import { scenarioByName } from '../../contract/scenarios/index.ts';

/** A root-relative site path ("/reference/errors/") with the base path in front. */
export function withBase(path: string, base: string = import.meta.env.BASE_URL ?? '/'): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return path.startsWith('/') && !path.startsWith('//') ? prefix + path.slice(1) : path;
}

/** The playground deep link for a named scenario. An unknown name fails the build instead of a dead link. */
export function playgroundCase(name: string, base?: string): string {
  if (!scenarioByName(name)) throw new Error(`playground link to an unknown scenario "${name}"`);
  return withBase(`/playground/#case=${encodeURIComponent(name)}`, base);
}
