/**
 * Pending releases as an Atom feed (RFC 4287) an auditor can subscribe to: one entry per
 * release the watch found without an approval. Outside text is escaped as for HTML (the
 * same five entities are XML's), with control and bidi characters made visible.
 */
import type { pendingJson } from './data.js';
import { escapeHtml } from './html.js';

type Pending = ReturnType<typeof pendingJson>;

export function pendingAtom(origin: string, pending: readonly Pending[]): string {
  const x = escapeHtml;
  const updated = pending.reduce(
    (m, p) => (p.seenAt !== undefined && p.seenAt > m ? p.seenAt : m),
    '1970-01-01T00:00:00.000Z',
  );
  const entries = pending.map((p) => {
    const id = `${p.ecosystem}/${p.package}@${p.version}`;
    const href = `/packages/${p.ecosystem}/${encodeURIComponent(p.package).replace(/%2F/g, '/').replace(/%40/g, '@')}`;
    return `<entry><id>tag:vet-notary,2026:${x(origin)}:pending:${x(id)}</id><title>${x(`${p.ecosystem} ${p.package} ${p.version}`)}</title><updated>${x(p.seenAt ?? updated)}</updated>${p.publishedAt === undefined ? '' : `<published>${x(p.publishedAt)}</published>`}<link href="${x(href)}"/><summary>${x(`released ${p.publishedAt ?? 'at an unknown time'}; no approval in the log yet${p.suggestedFrom === undefined ? '' : ` (delta from ${p.suggestedFrom})`}`)}</summary></entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:vet-notary,2026:${x(origin)}:pending</id><title>${x(`Pending releases · ${origin}`)}</title><updated>${x(updated)}</updated><link href="/pending"/>${entries.join('')}</feed>
`;
}
