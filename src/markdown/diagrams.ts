/**
 * Build-time Mermaid diagrams, in two rehype steps around rehype-mermaid:
 *
 * - `rehypeDiagramFigures` (before): turns each ```mermaid fence into a <figure> holding a
 *   `<pre class="mermaid">` for rehype-mermaid, a caption, and the diagram's steps as an ordered list
 *   (the text alternative). A diagram without `accTitle:` and `accDescr:` fails the build.
 * - `rehypeDiagramStyles` (after): removes the <style> element Mermaid writes into every SVG, so the
 *   site's own stylesheet colours the diagram in both themes (and no inline stylesheet needs a CSP hash).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

type Parent = Root | Element;

function textOf(node: ElementContent | RootContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function classList(element: Element): string[] {
  const value: unknown = element.properties?.className;
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(/\s+/) : [];
}

function isMermaidFence(node: RootContent | ElementContent): node is Element {
  if (node.type !== 'element' || node.tagName !== 'pre') return false;
  const code = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
  return !!code && classList(code).includes('language-mermaid');
}

const h = (tagName: string, properties: Element['properties'], children: ElementContent[]): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const text = (value: string): ElementContent => ({ type: 'text', value });

export interface DiagramStep {
  text: string;
  children: DiagramStep[];
}

export interface ParsedDiagram {
  title: string;
  description: string;
  steps: DiagramStep[];
}

const ARROW = /^(.+?)\s*(-->>|->>|-->|->|--x|-x|--\)|-\))([+-]?)\s*(.+?)\s*:\s*(.*)$/;

/** Reads the accessibility title, description and the messages of a sequence diagram. */
export function parseSequenceDiagram(source: string): ParsedDiagram {
  const names = new Map<string, string>();
  const root: DiagramStep[] = [];
  const stack: DiagramStep[][] = [root];
  let title = '';
  let description = '';
  const push = (step: DiagramStep) => stack[stack.length - 1]!.push(step);
  const name = (id: string) => names.get(id.trim()) ?? id.trim();

  for (const raw of source.split('\n')) {
    const line = raw.trim();
    let match: RegExpMatchArray | null;
    if (!line || line.startsWith('%%') || line === 'sequenceDiagram' || line === 'autonumber') continue;
    if ((match = line.match(/^accTitle\s*:\s*(.+)$/))) title = match[1]!.trim();
    else if ((match = line.match(/^accDescr\s*:\s*(.+)$/))) description = match[1]!.trim();
    else if ((match = line.match(/^(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$/)))
      names.set(match[1]!, (match[2] ?? match[1]!).replace(/<br\s*\/?>/g, ' ').trim());
    else if ((match = line.match(/^(alt|opt|loop|par|critical|break|rect)\b\s*(.*)$/))) {
      const label = match[1] === 'rect' ? '' : match[2]!.trim();
      const kind = { alt: 'If', opt: 'Optionally, if', loop: 'Repeat', par: 'In parallel', critical: 'Critical', break: 'Stop if', rect: '' }[match[1]!];
      const step: DiagramStep = { text: [kind, label].filter(Boolean).join(' ') + (match[1] === 'rect' ? '' : ':'), children: [] };
      if (match[1] === 'rect') {
        // a highlighted region: its steps stay at the same level
        stack.push(stack[stack.length - 1]!);
      } else {
        push(step);
        stack.push(step.children);
      }
    } else if ((match = line.match(/^(else|and)\b\s*(.*)$/))) {
      stack.pop();
      const step: DiagramStep = { text: `${match[1] === 'else' ? 'Otherwise' : 'And'}${match[2] ? ` ${match[2].trim()}` : ''}:`, children: [] };
      push(step);
      stack.push(step.children);
    } else if (line === 'end') {
      if (stack.length > 1) stack.pop();
    } else if ((match = line.match(/^Note\s+(?:over|left of|right of)\s+([^:]+):\s*(.*)$/i))) {
      const who = match[1]!.split(',').map(name).join(' and ');
      push({ text: `Note (${who}): ${match[2]!.replace(/<br\s*\/?>/g, ' ')}`, children: [] });
    } else if ((match = line.match(ARROW))) {
      const reply = match[2]!.startsWith('--');
      push({
        text: `${name(match[1]!)} ${reply ? '⇢' : '→'} ${name(match[4]!)}: ${match[5]!.replace(/<br\s*\/?>/g, ' ')}`,
        children: [],
      });
    }
  }
  return { title, description, steps: root };
}

function stepList(steps: DiagramStep[]): Element {
  return h(
    'ol',
    {},
    steps.map((step) => h('li', {}, step.children.length ? [text(step.text), stepList(step.children)] : [text(step.text)])),
  );
}

function visit(parent: Parent, replace: (node: Element, parent: Parent, index: number) => void) {
  parent.children.forEach((child, index) => {
    if (child.type !== 'element') return;
    replace(child, parent, index);
    visit(parent.children[index] as Element, replace);
  });
}

export function rehypeDiagramFigures() {
  return (tree: Root, file: { path?: string }) => {
    visit(tree, (node, parent, index) => {
      if (!isMermaidFence(node)) return;
      const source = textOf(node);
      const diagram = parseSequenceDiagram(source);
      if (!diagram.title || !diagram.description) {
        throw new Error(
          `${file.path ?? 'a page'}: every mermaid diagram needs "accTitle:" and "accDescr:" lines (its text alternative).`,
        );
      }
      parent.children[index] = h('figure', { className: ['diagram'] }, [
        // Diagrams keep their natural size; narrow screens scroll them, so the scroller must be focusable.
        h('div', { className: ['diagram-scroll'], tabIndex: 0, role: 'region', ariaLabel: `Diagram: ${diagram.title}` }, [
          h('pre', { className: ['mermaid'] }, [text(source)]),
        ]),
        h('figcaption', {}, [text(diagram.title)]),
        h('details', { className: ['diagram-steps'] }, [
          h('summary', {}, [text('The same steps as text')]),
          stepList(diagram.steps),
        ]),
      ]);
    });
  };
}

export function rehypeDiagramStyles() {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.tagName !== 'svg' || !String(node.properties?.id ?? '').startsWith('mermaid-')) return;
      node.children = node.children.filter((child) => !(child.type === 'element' && child.tagName === 'style'));
      node.properties = { ...node.properties, className: ['diagram-svg'] };
    });
  };
}
