/**
 * The vetted-only PyPI index (`/pypi/<criterion>/simple/`, issue 14): a PEP 503 HTML / PEP 691
 * JSON simple repository listing, per project, only the files whose sha256 an approval for
 * the criterion names and the archive holds. Links point at the archive with the file name as
 * the last path segment (pip takes the name, and so the wheel tags, from the URL) and carry
 * the sha256, so pip checks the bytes against the approval.
 */
import { createHash } from 'node:crypto';
import { artifactPath, normalizePypiName } from '@vet/core';
import { NotaryError } from '../errors.js';
import { approvedReleases, type ViewContext } from './approved.js';
import type { ViewDocument } from './npm.js';

export const PYPI_JSON = 'application/vnd.pypi.simple.v1+json';
const PYPI_HTML = 'application/vnd.pypi.simple.v1+html';

/** Which representation the Accept header asks for (PEP 691: JSON when preferred, else HTML). */
export function wantsPypiJson(accept: string | undefined): boolean {
  return (accept ?? '').includes(PYPI_JSON);
}

export function pypiProjectPage(
  ctx: ViewContext,
  criterion: string,
  rawName: string,
  o: { json: boolean; baseUrl: string },
): ViewDocument {
  const name = normalizePypiName(rawName);
  const releases = approvedReleases(ctx, 'pypi', name, criterion);
  if (releases.length === 0)
    throw new NotaryError('NOT_FOUND', `no release of ${name} is approved for ${criterion} here`);
  const files = releases.map((r) => ({
    filename: r.artifact.fileName,
    url: `${o.baseUrl}/${artifactPath({ algo: 'sha256', hex: r.artifact.sha256 })}/${r.artifact.fileName}`,
    hashes: { sha256: r.artifact.sha256 },
    size: r.artifact.size,
  }));
  if (o.json) {
    const versions = [...new Set(releases.map((r) => r.version))];
    return doc(JSON.stringify({ meta: { 'api-version': '1.1' }, name, versions, files }), PYPI_JSON);
  }
  const links = files.map((f) => `    <a href="${esc(f.url)}#sha256=${f.hashes.sha256}">${esc(f.filename)}</a><br/>`);
  return doc(page(`Links for ${name}`, links), PYPI_HTML);
}

export function pypiRoot(ctx: ViewContext, criterion: string, o: { json: boolean }): ViewDocument {
  const projects = [...ctx.state.byPackage.keys()]
    .filter((k) => k.startsWith('pypi/'))
    .map((k) => k.slice(5))
    .filter((name) => approvedReleases(ctx, 'pypi', name, criterion).length > 0)
    .sort();
  if (o.json)
    return doc(
      JSON.stringify({ meta: { 'api-version': '1.1' }, projects: projects.map((name) => ({ name })) }),
      PYPI_JSON,
    );
  return doc(
    page(
      'Simple index',
      projects.map((p) => `    <a href="${esc(p)}/">${esc(p)}</a><br/>`),
    ),
    PYPI_HTML,
  );
}

function page(title: string, lines: string[]): string {
  return `<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.1"><title>${esc(title)}</title></head>\n  <body>\n${lines.join('\n')}\n  </body>\n</html>\n`;
}

function doc(body: string, contentType: string): ViewDocument {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"` };
}

/** HTML text and attribute escaping: every string here came from outside. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
