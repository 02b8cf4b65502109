/**
 * The CORS checks (contract v1.1): a browser on the app's origin must be able to call the API and read its
 * challenge. Skipped with --same-origin.
 * - preflight: OPTIONS with Origin, Access-Control-Request-Method GET and -Headers authorization must get a
 *   2xx before any authentication, allowing the origin and, by name, the Authorization header;
 * - exposed challenge: a cross-origin GET without a token must get its 401 with Access-Control-Allow-Origin
 *   and Access-Control-Expose-Headers naming WWW-Authenticate, or browser code cannot read error="...".
 * A 5xx is the server failing, never a CORS hint.
 */
import { type HttpAnswer, RequestFailure } from './http.ts';
import { type Answer, type Severity, answerOf } from './compare.ts';
import type { ConformanceOptions } from './options.ts';
import type { Result } from './result.ts';

export type Sender = (method: string, path: string, headers: [string, string][]) => Promise<HttpAnswer>;

const listed = (value: string | string[] | undefined, name: string, wildcard: boolean) => {
  const items = String(value ?? '')
    .toLowerCase()
    .split(',')
    .map((item) => item.trim());
  return items.includes(name) || (wildcard && items.includes('*'));
};

function allowsOrigin(reply: HttpAnswer, origin: string): boolean {
  const allowed = reply.headers['access-control-allow-origin'];
  return allowed === '*' || allowed === origin;
}

async function check(
  base: Pick<Result, 'name' | 'title'>,
  request: { method: string; path: string },
  expected: string,
  sender: () => Promise<HttpAnswer>,
  judge: (reply: HttpAnswer) => { severity: Severity; differences: string[] } | null,
): Promise<Result> {
  const started = Date.now();
  const common = { ...base, kind: 'cors' as const, check: 'cors', request: { ...request, authorizationHeaders: 0 }, expected: { text: expected } };
  let reply: HttpAnswer;
  try {
    reply = await sender();
  } catch (error) {
    const failure = error as RequestFailure;
    return { ...common, state: 'no-answer', actual: { status: null, failure: failure.message }, differences: [failure.message], ms: Date.now() - started };
  }
  const actual: Answer = answerOf(reply);
  const verdict = judge(reply);
  if (!verdict) return { ...common, state: 'passed', actual, differences: [], ms: Date.now() - started };
  return { ...common, state: 'mismatched', severity: verdict.severity, actual, differences: verdict.differences, ms: Date.now() - started };
}

export function preflight(path: string, options: ConformanceOptions, send: Sender): Promise<Result> {
  const expected = '2xx allowing the origin and Authorization';
  return check(
    { name: `preflight ${path}`, title: `CORS preflight of GET ${path} from ${options.origin}` },
    { method: 'OPTIONS', path },
    expected,
    () =>
      send('OPTIONS', path, [
        ['Origin', options.origin],
        ['Access-Control-Request-Method', 'GET'],
        ['Access-Control-Request-Headers', 'authorization'],
      ]),
    (reply) => {
      const status = reply.status;
      if (status === 401 || status === 403) {
        return { severity: 'availability', differences: [`the preflight was answered ${status}: authentication runs before CORS, so browsers block every call`] };
      }
      if (status >= 500) return { severity: 'status', differences: [`the preflight failed with ${status}: the server failed (see its log)`] };
      if (status < 200 || status >= 300) {
        return { severity: 'status', differences: [`the preflight got ${status}: browsers on ${options.origin} cannot call ${path} (is that origin allowed? --origin)`] };
      }
      const found: string[] = [];
      if (!allowsOrigin(reply, options.origin)) {
        found.push(`Access-Control-Allow-Origin is ${reply.headers['access-control-allow-origin'] ?? 'absent'}, not ${options.origin} (is that origin allowed?)`);
      }
      // A wildcard does not cover Authorization (Fetch standard): it must be named.
      if (!listed(reply.headers['access-control-allow-headers'], 'authorization', false)) {
        found.push(`Access-Control-Allow-Headers does not name Authorization (${reply.headers['access-control-allow-headers'] ?? 'absent'}; * does not cover it)`);
      }
      return found.length ? { severity: 'format', differences: found } : null;
    },
  );
}

export function exposedChallenge(options: ConformanceOptions, send: Sender): Promise<Result> {
  const path = options.mePath;
  return check(
    { name: `expose ${path}`, title: `Cross-origin 401 of GET ${path} exposes WWW-Authenticate` },
    { method: 'GET', path },
    '401 with Access-Control-Expose-Headers: WWW-Authenticate',
    () => send('GET', path, [['Origin', options.origin]]),
    (reply) => {
      if (reply.status >= 500) return { severity: 'status', differences: [`the request without a token failed with ${reply.status}: the server failed (see its log)`] };
      if (reply.status !== 401) {
        const severity: Severity = reply.status >= 200 && reply.status < 300 ? 'security' : 'status';
        return { severity, differences: [`status ${reply.status} instead of 401 for a request without a token`] };
      }
      const found: string[] = [];
      if (!allowsOrigin(reply, options.origin)) {
        found.push(`no Access-Control-Allow-Origin for ${options.origin}: a browser there cannot read the 401 (origin allowed? same-origin only: --same-origin)`);
      } else if (!listed(reply.headers['access-control-expose-headers'], 'www-authenticate', true)) {
        found.push('no Access-Control-Expose-Headers: WWW-Authenticate: browser code cannot read error="invalid_token"');
      }
      return found.length ? { severity: 'format', differences: found } : null;
    },
  );
}
