/** The one stylesheet of the notary's pages (served as /web/style.css; no inline style anywhere). */
export const STYLE_CSS = `
/* The notary's pages: one small stylesheet, system fonts, readable at 375 px. */
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #555; --line: #ccc; --ok: #0a6b2d; --bad: #a1151b; --warn: #7a4b00; --link: #0645ad; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #141414; --muted: #aaa; --line: #444; --ok: #6fd08f; --bad: #ff8a8a; --warn: #f0c060; --link: #8ab4f8; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 0.75rem; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); overflow-wrap: anywhere; }
a { color: var(--link); }
header nav a { margin-right: 1rem; font-weight: 600; }
footer { margin-top: 2rem; color: var(--muted); font-size: 0.875rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin-top: 1.5rem; }
h3 { font-size: 1rem; }
dt { font-weight: 600; }
dd { margin: 0 0 0.5rem 0; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.85rem; }
pre { background: color-mix(in srgb, var(--fg) 6%, transparent); padding: 0.5rem; overflow-x: auto; }
pre.wrap, code.key, code.digest { white-space: pre-wrap; word-break: break-all; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 0.25rem; padding: 0 0.3rem; margin: 0 0.2rem 0.2rem 0; }
.eco { color: var(--muted); font-weight: normal; }
.chart svg { width: 100%; max-width: 30rem; height: auto; display: block; }
.chart .bar { fill: var(--link); }
.chart .axis { stroke: var(--line); }
.chart .max { fill: var(--muted); font-size: 8px; }
.chart figcaption { color: var(--muted); font-size: 0.875rem; }
figure { margin: 1rem 0; }
.verify { border: 2px solid var(--line); padding: 0.5rem 0.75rem; margin: 1rem 0; }
.status { font-weight: 600; }
.status.unverified { color: var(--warn); }
.status.verified { color: var(--ok); }
.status.failed { color: var(--bad); }
.ok::before { content: "✓ "; color: var(--ok); }
.fail::before { content: "✗ "; color: var(--bad); }
input { font: inherit; width: 100%; max-width: 40rem; padding: 0.25rem; }
input.key { font-family: ui-monospace, monospace; font-size: 0.8rem; }
button { font: inherit; padding: 0.25rem 0.75rem; margin: 0.25rem 0.25rem 0 0; }
form.search label { display: block; margin-bottom: 0.5rem; }
`;
