// The key-set pages state numbers and commands that live elsewhere (the engine's constants, the verdict CLI,
// the vectors). Prose takes the numbers from imports; what cannot import (the mermaid diagram, shell
// commands) is checked here against the source of truth, so a change there fails this test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_SET_MAX_AGE, KEY_SET_REFETCH_COOLDOWN, PROFILES } from '../../../src/contract/data/contract.ts';
import { scenarioByName } from '../../../src/contract/scenarios/index.ts';
import { OUTCOMES } from '../../../src/contract/data/contract.ts';
import { outcomeScenario } from '../../../src/components/docs/data.ts';

const DOCS = new URL('../../../content/docs/', import.meta.url).pathname;
const read = (page: string) => readFileSync(join(DOCS, page), 'utf8');

function pages(dir = DOCS): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name.endsWith('.mdx') ? [path.slice(DOCS.length)] : [];
  });
}

/** The mermaid diagram of a page whose accTitle is the given one. */
function diagram(page: string, title: string): string {
  const fences = [...read(page).matchAll(/^```mermaid\n([\s\S]*?)^```/gm)].map((match) => match[1]!);
  const found = fences.find((text) => text.includes(`accTitle: ${title}`));
  if (!found) throw new Error(`${page} has no diagram titled ${title}`);
  return found;
}

/** A page's text outside code fences (where MDX expressions can import the numbers). */
const prose = (text: string) => text.replace(/^\s*```[\s\S]*?^\s*```/gm, '');

describe('the key rotation diagram (concepts/flow.mdx)', () => {
  const text = diagram('concepts/flow.mdx', 'Key rotation with one refetch');

  it('states the cache lifetime the engine uses', () => {
    const minutes = [...text.matchAll(/at most (\d+) min/g)].map((match) => Number(match[1]));
    expect(minutes.length).toBeGreaterThan(0);
    for (const value of minutes) expect(value * 60).toBe(KEY_SET_MAX_AGE);
  });

  it('states the refetch cool-down the engine uses, in the diagram and its description', () => {
    const cooldowns = [...text.matchAll(/(?:in the last|the last) (\d+) s(?:econds)?\b/g)].map((match) => Number(match[1]));
    expect(cooldowns.length).toBeGreaterThanOrEqual(2);
    for (const value of cooldowns) expect(value).toBe(KEY_SET_REFETCH_COOLDOWN);
    expect(text).toMatch(/less than \d+ seconds/);
    for (const match of text.matchAll(/less than (\d+) seconds/g)) expect(Number(match[1])).toBe(KEY_SET_REFETCH_COOLDOWN);
  });

  it('sends the second unknown kid inside the cool-down, so no fetch is right', () => {
    const later = [...text.matchAll(/(\d+) s (?:later|ago)/g)].map((match) => Number(match[1]));
    expect(later.length).toBeGreaterThan(0);
    for (const value of later) expect(value).toBeLessThan(KEY_SET_REFETCH_COOLDOWN);
    expect(text).toMatch(/unknown_key/);
    // One fetch of the key set in the whole diagram: the refetch for k2, none for k9.
    expect(text.match(/GET \/api\/auth\/jwks/g)).toHaveLength(1);
  });
});

describe('prose takes the key-set numbers from the engine', () => {
  // Typed durations that equal the cache lifetime or the cool-down; the pages import them instead.
  // (Supabase's own cache time is a fact about Supabase, not about this contract.)
  const typed = /\b(10|ten) min(ute)?s?\b|\b(30|thirty) s(ec(ond)?s?)?\b|\b600\b/i;
  // The conformance guide, the walkthrough and the playground page are kept with their tools, not here.
  const OTHERS = ['guides/conformance.mdx', 'start/walkthrough.mdx', 'playground.mdx'];
  for (const page of pages().filter((page) => !OTHERS.includes(page))) {
    it(`${page} types no cache lifetime or cool-down`, () => {
      // Paragraphs and list items, so a sentence about Supabase is excused as a whole.
      const parts = prose(read(page)).split(/\n(?=\s*(?:- |\d+\. |\n))/);
      const lines = parts.filter((part) => typed.test(part) && !/Supabase/.test(part));
      expect(lines).toEqual([]);
    });
  }
});

describe('the migration guide (guides/migrate-to-key-set.mdx)', () => {
  const text = read('guides/migrate-to-key-set.mdx');
  const usage = readFileSync(new URL('../../../src/cli/verdict/main.ts', import.meta.url), 'utf8');

  it('uses only flags and profiles the verdict CLI knows', () => {
    const commands = [...text.matchAll(/npm run verdict -- ((?:\\\n|[^\n])*)/g)].map((match) => match[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      for (const [flag] of command.matchAll(/--[a-z][a-z-]*/g)) expect(usage, flag).toContain(`${flag} `);
      for (const [, profile] of command.matchAll(/--profile (\S+)/g)) expect(PROFILES).toContain(profile);
    }
  });

  it('uses only flags and profiles the conformance CLI knows', () => {
    const options = readFileSync(new URL('../../../src/cli/conformance/options.ts', import.meta.url), 'utf8');
    const commands = [...text.matchAll(/npm run conformance -- ((?:\\\n|[^\n])*)/g)].map((match) => match[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(1);
    expect(commands.join(' ')).toContain('--secret-env');
    for (const command of commands) {
      for (const [flag] of command.matchAll(/--([a-z][a-z-]*)/g)) expect(options, flag).toMatch(new RegExp(`['"]?${flag.slice(2)}['"]?: \\{ type:`));
      for (const [, profile] of command.matchAll(/--profile (\S+)/g)) expect(PROFILES).toContain(profile);
    }
  });

  it('names vectors that exist, with the answers the steps promise', () => {
    const named = new Set([...text.matchAll(/`((?:jwks|both)-[a-z0-9-]+)`/g)].map((match) => match[1]!));
    expect(named.size).toBeGreaterThanOrEqual(4);
    for (const name of named) expect(scenarioByName(name), name).toBeDefined();
    expect(scenarioByName('both-hs256-valid')?.expected).toEqual({ status: 200, code: null });
    expect(scenarioByName('both-eddsa-valid')?.expected).toEqual({ status: 200, code: null });
    expect(scenarioByName('jwks-hs256-token')?.expected).toEqual({ status: 401, code: 'unsupported_alg' });
  });

  it('walks hs256 → both → jwks in that order', () => {
    const both = text.indexOf('AUTH_PROFILE=both');
    const jwks = text.indexOf('AUTH_PROFILE=jwks');
    expect(both).toBeGreaterThan(0);
    expect(jwks).toBeGreaterThan(both);
    expect(text.indexOf('Wait out the last HS256 token')).toBeGreaterThan(both);
    expect(text.indexOf('Wait out the last HS256 token')).toBeLessThan(jwks);
  });
});

describe('every outcome row has its own example (outcomeScenario)', () => {
  it('fails exactly that row\'s check with that row\'s code', () => {
    for (const outcome of OUTCOMES) {
      const scenario = scenarioByName(outcomeScenario(outcome));
      expect(scenario?.check, `${outcome.check} ${outcome.code}`).toBe(outcome.check);
      expect(scenario?.expected).toEqual({ status: outcome.status, code: outcome.code });
    }
  });

  it('gives the two server_misconfigured rows (secret, key-source) different examples', () => {
    const rows = OUTCOMES.filter((outcome) => outcome.code === 'server_misconfigured');
    expect(rows.map((row) => row.check)).toEqual(['secret', 'key-source']);
    expect(new Set(rows.map(outcomeScenario)).size).toBe(2);
  });
});
