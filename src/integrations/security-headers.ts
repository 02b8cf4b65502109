/**
 * A strict Content Security Policy and the usual security headers for the built site.
 *
 * After the build, every inline <script> and <style> of every page is hashed. Each page gets a
 * <meta http-equiv="content-security-policy"> with exactly its own hashes (what works on hosts that
 * cannot set headers, such as GitHub Pages), and dist/_headers (read by Netlify and Cloudflare Pages)
 * sends the policy as an HTTP header with frame-ancestors and the other security headers.
 * No 'unsafe-inline' and no 'unsafe-eval' for scripts; the only inline allowance is style attributes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { builtPages } from './built-pages.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const EXECUTABLE = /^(|module|text\/javascript|application\/javascript)$/i;

/** Hashes of the inline scripts and styles of one page. */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1]!;
    if (/\bsrc\s*=/.test(attributes)) continue;
    const type = attributes.match(/\btype\s*=\s*"([^"]*)"/i)?.[1] ?? '';
    if (EXECUTABLE.test(type) && match[2]!.length > 0) scripts.add(hash(match[2]!));
  }
  for (const match of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) styles.add(hash(match[1]!));
  return { scripts: [...scripts].sort(), styles: [...styles].sort() };
}

/** The policy for a set of hashes. frame-ancestors only works as a header, so the meta version leaves it out. */
export function contentSecurityPolicy(hashes: { scripts: string[]; styles: string[] }, asHeader: boolean): string {
  const directives = [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets Pagefind's search run its WebAssembly; it does not allow eval() of JavaScript.
    ["script-src 'self' 'wasm-unsafe-eval'", ...hashes.scripts].join(' '),
    ["style-src 'self'", ...hashes.styles].join(' '),
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // Only search reads files (its index, from this site). The playground makes no requests at all.
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (asHeader) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

export const SECURITY_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()'],
  ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains'],
];

export default function securityHeaders(): AstroIntegration {
  let base = '/';
  return {
    name: 'security-headers',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.replace(/\/?$/, '/');
      },
      'astro:build:done': ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const all = { scripts: new Set<string>(), styles: new Set<string>() };
        const files = builtPages(dist);
        for (const file of files) {
          const html = readFileSync(file, 'utf8');
          const hashes = inlineHashes(html);
          hashes.scripts.forEach((value) => all.scripts.add(value));
          hashes.styles.forEach((value) => all.styles.add(value));
          const meta = `<meta http-equiv="content-security-policy" content="${contentSecurityPolicy(hashes, false)}">`;
          // Right after <meta charset> (which must come first), before any script.
          const anchor = html.match(/<meta charset="[^"]*"\s*\/?>/i)?.[0] ?? html.match(/<head>/i)?.[0];
          if (!anchor) throw new Error(`security-headers: no <head> in ${file}`);
          writeFileSync(file, html.replace(anchor, `${anchor}${meta}`));
        }
        const policy = contentSecurityPolicy({ scripts: [...all.scripts].sort(), styles: [...all.styles].sort() }, true);
        const lines = [`${base}*`, `  Content-Security-Policy: ${policy}`, ...SECURITY_HEADERS.map(([name, value]) => `  ${name}: ${value}`)];
        writeFileSync(join(dist, '_headers'), `${lines.join('\n')}\n`);
        logger.info(`CSP: ${files.length} pages, ${all.scripts.size} inline script hashes, ${all.styles.size} inline style hashes; wrote _headers`);
      },
    },
  };
}
