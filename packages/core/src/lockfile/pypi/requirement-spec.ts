/**
 * One requirement as pip reads it: PEP 508 `name[extras] specifier ; marker`,
 * `name @ url ; marker`, or a bare URL / path / VCS link (`git+https://…@<sha>#egg=name`).
 */
import { parsePep440Specifiers, type Pep440Specifier } from '../../version/pep440.js';
import { parseMarker } from './markers.js';
import { fileNameOf, normalizePypiName } from './names.js';

export type ParsedRequirement =
  | { kind: 'named'; name: string; extras: string[]; specs: Pep440Specifier[]; marker?: string }
  | { kind: 'url'; name?: string; url: string; marker?: string };

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*/;
const URLISH = /^(?:[a-z][a-z0-9+.-]*:\/\/|[a-z]+\+[a-z]+:|\.{1,2}[\\/]|\/|[A-Za-z]:[\\/])/i;

function splitMarker(text: string, urlForm: boolean): { body: string; marker?: string } | string {
  // In the URL form the `;` must follow whitespace, since URLs may contain `;` (PEP 508).
  const i = urlForm ? text.search(/\s;/) : text.indexOf(';');
  if (i < 0) return { body: text.trim() };
  const marker = text.slice(text.indexOf(';', i) + 1).trim();
  const parsed = parseMarker(marker);
  if (!parsed.ok) return `bad environment marker "${marker}": ${parsed.reason}`;
  return { body: text.slice(0, i).trim(), marker };
}

/** `#egg=name` or the distribution file name: pip's ways of naming a bare URL. */
export function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url)?.[1];
  if (egg) return normalizePypiName(egg);
  const file = fileNameOf(url);
  const dist = file ? parseDistFileName(file) : undefined;
  return dist?.name;
}

/** Name and version from `name-1.0-py3-none-any.whl` or `name-1.0.tar.gz`. */
export function parseDistFileName(file: string): { name: string; version: string } | undefined {
  if (/\.whl$/i.test(file)) {
    const parts = file.split('-');
    return parts.length >= 5 && parts[0] && parts[1]
      ? { name: normalizePypiName(parts[0]), version: parts[1] }
      : undefined;
  }
  const stem = file.replace(/\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/i, '');
  if (stem === file) return undefined;
  const dash = stem.lastIndexOf('-');
  return dash > 0 ? { name: normalizePypiName(stem.slice(0, dash)), version: stem.slice(dash + 1) } : undefined;
}

export function parseRequirement(text: string): ParsedRequirement | string {
  if (URLISH.test(text)) {
    const split = splitMarker(text, true);
    if (typeof split === 'string') return split;
    const name = nameFromUrl(split.body);
    return {
      kind: 'url',
      url: split.body,
      ...(name ? { name } : {}),
      ...(split.marker ? { marker: split.marker } : {}),
    };
  }
  const m = NAME_RE.exec(text);
  if (!m || m[1] === undefined) return `"${text}" is not a requirement (expected a package name)`;
  const name = normalizePypiName(m[1]);
  const extras = (m[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const rest = text.slice(m[0].length);
  if (rest.startsWith('@')) {
    const split = splitMarker(rest.slice(1), true);
    if (typeof split === 'string') return split;
    if (split.body === '') return `"${text}": no URL after "@"`;
    return { kind: 'url', name, url: split.body, ...(split.marker ? { marker: split.marker } : {}) };
  }
  const split = splitMarker(rest, false);
  if (typeof split === 'string') return split;
  const specText = split.body.replace(/^\((.*)\)$/, '$1');
  const specs = parsePep440Specifiers(specText);
  if (typeof specs === 'string') return `${m[1]}: ${specs}`;
  if (specText.trim() === '*') return `${m[1]}: "*" is not a valid specifier in a requirements file`;
  return { kind: 'named', name, extras, specs, ...(split.marker ? { marker: split.marker } : {}) };
}

/** The exact pinned version (`==1.2.3` or `===1.2.3`), or undefined when not a lock. */
export function pinnedVersion(specs: Pep440Specifier[]): string | undefined {
  const only = specs.length === 1 ? specs[0] : undefined;
  if (!only || only.wildcard) return undefined;
  return only.op === '==' || only.op === '===' ? only.text : undefined;
}
