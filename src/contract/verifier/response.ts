/** The HTTP response a verdict stands for, and a curl command that asks for it, as text. */
import { type AuthorizationInput, authorizationValues } from './authorization.ts';
import { ACTION_TEXT, type FrontendAction, OUTCOMES, STATUS_TEXT } from '../data/contract.ts';
import type { Verdict } from './verify.ts';

/** The exact response the backend must send: status line, WWW-Authenticate when there is one, JSON body. */
export function formatResponse(verdict: Pick<Verdict, 'status' | 'wwwAuthenticate' | 'body'>): string {
  const lines = [`HTTP/1.1 ${verdict.status} ${STATUS_TEXT[verdict.status]}`];
  if (verdict.wwwAuthenticate) lines.push(`WWW-Authenticate: ${verdict.wwwAuthenticate}`);
  lines.push('Content-Type: application/json', '');
  lines.push(verdict.body ? JSON.stringify(verdict.body) : '(the route\'s own JSON)');
  return lines.join('\n');
}

/** What the frontend should do with this answer. */
export function frontendAction(verdict: Pick<Verdict, 'code'>): { action: FrontendAction; text: string } {
  const action = verdict.code ? OUTCOMES.find((outcome) => outcome.code === verdict.code)!.action : 'none';
  return { action, text: ACTION_TEXT[action] };
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command that sends the same Authorization header(s) to a URL. */
export function curlCommand(authorization: AuthorizationInput, url: string): string {
  const values = authorizationValues(authorization);
  const headers = values.map((value) => ` \\\n  -H ${shellQuote(`Authorization: ${value}`)}`).join('');
  return `curl -i${headers} \\\n  ${shellQuote(url)}`;
}
