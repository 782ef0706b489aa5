/**
 * A minimal Prometheus text-format registry (exposition format 0.0.4): counters with
 * labels, gauges read at scrape time, and fixed-bucket histograms. No dependency needed
 * for the dozen series spec/notary.md §8 asks for.
 */
type Labels = Record<string, string>;

interface Series {
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(name: string): string[];
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const fmtLabels = (l: Labels) => {
  const keys = Object.keys(l).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${esc(l[k] ?? '')}"`).join(',')}}`;
};

export class Metrics {
  #series = new Map<string, Series>();

  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const values = new Map<string, number>();
    this.#series.set(name, {
      help,
      type: 'counter',
      render: (n) => (values.size === 0 ? [`${n} 0`] : [...values].map(([l, v]) => `${n}${l} ${v}`)),
    });
    return (labels = {}, by = 1) => {
      const key = fmtLabels(labels);
      values.set(key, (values.get(key) ?? 0) + by);
    };
  }

  gauge(name: string, help: string, read: () => number): void {
    this.#series.set(name, { help, type: 'gauge', render: (n) => [`${n} ${read()}`] });
  }

  histogram(name: string, help: string, buckets: number[]): (value: number) => void {
    const counts = buckets.map(() => 0);
    let sum = 0;
    let count = 0;
    this.#series.set(name, {
      help,
      type: 'histogram',
      render: (n) => [
        ...buckets.map((b, i) => `${n}_bucket{le="${b}"} ${counts[i]}`),
        `${n}_bucket{le="+Inf"} ${count}`,
        `${n}_sum ${sum}`,
        `${n}_count ${count}`,
      ],
    });
    return (value) => {
      sum += value;
      count += 1;
      for (let i = 0; i < buckets.length; i++) if (value <= (buckets[i] ?? 0)) counts[i] = (counts[i] ?? 0) + 1;
    };
  }

  render(): string {
    const out: string[] = [];
    for (const [name, s] of [...this.#series].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`, ...s.render(name));
    }
    return out.join('\n') + '\n';
  }
}
