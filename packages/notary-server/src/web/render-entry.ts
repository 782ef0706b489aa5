/**
 * The entry page: the exact envelope, its statement pretty-printed, the signer, and an
 * inclusion proof against the latest checkpoint — plus the box the browser script
 * (/web/verify.js) fills in. Without JavaScript the box says the page was not verified.
 */
import type { EntryData } from './data.js';
import { escapeHtmlLines, html, jsonDataBlock, pathPart, type Html } from './html.js';
import { entryLink, packageHref } from './render.js';

function claimSummary(d: EntryData): Html {
  const c = d.claim;
  switch (c.type) {
    case 'audit':
      return html`${c.auditKind === 'delta' ? `delta audit ${c.from ?? '?'} → ${c.version}` : `full audit of ${c.version}`}
        of <a href="${packageHref(c.ecosystem, c.package)}">${c.ecosystem}/${c.package}</a> for ${c.criteria.join(', ')}`;
    case 'violation':
      return html`violation <code>${c.violation}</code> of
        <a href="${packageHref(c.ecosystem, c.package)}">${c.ecosystem}/${c.package}</a> for ${c.criteria.join(', ')}`;
    case 'revocation':
      return html`revocation of entry <code>${c.revokes}</code>`;
    default:
      return html`${c.type === 'auditor-add' ? 'adds' : 'removes'} auditor
        <a href="/auditors/${pathPart(c.keyid)}">${c.name}</a> (<code>${c.keyid}</code>)`;
  }
}

function signer(d: EntryData): Html {
  const s = d.signer;
  if (s.admin) return html`the notary's admin key <code>${s.keyid}</code>`;
  return html`<a href="/auditors/${pathPart(s.keyid)}">${s.name ?? s.keyid}</a> <code>${s.keyid}</code>, added in
    ${entryLink(s.addedAt)}`;
}

const VERIFY_BOX = html`<section aria-labelledby="verify" class="verify">
  <h2 id="verify">Verification</h2>
  <p id="verify-status" class="status unverified" role="status">
    Not verified: this page checks its own signatures and proof in your browser with JavaScript, which is off or has not
    run. What follows is what the server says.
  </p>
  <ol id="verify-steps"></ol>
  <div id="pin" hidden>
    <label for="pinned-key">Log verifier key to check the checkpoint against (pinned in this browser)</label>
    <input id="pinned-key" class="key" spellcheck="false" autocomplete="off" />
    <p>
      <button type="button" id="pin-save">Pin this key and verify</button>
      <button type="button" id="pin-copy">Copy</button> <span id="pin-note"></span>
    </p>
  </div>
</section>`;

export function renderEntry(d: EntryData): Html {
  const envelope = Buffer.from(d.envelope, 'base64').toString('utf8');
  return html`<h1>Entry #${d.index}</h1>
    <p>
      ${claimSummary(d)}${d.revokedBy !== undefined && html` — <strong>revoked</strong> by ${entryLink(d.revokedBy)}`}
    </p>
    ${VERIFY_BOX}
    <dl>
      <dt>Signed by</dt>
      <dd>${signer(d)}</dd>
      <dt>Signer's public key</dt>
      <dd><code class="key">${d.signer.publicKey ?? 'unknown'}</code></dd>
      <dt>Received</dt>
      <dd>${d.receivedAt ?? '—'}</dd>
      <dt>Leaf hash</dt>
      <dd><code class="digest">${d.leafHash}</code></dd>
    </dl>
    <section aria-labelledby="statement">
      <h2 id="statement">In-toto statement</h2>
      <pre class="json" tabindex="0">
${d.statement === undefined ? 'the payload is not JSON' : escapeHtmlLines(JSON.stringify(d.statement, null, 2))}</pre>
    </section>
    <section aria-labelledby="envelope">
      <h2 id="envelope">DSSE envelope (exact bytes)</h2>
      <pre class="json wrap" tabindex="0">${escapeHtmlLines(envelope)}</pre>
    </section>
    <section aria-labelledby="proof">
      <h2 id="proof">Inclusion proof</h2>
      <p>Entry ${d.index} in the tree of ${d.treeSize} entries (RFC 6962), ${d.inclusionProof.length} hashes:</p>
      <ol class="hashes">
        ${d.inclusionProof.map((h) => html`<li><code>${h}</code></li>`)}
      </ol>
      <h3>Checkpoint</h3>
      <pre class="note" tabindex="0">${escapeHtmlLines(d.checkpoint)}</pre>
      <p>
        The log's verifier key, as this server states it:
        ${d.verifierKeys.map((k) => html`<code class="key">${k}</code> `)}
      </p>
    </section>
    ${jsonDataBlock('vet-entry', d)}`;
}
