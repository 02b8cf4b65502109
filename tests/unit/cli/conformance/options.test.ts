/** parseOptions (src/cli/conformance/options.ts): every rule, in process. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE, parseOptions } from '../../../../src/cli/conformance/options.ts';
import { UsageError } from '../../../../src/cli/usage.ts';

const SECRET = 'a-test-secret-that-must-never-be-echoed-0123456789';
const BASE = ['--base-url', 'http://127.0.0.1:9'];

function refused(args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseOptions(args, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${args.join(' ')}`);
}

describe('conformance options: the rules kept from the single-file CLI', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['no --base-url', ['--secret', 's'], {}, /--base-url is required/],
    ['a base URL that is not a URL', ['--base-url', 'localhost:8000', '--secret', 's'], {}, /use an http:\/\/ or https:\/\/ URL|is not a URL/],
    ['no secret anywhere', BASE, {}, /--secret-env NAME, --secret-file PATH or the BETTER_AUTH_SECRET/],
    ['an empty secret', [...BASE, '--secret', ''], {}, /the secret is empty/],
    ['a user path without {user_id}', [...BASE, '--secret', 's', '--user-path', '/api/users/me'], {}, /no \{user_id\} placeholder/],
    ['a role path without a role', [...BASE, '--secret', 's', '--role-path', '/api/admin'], {}, /--role-path needs --role/],
    ['a role without a role path', [...BASE, '--secret', 's', '--role', 'admin'], {}, /--role needs --role-path/],
    ['a relative path', [...BASE, '--secret', 's', '--me-path', 'api/me'], {}, /must start with \//],
    ['an unknown option', [...BASE, '--secret', 's', '--verbose'], {}, /Unknown option '--verbose'/],
    ['an unknown scenario', [...BASE, '--secret', 's', '--scenario', 'nope'], {}, /no scenario named "nope"/],
    ['a bad timeout', [...BASE, '--secret', 's', '--timeout', '0'], {}, /--timeout/],
    ['a bad --max-time', [...BASE, '--secret', 's', '--max-time', 'soon'], {}, /--max-time: "soon" is not a positive number/],
    ['a bad --give-up-after', [...BASE, '--secret', 's', '--give-up-after', '0'], {}, /--give-up-after/],
    ['an unknown format', [...BASE, '--secret', 's', '--format', 'xml'], {}, /--format: "xml" is not text or github/],
    ['--same-origin with --origin', [...BASE, '--secret', 's', '--same-origin', '--origin', 'http://a.example'], {}, /--same-origin skips the CORS checks/],
  ];
  for (const [name, args, env, message] of cases) it(`refuses ${name}`, () => expect(refused(args, env)).toMatch(message));

  it('documents every exit code in the usage', () => {
    expect(USAGE).toMatch(/Exit codes: 0 all answers agree, 1 mismatches, 2 bad options, 3 cannot judge/);
  });
});

describe('conformance options: the secret (never in a message)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'conformance-options-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads --secret-env NAME', () => {
    expect(parseOptions([...BASE, '--secret-env', 'MY_API_SECRET'], { MY_API_SECRET: SECRET })?.secret).toBe(SECRET);
  });
  it('reads --secret-file PATH, dropping one trailing newline, relative to INIT_CWD', () => {
    writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`);
    expect(parseOptions([...BASE, '--secret-file', 'secret.txt'], { INIT_CWD: dir })?.secret).toBe(SECRET);
  });
  it('falls back to BETTER_AUTH_SECRET', () => {
    expect(parseOptions(BASE, { BETTER_AUTH_SECRET: SECRET })?.secret).toBe(SECRET);
  });
  it('refuses two sources, an unset variable, an unreadable file, without echoing the secret', () => {
    const messages = [
      refused([...BASE, '--secret', SECRET, '--secret-env', 'X'], { X: SECRET }),
      refused([...BASE, '--secret-env', 'NOT_SET_ANYWHERE'], {}),
      refused([...BASE, '--secret-env', 'EMPTY'], { EMPTY: '' }),
      refused([...BASE, '--secret-file', join(dir, 'missing.txt')], {}),
    ];
    expect(messages[0]).toMatch(/give the secret one way only, not --secret and --secret-env/);
    expect(messages[1]).toMatch(/the environment variable NOT_SET_ANYWHERE is not set/);
    expect(messages[2]).toMatch(/the secret is empty \(the environment variable EMPTY\)/);
    expect(messages[3]).toMatch(/--secret-file: cannot read .*missing\.txt \(ENOENT\)/);
    for (const message of messages) expect(message).not.toContain(SECRET);
  });
});

describe('conformance options: output paths, checked before the run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conformance-options-'));
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
  });
  afterAll(() => {
    chmodSync(join(dir, 'locked'), 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves relative paths against INIT_CWD (where npm was run), else the current directory', () => {
    mkdirSync(join(dir, 'out'));
    const again = parseOptions([...BASE, '--secret', 's', '--json', 'out/report.json', '--junit', 'report.xml'], { INIT_CWD: dir });
    expect(again?.json).toBe(join(dir, 'out', 'report.json'));
    expect(again?.junit).toBe(join(dir, 'report.xml'));
    expect(parseOptions([...BASE, '--secret', 's', '--json', 'r.json'], {})?.json).toBe(join(process.cwd(), 'r.json'));
  });
  it('refuses a missing folder, a folder as the file and the same file twice', () => {
    expect(refused([...BASE, '--secret', 's', '--json', join(dir, 'nope', 'r.json')])).toMatch(/--json: the folder .*nope does not exist/);
    expect(refused([...BASE, '--secret', 's', '--junit', dir])).toMatch(/is a folder; give a file name/);
    expect(refused([...BASE, '--secret', 's', '--json', 'a.json', '--junit', 'a.json'], { INIT_CWD: dir })).toMatch(/name the same file/);
  });
  it('refuses a folder that is not writable', () => {
    // Root writes to any folder whatever its mode; Linux refuses writes to /proc/sys even to root.
    const locked = process.getuid?.() === 0 ? '/proc/sys' : join(dir, 'locked');
    expect(refused([...BASE, '--secret', 's', '--json', join(locked, 'r.json')])).toBe(`--json: the folder ${locked} is not writable`);
  });
});
