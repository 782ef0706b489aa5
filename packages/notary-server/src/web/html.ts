/**
 * HTML from strings we did not write: every interpolated value is escaped unless it is
 * already `Html`. Outside text first goes through core's escapeText (control, bidi and
 * separator characters become visible escapes, so a name cannot reorder or hide what
 * follows it), then the five HTML-significant characters become entities.
 */
import { escapeText } from '@vet/core';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | undefined | null | false | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** One line of outside text as HTML text or attribute value. */
export function escapeHtml(s: string): string {
  return escapeText(s).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Outside text whose newlines are meant (notes): each line escaped, breaks kept for <pre>. */
export function escapeHtmlLines(s: string): Html {
  return new Html(s.replace(/\r\n/g, '\n').split('\n').map(escapeHtml).join('\n'));
}

function render(v: HtmlValue): string {
  if (v instanceof Html) return v.text;
  if (v === undefined || v === null || v === false) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return escapeHtml(v);
  return v.map(render).join('');
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** A path segment of a link built from outside text (a package name may hold `/`, `#`, `?`). */
export function pathPart(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%40/g, '@');
}

/** JSON inside a `<script type="application/json">` data block: `<` can never close it. */
export function jsonDataBlock(id: string, value: unknown): Html {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Html(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}
