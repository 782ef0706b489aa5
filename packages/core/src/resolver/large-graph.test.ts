/** A 2,000-node npm graph, everything exempted (the shape of a large real project). */
import { describe, expect, it } from 'vitest';
import { bigGraph } from './__fixtures__/big-graph.js';
import { storeOf } from './__fixtures__/builders.js';
import { resolve } from './resolve.js';

describe('a large graph', () => {
  // Timing lives in bench/resolve-bench.mjs; this pins that the large case resolves correctly.
  it('resolves 2,000 exempted npm packages: every node vetted by its exemption', () => {
    const { graph, exemptions } = bigGraph(2000);
    const report = resolve({ graph, store: storeOf({ exemptions }) });
    expect(report.conclusion).toBe('success');
    expect(report.failures).toEqual([]);
    // Nodes no workspace member reaches need nothing and count as fully audited (spec §7.7).
    expect(report.vettedWithExemptions.length + report.vettedFully.length).toBe(2000);
    expect(report.vettedWithExemptions.length).toBeGreaterThan(1500);
  });
});
