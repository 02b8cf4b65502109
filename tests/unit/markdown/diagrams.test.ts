import { describe, expect, it } from 'vitest';
import { parseSequenceDiagram } from '../../../src/markdown/diagrams';

describe('parseSequenceDiagram', () => {
  it('reads the text alternative and the messages with participant names', () => {
    const parsed = parseSequenceDiagram(`sequenceDiagram
      accTitle: Refresh
      accDescr: The browser refreshes once.
      participant B as Browser
      participant F as FastAPI
      B->>F: GET /api/me
      alt token expired
        F-->>B: 401 invalid_token
      else valid
        F-->>B: 200
      end
      Note over B,F: done`);
    expect(parsed.title).toBe('Refresh');
    expect(parsed.description).toBe('The browser refreshes once.');
    expect(parsed.steps.map((s) => s.text)).toEqual([
      'Browser → FastAPI: GET /api/me',
      'If token expired:',
      'Otherwise valid:',
      'Note (Browser and FastAPI): done',
    ]);
    expect(parsed.steps[1]!.children.map((s) => s.text)).toEqual(['FastAPI ⇢ Browser: 401 invalid_token']);
  });

  it('returns no title when accTitle is missing, so the build can refuse the diagram', () => {
    expect(parseSequenceDiagram('sequenceDiagram\n A->>B: hi').title).toBe('');
  });
});
