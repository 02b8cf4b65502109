/** Tiny DOM helpers. Text from tokens is only ever set as text, never parsed as HTML. */

type Child = Node | string | null | undefined | false;

/** Creates an element with attributes (class, data-*, aria-*...) and children. */
export function h(tag: string, attributes: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function setText(element: Element | null | undefined, text: string): void {
  if (element && element.textContent !== text) element.textContent = text;
}

const keys = new WeakMap<Element, string>();

/** Replaces an element's children, only when `key` (a summary of what they show) changed. */
export function patch(element: Element | null | undefined, key: string, build: () => Child[]): void {
  if (!element || keys.get(element) === key) return;
  keys.set(element, key);
  element.replaceChildren(...(build().filter((child) => child !== null && child !== undefined && child !== false) as (Node | string)[]));
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** Sets a control's value unless it already has it, or unless the reader is typing into that control. */
export function syncValue(control: Control | null | undefined, value: string, source: EventTarget | null): void {
  if (control && control !== source && control.value !== value) control.value = value;
}

export function show(element: Element | null | undefined, visible: boolean): void {
  if (element instanceof HTMLElement && element.hidden === visible) element.hidden = !visible;
}
