/**
 * HTML renderers: each takes the page's data object (data.ts) and prints only what is in
 * it, escaped by the `html` template. Links are built from outside text with pathPart.
 */
import type { ApprovalRow, auditorData, homeData, packageData, pendingData, searchData, versionData } from './data.js';
import { barChart } from './chart.js';
import { escapeHtmlLines, html, pathPart, type Html } from './html.js';
import { age } from './time.js';

type Home = ReturnType<typeof homeData>;
type Package = ReturnType<typeof packageData>;
type Version = ReturnType<typeof versionData>;
type Auditor = ReturnType<typeof auditorData>;
type Search = ReturnType<typeof searchData>;
type PendingPage = ReturnType<typeof pendingData>;

const day = (iso: string | undefined): string => (iso === undefined ? '—' : iso.slice(0, 10));
export const entryLink = (i: number | undefined): Html =>
  i === undefined ? html`—` : html`<a href="/entries/${i}">#${i}</a>`;
const auditorLink = (keyid: string, name: string): Html => html`<a href="/auditors/${pathPart(keyid)}">${name}</a>`;
export const packageHref = (eco: string, name: string): string => `/packages/${eco}/${pathPart(name)}`;

export function renderHome(d: Home): Html {
  const cp = d.checkpoint;
  return html`<h1>${d.origin}</h1>
    <section aria-labelledby="log">
      <h2 id="log">Log</h2>
      <dl>
        <dt>Tree size</dt>
        <dd>${d.treeSize} entries</dd>
        <dt>Latest checkpoint</dt>
        <dd>
          ${cp.ageSeconds === undefined ? 'empty log' : html`covers an entry received ${age(cp.ageSeconds * 1000)} ago (${cp.latestEntryAt})`}
        </dd>
        <dt>Witness cosignatures</dt>
        <dd>
          ${d.witnesses.length === 0 ? 'none' : d.witnesses.map((w) => html`<span class="tag">${w.name}</span> `)}
        </dd>
        <dt>Verifier key${d.verifierKeys.length > 1 ? 's' : ''}</dt>
        <dd>${d.verifierKeys.map((k) => html`<code class="key">${k}</code> `)}</dd>
      </dl>
      <pre class="note" tabindex="0" aria-label="latest checkpoint">${escapeHtmlLines(cp.note)}</pre>
      ${barChart(
        d.submissionsPerDay.map((x) => ({ day: Date.parse(x.day), count: x.count })),
        'Entries per day, last 30 days',
      )}
    </section>
    <section aria-labelledby="policy">
      <h2 id="policy">Policy</h2>
      <dl>
        <dt>Quorum</dt>
        <dd>${d.policy.quorum} distinct auditor${d.policy.quorum === 1 ? '' : 's'} per approval</dd>
        <dt>Cooldown</dt>
        <dd>${d.policy.cooldownDays === 0 ? 'none' : `${d.policy.cooldownDays} days after release`}</dd>
        <dt>Criteria offered</dt>
        <dd>${d.criteria.map((c) => html`<span class="tag">${c}</span> `)}</dd>
      </dl>
    </section>
    ${
      d.watch !== undefined &&
      html`<section aria-labelledby="watch">
        <h2 id="watch">Release watch</h2>
        ${watchHealth(d.watch)}
        <p><a href="/pending">Pending releases</a></p>
      </section>`
    }
    <section aria-labelledby="auditors">
      <h2 id="auditors">Auditors</h2>
      ${
        d.auditors.length === 0
          ? html`<p>No auditors yet.</p>`
          : html`<ul>
              ${d.auditors.map((a) => html`<li>${auditorLink(a.keyid, a.name)} <code>${a.keyid}</code>${a.active ? '' : ' (removed)'}</li>`)}
            </ul>`
      }
    </section>`;
}

function approvalCells(a: ApprovalRow): Html {
  const kind = a.kind === 'delta' ? html`delta from ${a.from ?? '?'}` : html`full`;
  const status =
    a.revokedBy !== undefined
      ? html`<strong>revoked</strong> by ${entryLink(a.revokedBy)}`
      : a.counted
        ? 'counted'
        : 'below quorum';
  return html`<td>${a.criteria.join(', ')}</td>
    <td>${auditorLink(a.signer, a.auditor)}</td>
    <td>${day(a.date)}</td>
    <td>${kind}</td>
    <td><code class="digest">${a.digest ?? '—'}</code></td>
    <td>${status}</td>
    <td>${entryLink(a.index)}</td>`;
}

const APPROVAL_HEAD = html`<tr>
  <th scope="col">Criteria</th>
  <th scope="col">Auditor</th>
  <th scope="col">Date</th>
  <th scope="col">Audit</th>
  <th scope="col">Digest</th>
  <th scope="col">Status</th>
  <th scope="col">Entry</th>
</tr>`;

export function renderPackage(d: Package): Html {
  const href = packageHref(d.ecosystem, d.name);
  return html`<h1><span class="eco">${d.ecosystem}</span> ${d.name}</h1>
    <section aria-labelledby="versions">
      <h2 id="versions">Approved versions</h2>
      ${
        d.versions.length === 0
          ? html`<p>No approvals.</p>`
          : d.versions.map(
              (v) =>
                html`<h3><a href="${href}@${pathPart(v.version)}">${v.version}</a></h3>
                  <div class="scroll" tabindex="0">
                    <table>
                      <thead>
                        ${APPROVAL_HEAD}
                      </thead>
                      <tbody>
                        ${v.approvals.map(
                          (a) =>
                            html`<tr>
                              ${approvalCells(a)}
                            </tr>`,
                        )}
                      </tbody>
                    </table>
                  </div>`,
            )
      }
    </section>
    <section aria-labelledby="violations">
      <h2 id="violations">Violations</h2>
      ${
        d.violations.length === 0
          ? html`<p>None.</p>`
          : html`<ul>
              ${d.violations.map((v) => html`<li><code>${v.range}</code> ${v.criteria.join(', ')} by ${v.auditor}, ${day(v.date)} ${entryLink(v.index)}${v.revokedBy !== undefined && html` (revoked by ${entryLink(v.revokedBy)})`}</li>`)}
            </ul>`
      }
    </section>
    <section aria-labelledby="revocations">
      <h2 id="revocations">Revocations</h2>
      ${
        d.revocations.length === 0
          ? html`<p>None.</p>`
          : html`<ul>
              ${d.revocations.map((r) => html`<li>${r.version}: ${entryLink(r.index)} revoked by ${entryLink(r.revokedBy)}</li>`)}
            </ul>`
      }
    </section>
    <section aria-labelledby="pending">
      <h2 id="pending">Pending releases</h2>
      ${
        !d.watched
          ? html`<p>Unknown: the release watch is not configured on this notary.</p>`
          : d.pending.length === 0
            ? html`<p>None: every release the registry lists up to the newest approved one is approved.</p>`
            : html`<ul>
                ${d.pending.map((p) => html`<li>${pendingLine(p)}</li>`)}
              </ul>`
      }
    </section>`;
}

export function renderVersion(d: Version): Html {
  return html`<h1>
      <a href="${packageHref(d.ecosystem, d.name)}"><span class="eco">${d.ecosystem}</span> ${d.name}</a> ${d.version}
    </h1>
    ${d.approvals.map(
      (a) =>
        html`<article class="approval">
          <h2>
            Entry ${entryLink(a.index)}:
            ${a.kind === 'delta' ? html`delta ${a.from ?? '?'} → ${a.version}` : html`full audit`}
          </h2>
          <div class="scroll" tabindex="0">
            <table>
              <thead>
                ${APPROVAL_HEAD}
              </thead>
              <tbody>
                <tr>
                  ${approvalCells(a)}
                </tr>
              </tbody>
            </table>
          </div>
          ${a.releasedAt !== undefined && html`<p>Released (as the auditor states): ${a.releasedAt}</p>`}
          <h3>Audit notes</h3>
          ${a.notes === undefined || a.notes === '' ? html`<p>No notes.</p>` : html`<pre class="notes" tabindex="0">${escapeHtmlLines(a.notes)}</pre>`}
        </article>`,
    )}`;
}

export function renderAuditor(d: Auditor): Html {
  return html`<h1>${d.name}</h1>
    <dl>
      <dt>Key id</dt>
      <dd><code>${d.keyid}</code></dd>
      <dt>Public key</dt>
      <dd><code class="key">${d.publicKey}</code></dd>
      <dt>Status</dt>
      <dd>${d.active ? 'active' : 'removed'}</dd>
      <dt>Registry changes</dt>
      <dd>${d.changes.map((c) => html`${c.change} by the admin in ${entryLink(c.index)} on ${day(c.date)}; `)}</dd>
    </dl>
    <section aria-labelledby="approvals">
      <h2 id="approvals">Approvals and violations, newest first</h2>
      ${d.approvals.length === 0 ? html`<p>None.</p>` : entriesTable(d.approvals)}
    </section>
    <section aria-labelledby="revs">
      <h2 id="revs">Revocations signed</h2>
      ${
        d.revocations.length === 0
          ? html`<p>None.</p>`
          : html`<ul>
              ${d.revocations.map((r) => html`<li>${entryLink(r.index)} revokes ${entryLink(r.revokes)}, ${day(r.date)}</li>`)}
            </ul>`
      }
    </section>`;
}

/** An audit or violation entry as the auditor and search pages list it. */
interface EntryRow {
  index: number;
  date: string | undefined;
  ecosystem: string;
  package: string;
  version: string | undefined;
  violation: string | undefined;
  criteria: readonly string[];
  revokedBy: number | undefined;
}

/** The table of entries, newest first as given; with `auditor`, a column naming who signed each. */
function entriesTable<R extends EntryRow>(rows: readonly R[], auditor?: (r: R) => Html): Html {
  return html`<div class="scroll" tabindex="0">
    <table>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Package</th>
          <th scope="col">Version</th>
          <th scope="col">Criteria</th>
          ${auditor && html`<th scope="col">Auditor</th>`}
          <th scope="col">Entry</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${day(r.date)}</td>
              <td><a href="${packageHref(r.ecosystem, r.package)}">${r.ecosystem}/${r.package}</a></td>
              <td>${r.version ?? html`violation <code>${r.violation ?? ''}</code>`}</td>
              <td>${r.criteria.join(', ')}</td>
              ${auditor && html`<td>${auditor(r)}</td>`}
              <td>${entryLink(r.index)}${r.revokedBy !== undefined && ' (revoked)'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function renderSearch(d: Search): Html {
  const q = d.query;
  return html`<h1>Search</h1>
    <form method="get" action="/search" class="search">
      <label>Package name starts with <input name="q" value="${q.prefix}" autocomplete="off" /></label>
      <label>Auditor (name or key id) <input name="auditor" value="${q.auditor}" /></label>
      <label>From <input name="from" type="date" value="${q.from ?? ''}" /></label>
      <label>To <input name="to" type="date" value="${q.to ?? ''}" /></label>
      <button type="submit">Search</button>
    </form>
    <p>${d.results.length}${d.more ? '+' : ''} entries.</p>
    ${d.results.length > 0 && entriesTable(d.results, (r) => auditorLink(r.signer, r.auditor))}`;
}

export function renderError(status: number, message: string): Html {
  return html`<h1>${status === 404 ? 'Not found' : 'Cannot show this page'}</h1>
    <p>${message}</p>
    <p><a href="/">Home</a></p>`;
}

function pendingLine(p: PendingPage['pending'][number]): Html {
  return html`<a href="${packageHref(p.ecosystem, p.package)}">${p.ecosystem}/${p.package}</a> ${p.version}, published
    ${p.publishedAt === undefined ? 'at a time the registry does not state' : day(p.publishedAt)}, seen
    ${day(p.seenAt)}${p.suggestedFrom !== undefined && html`; suggested delta from ${p.suggestedFrom}`}`;
}

function watchHealth(w: NonNullable<Home['watch']>): Html {
  return html`<ul>
    ${w.map(
      (h) =>
        html`<li>
          ${h.ecosystem}:
          ${
            h.stale
              ? html`<strong>stale</strong> (${h.failures} failed
                  ${h.failures === 1 ? 'poll' : 'polls'}${h.lastError !== undefined && html`: ${h.lastError.message}`};
                  last success ${h.lastOk ?? 'never'}) — new releases may be missing`
              : html`checked ${h.lastOk ?? ''}`
          }
        </li>`,
    )}
  </ul>`;
}

export function renderPending(d: PendingPage): Html {
  return html`<h1>Pending releases</h1>
    <p>
      Releases the registries list that the log has no approval of, oldest first. <a href="/pending.atom">Atom feed</a>
    </p>
    ${
      !d.watched
        ? html`<p>The release watch is not configured on this notary.</p>`
        : html`${watchHealth(d.registries ?? [])}
          ${
            d.pending.length === 0
              ? html`<p>None.</p>`
              : html`<ul>
                  ${d.pending.map((p) => html`<li>${pendingLine(p)}</li>`)}
                </ul>`
          }`
    }`;
}
