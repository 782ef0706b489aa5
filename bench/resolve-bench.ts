// The resolver alone: a 2,000-node npm graph with everything exempted (pure CPU, no I/O).
// Run: node --import tsx bench/resolve-bench.ts
import { bigGraph } from '../packages/core/src/resolver/__fixtures__/big-graph.js';
import { storeOf } from '../packages/core/src/resolver/__fixtures__/builders.js';
import { resolve } from '../packages/core/src/resolver/resolve.js';

const { graph, exemptions } = bigGraph(2000);
const store = storeOf({ exemptions });
resolve({ graph, store }); // warm-up
const cpu: number[] = [];
const wall: number[] = [];
for (let i = 0; i < 21; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  resolve({ graph, store });
  wall.push(performance.now() - t0);
  cpu.push(process.cpuUsage(c0).user / 1000);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `resolve(2,000 npm nodes, all exempted): median ${med(wall).toFixed(1)} ms wall, ${med(cpu).toFixed(1)} ms CPU`,
);
