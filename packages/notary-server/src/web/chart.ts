/**
 * Submissions per day as a small inline SVG bar chart, drawn on the server (no script, no
 * inline style: colours come from the stylesheet's classes). Each bar carries a <title>
 * for screen readers and hover; the figure also has a text summary.
 */
import { html, type Html } from './html.js';
import { isoDay } from './time.js';

const W = 300;
const H = 80;

export function barChart(days: readonly { day: number; count: number }[], label: string): Html {
  const max = Math.max(1, ...days.map((d) => d.count));
  const bw = W / Math.max(1, days.length);
  const bars = days.map((d, i) => {
    const h = d.count === 0 ? 0 : Math.max(1, Math.round((d.count / max) * (H - 12)));
    return html`<rect
      class="bar"
      x="${(i * bw + 1).toFixed(1)}"
      y="${H - h}"
      width="${Math.max(1, bw - 2).toFixed(1)}"
      height="${h}"
      ><title>${isoDay(d.day)}: ${d.count}</title></rect
    >`;
  });
  const total = days.reduce((s, d) => s + d.count, 0);
  return html`<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">
      <line class="axis" x1="0" y1="${H - 0.5}" x2="${W}" y2="${H - 0.5}" />
      ${bars}
      <text class="max" x="2" y="10">${max}</text>
    </svg>
    <figcaption>${label}: ${total} in ${days.length} days (most in one day: ${max}).</figcaption>
  </figure>`;
}
