/**
 * `vet certify <pkg> <version> [<version2>]`: record a full audit of <version>, or a delta
 * audit <version> -> <version2>. Shows the criteria text and asks unless --accept-all.
 * Afterwards the package's exemptions that the new audit makes unnecessary are removed.
 */
import { SAFE_TO_DEPLOY, VetError, builtinCriteriaDescription, resolve, type AuditEntry, type Store } from '@vet/core';
import { loadProject, type GlobalOptions, type LoadedProject } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { mutateStore } from '../store-tx.js';
import { defaultWho } from '../who.js';
import { pruneExemptionsFor } from './prune.js';

export interface CertifyOptions {
  pkg: string;
  version: string;
  version2?: string;
  criteria?: string[];
  who?: string[];
  notes?: string;
  acceptAll?: boolean;
  force?: boolean;
  /** Notary (import name or URL) to submit the signed audit to. */
  submit?: string;
  keyFile?: string;
  token?: string;
}

export function buildAudit(o: CertifyOptions, criteria: string[], who: string[]): AuditEntry {
  const base = {
    who,
    criteria,
    importable: true,
    aggregatedFrom: [] as string[],
    ...(o.notes ? { notes: o.notes } : {}),
  };
  return o.version2 === undefined
    ? { ...base, kind: 'full', version: o.version }
    : { ...base, kind: 'delta', delta: { from: o.version, to: o.version2 } };
}

/** Criteria to certify when --criteria is absent: what the package is missing now, else safe-to-deploy. */
export function guessCriteria(p: LoadedProject, pkg: string, version: string): string[] {
  const report = resolve({ graph: p.graph, store: p.store, scheme: p.scheme, today: p.today });
  const failure = report.failures.find((f) => f.node.name === pkg && f.node.version === version);
  return failure ? [...failure.missingCriteria] : [SAFE_TO_DEPLOY];
}

export function criteriaText(store: Store, name: string): string {
  const custom = store.audits.criteria[name];
  if (custom) return custom.description ?? `(described at ${custom.descriptionUrl ?? 'an unknown URL'})`;
  return builtinCriteriaDescription(name) ?? '(unknown criteria)';
}

export async function runCertify(g: GlobalOptions, io: CommandIO, o: CertifyOptions): Promise<number> {
  const p = await loadProject(g, io);
  for (const v of [o.version, o.version2]) {
    const bad = v === undefined ? undefined : p.scheme.validate(v);
    if (bad) throw new VetError('INVALID_VERSION', `${v}: ${bad}`);
  }
  const inGraph = p.graph.nodes.some((n) => n.name === o.pkg);
  if (!inGraph && !o.force) {
    throw new VetError('INVALID_ARGUMENT', `${o.pkg} is not a dependency of this project`, {
      hint: 'check the spelling, or pass --force to record the audit anyway',
    });
  }
  const criteria = o.criteria?.length ? o.criteria : guessCriteria(p, o.pkg, o.version2 ?? o.version);
  for (const c of criteria) {
    if (!p.store.audits.criteria[c] && !builtinCriteriaDescription(c)) {
      throw new VetError('CRITERIA_ERROR', `unknown criteria '${c}'`, {
        hint: `known criteria: safe-to-run, safe-to-deploy${Object.keys(p.store.audits.criteria)
          .map((k) => `, ${k}`)
          .join('')}`,
      });
    }
  }
  const who = o.who?.length ? o.who : [defaultWho(g.cwd) ?? ''].filter((w) => w !== '');
  const what =
    o.version2 === undefined ? `${o.pkg}:${o.version}` : `the changes of ${o.pkg} from ${o.version} to ${o.version2}`;
  if (!o.acceptAll) {
    if (!io.interactive) {
      throw new VetError('INVALID_ARGUMENT', 'certify needs confirmation, but stdin is not a terminal', {
        hint: 'pass --accept-all to certify without a prompt',
      });
    }
    for (const c of criteria) io.err(`\n${c}:\n${indent(criteriaText(p.store, c))}\n`);
    const answer = await io.prompt(
      `\nI, ${who.join(', ') || '(unknown)'}, certify that I have audited ${what} in accordance with the above criteria. [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) throw new VetError('USER_ABORTED', 'nothing was recorded');
  }
  const audit = buildAudit(o, criteria, who);
  // Submit first: if the notary refuses, nothing is recorded and the command can simply be rerun.
  if (o.submit !== undefined) await submit(p, io, o, audit, g.cacheDir);
  await mutateStore(p.ref.storeDir, (store) => {
    (store.audits.audits[o.pkg] ??= []).push(audit);
    pruneExemptionsFor({ ...p, store }, o.pkg);
  });
  io.err(`Recorded ${o.version2 === undefined ? 'a full' : 'a delta'} audit of ${what} for ${criteria.join(', ')}.\n`);
  return EXIT_OK;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

async function submit(
  p: LoadedProject,
  io: CommandIO,
  o: CertifyOptions,
  audit: AuditEntry,
  cacheDir: string | undefined,
): Promise<void> {
  const token = o.token ?? io.env['VET_NOTARY_TOKEN'];
  if (!token) {
    throw new VetError('INVALID_ARGUMENT', '--submit needs the bearer token the notary operator issued you', {
      hint: 'pass --token TOKEN or set VET_NOTARY_TOKEN',
    });
  }
  const { submitToNotary, defaultAuditorKeyPath } = await import('../notary/index.js');
  const { openPackageSource } = await import('../package-source.js');
  const source = await openPackageSource({
    ecosystem: p.ref.ecosystem,
    graph: p.graph,
    lockfile: p.ref.lockfile,
    env: io.env,
    ...(cacheDir ? { cacheDir } : {}),
  });
  try {
    await submitToNotary({
      audit,
      pkg: o.pkg,
      storeDir: p.ref.storeDir,
      graph: p.graph,
      notaryUrl: o.submit!,
      keyFile: o.keyFile ?? defaultAuditorKeyPath(io.env),
      token,
      io,
      artifact: (version, digest) => source.artifact(o.pkg, version, digest),
    });
  } finally {
    await source.close();
  }
}
