/** Renders what the token holds: coloured, labelled segments, the decoded header and payload, readable times. */
import { type AuthorizationInput, authorizationValues, parseAuthorization } from '../contract/verifier/authorization.ts';
import type { DecodedToken, SegmentView } from '../contract/codec/decode.ts';
import { decodeToken } from '../contract/codec/decode.ts';
import type { Evaluation } from '../contract/verifier/verify.ts';
import { compactJson } from './builder.ts';
import { h, patch } from './dom.ts';
import { timeClaimRows } from './time-claims.ts';
import { SEGMENT_SHOWN, clip, segmentMark, segmentStatus, segmentTitle } from './view-model.ts';

export interface TokenView {
  decoded?: DecodedToken;
  /** Which token is shown, when it is not simply "the" bearer token. */
  note?: string;
}

/** The token to show: the one the backend decoded, or, when it stopped earlier, the one the request carries. */
export function tokenView(evaluation: Evaluation, authorization: AuthorizationInput): TokenView {
  if (evaluation.decoded) return { decoded: evaluation.decoded };
  const values = authorizationValues(authorization);
  if (values.length === 0) return { note: 'No Authorization header: there is no token to decode.' };
  const first = parseAuthorization(values[0]!);
  const many = values.length > 1 ? `Shown: the token of the first of ${values.length} Authorization headers.` : undefined;
  if (first.kind === 'token') return { decoded: decodeToken(first.token), note: many };
  if (first.kind === 'missing' && first.reason === 'other-scheme' && first.scheme && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\./.test(first.scheme)) {
    return { decoded: decodeToken(first.scheme), note: 'The header value has no "Bearer " scheme; shown: the value read as a token.' };
  }
  return { note: many ?? 'The Authorization header carries no bearer token to decode.' };
}

function segmentText(segment: SegmentView): (Node | string)[] {
  const at = segment.problemAt;
  if (at === undefined || at < segment.start || at >= segment.start + Math.min(segment.text.length, SEGMENT_SHOWN)) return [clip(segment.text, SEGMENT_SHOWN)];
  const offset = at - segment.start;
  const char = String.fromCodePoint(segment.text.codePointAt(offset) ?? 0x20);
  return [
    segment.text.slice(0, offset),
    h('mark', { class: 'pg-bad' }, h('span', { class: 'pg-sr-only' }, 'problem here: '), char === ' ' ? '␣' : char),
    clip(segment.text.slice(offset + char.length), SEGMENT_SHOWN - offset),
  ];
}

/** The coloured token with a text label per segment, and one line per segment saying what it holds. */
export function renderSegments(tokenElement: Element | null, listElement: Element | null, view: TokenView, evaluation: Evaluation | null): void {
  const decoded = view.decoded;
  // The engine's evaluation speaks for the token it decoded, not for one shown from another header.
  const evaluated = evaluation && evaluation.decoded === decoded ? evaluation : null;
  const count = decoded?.segments.length ?? 0;
  const jsonHeader = decoded?.header !== undefined;
  patch(tokenElement, decoded ? decoded.token : '', () =>
    decoded
      ? decoded.segments.slice(0, 12).flatMap((segment, index) => [
          index > 0 ? h('span', { class: 'pg-dot' }, '.') : null,
          h(
            'span',
            { class: 'pg-seg', 'data-segment': segment.name ?? 'extra' },
            h('span', { class: 'pg-seg-name' }, segment.name ?? `extra ${segment.index + 1}`),
            ...segmentText(segment),
          ),
        ])
      : [],
  );
  const lines = decoded ? decoded.segments.slice(0, 12).map((segment) => [segment, segmentStatus(segment, evaluated, count, jsonHeader)] as const) : [];
  patch(listElement, `${view.note ?? ''}\n${lines.map(([, status]) => status).join('\n')}`, () => [
    view.note ? h('li', { class: 'pg-note' }, view.note) : null,
    ...lines.map(([segment, status]) => {
      const mark = segmentMark(segment, evaluated, count, jsonHeader);
      return h(
        'li',
        { 'data-segment': segment.name ?? 'extra', 'data-ok': mark.ok },
        h('span', { class: 'pg-icon', 'aria-hidden': 'true' }, mark.icon),
        ' ',
        h('strong', {}, segmentTitle(segment)),
        ` (${status}`.replace(': ', '): '),
      );
    }),
  ]);
}

const hex = (bytes: Uint8Array) => [...bytes.slice(0, 48)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ') + (bytes.length > 48 ? ' …' : '');

/** The readable form of a header or payload segment, and a note when it is broken. */
export function segmentBody(segment: SegmentView | undefined): { text: string; problem?: string } {
  if (!segment) return { text: '', problem: 'Missing.' };
  if (segment.decodedText !== undefined) {
    const json = segment.json;
    const lossless = json !== undefined && !segment.problem && JSON.stringify(json) === compactJson(segment.decodedText);
    return { text: lossless ? JSON.stringify(json, null, 2) : segment.decodedText, problem: segment.problem };
  }
  if (segment.bytes) return { text: `${segment.bytes.length} bytes: ${hex(segment.bytes)}`, problem: segment.problem };
  return { text: '', problem: segment.problem };
}

/** Header, payload and time claims. */
export function renderDecoded(
  refs: { header: Element | null; headerProblem: Element | null; payload: Element | null; payloadProblem: Element | null; times: Element | null },
  view: TokenView,
  now: number,
): void {
  for (const [index, body, problem] of [
    [0, refs.header, refs.headerProblem],
    [1, refs.payload, refs.payloadProblem],
  ] as const) {
    const segment = view.decoded?.segments[index];
    const notJwt = view.decoded !== undefined && view.decoded.segments.length !== 3 && view.decoded.header === undefined;
    const shown = notJwt
      ? { text: '', problem: `Not read: the string is not a JWT (${view.decoded!.segments.length} segment${view.decoded!.segments.length === 1 ? '' : 's'}, no JSON header).` }
      : view.decoded
        ? segmentBody(segment)
        : { text: '', problem: view.note ?? 'No token.' };
    const text = clip(shown.text, SEGMENT_SHOWN * 2);
    patch(body, text, () => [text === '' ? '(nothing to show)' : text]);
    patch(problem, shown.problem ?? '', () => (shown.problem ? [h('span', { class: 'pg-icon', 'aria-hidden': 'true' }, '✗'), ` ${shown.problem}`] : []));
    if (problem instanceof HTMLElement) problem.hidden = !shown.problem;
  }

  const rows = timeClaimRows(view.decoded?.payload, now);
  patch(refs.times, JSON.stringify(rows), () =>
    rows.length === 0
      ? [h('p', {}, view.decoded?.payload ? 'The payload has no iat, nbf or exp.' : 'No readable payload.')]
      : [
          h(
            'dl',
            { class: 'pg-times' },
            ...rows.flatMap((row) => [
              h('dt', {}, h('code', {}, row.name), ` (${row.meaning}) `, h('code', {}, row.raw)),
              row.numeric
                ? h(
                    'dd',
                    {},
                    h('span', { class: 'pg-relative' }, row.relative!),
                    h('br'),
                    `Your time: ${row.local}`,
                    h('br'),
                    `UTC: ${row.utc}`,
                  )
                : h('dd', {}, h('span', { class: 'pg-icon', 'aria-hidden': 'true' }, '✗'), ' Not a number of seconds: it cannot be read as a date.'),
            ]),
          ),
        ],
  );
}
