/**
 * The notary's pages in a real browser: Debian's Chromium driven by playwright-core
 * (scripts/install-chromium.sh installs it; .ci/run calls that). The entry page verifies
 * itself with WebCrypto; tampered bytes, a wrong pinned key and JavaScript off each show
 * what they should; no CSP violation; readable at 375 px; axe-core finds no serious or
 * critical accessibility problem. Screenshots go to test-results/notary-pages/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateNoteSigner } from '@vet/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebLog, type WebLog } from './__fixtures__/web-log.js';
import { flipBase64, startTamperProxy, type Tamper } from './__fixtures__/tamper-proxy.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'test-results/notary-pages');
const SCRIPT = join(ROOT, 'packages/notary-server/dist/web/verify.js');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (run scripts/install-chromium.sh as root)`);
if (haveChromium && !existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run node scripts/bundle-web.mjs`);

let w: WebLog;
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  w = await startWebLog();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      '--no-first-run',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await w?.n.close();
});

interface Watched {
  page: Page;
  problems: string[];
}

/** A page whose console errors, CSP violations and script errors are collected. */
async function open(ctx: BrowserContext, url: string): Promise<Watched> {
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  return { page, problems };
}

async function status(page: Page): Promise<string> {
  await page.waitForSelector('#verify-status[data-state="done"]', { timeout: 15_000 });
  return ((await page.textContent('#verify-status')) ?? '').replace(/\s+/g, ' ').trim();
}

async function throughProxy(tamper: Tamper, run: (url: string) => Promise<void>): Promise<void> {
  const proxy = await startTamperProxy(w.n.url, tamper);
  try {
    await run(proxy.url);
  } finally {
    await proxy.close();
  }
}

describe.skipIf(!haveChromium)('entry page verifies itself in Chromium', () => {
  it('says "verified in your browser" for a real log entry, with no CSP violation', async () => {
    const ctx = await browser.newContext();
    const { page, problems } = await open(ctx, `${w.n.url}/entries/${w.idx.delta}`);
    expect(await status(page)).toMatch(/^Verified in your browser/);
    expect(await page.locator('#verify-steps li.ok').count()).toBe(3);
    // Pin the offered key: the next visit says it was checked against the pinned key.
    await page.click('#pin-save');
    await page.waitForSelector('#verify-status:has-text("against the key you pinned")');
    await page.reload();
    expect(await status(page)).toBe('Verified in your browser against the key you pinned.');
    await page.screenshot({ path: join(SCREENSHOTS, 'entry-verified.png'), fullPage: true });
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('a key pinned in localStorage that did not sign the checkpoint fails the checkpoint step', async () => {
    const ctx = await browser.newContext();
    const other = generateNoteSigner('notary.test/vet/log').verifierKey;
    await ctx.addInitScript(
      `localStorage.setItem(${JSON.stringify('vet-notary-pinned-key:notary.test/vet/log')}, ${JSON.stringify(other)})`,
    );
    const { page } = await open(ctx, `${w.n.url}/entries/${w.idx.full}`);
    expect(await status(page)).toMatch(/^Not verified: checkpoint signature: .*(no known key|not signed|signature)/i);
    expect(await page.inputValue('#pinned-key')).toBe(other);
    await ctx.close();
  });

  it('altered entry bytes, checkpoint and proof each show the exact failure', async () => {
    const cases: [string, Tamper, RegExp][] = [
      [
        'envelope',
        (d) => void (d.envelope = flipBase64(d.envelope as string)),
        /^Not verified: auditor's DSSE signature/,
      ],
      [
        'checkpoint',
        (d) =>
          void (d.checkpoint = (d.checkpoint as string).replace(
            /\n(\d+)\n/,
            (_m, n: string) => `\n${Number(n) + 1}\n`,
          )),
        /^Not verified: checkpoint signature: the Ed25519 signature does not verify/,
      ],
      [
        'proof',
        (d) => void ((d.inclusionProof as string[])[0] = flipBase64((d.inclusionProof as string[])[0] ?? '')),
        /^Not verified: inclusion proof: the proof leads to a root other than the signed checkpoint's/,
      ],
      [
        'leaf hash',
        (d) => void (d.leafHash = '00'.repeat(32)),
        /^Not verified: inclusion proof: the envelope's leaf hash is/,
      ],
    ];
    for (const [name, tamper, want] of cases) {
      await throughProxy(tamper, async (url) => {
        const ctx = await browser.newContext();
        const { page } = await open(ctx, `${url}/entries/${w.idx.full}`);
        expect(await status(page), name).toMatch(want);
        expect(await page.locator('#verify-steps li.fail').count(), name).toBe(1);
        if (name === 'envelope')
          await page.screenshot({ path: join(SCREENSHOTS, 'entry-tampered.png'), fullPage: true });
        await ctx.close();
      });
    }
  });
});

const PAGES: [string, () => string, string][] = [
  ['home', () => '/', 'Tree size'],
  ['package', () => '/packages/npm/left-pad', '1.1.0'],
  ['version', () => '/packages/npm/left-pad@1.1.0', 'Audit notes'],
  ['entry', () => `/entries/${w.idx.delta}`, 'Inclusion proof'],
  ['auditor', () => `/auditors/${encodeURIComponent(w.alice.keyid)}`, 'Approvals and violations'],
  ['search', () => '/search?q=left', 'left-pad'],
  ['pending', () => '/pending', 'release watch'],
];

describe.skipIf(!haveChromium)('every page in Chromium', () => {
  it('renders its data with JavaScript off, and the entry page says it was not verified', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    for (const [name, path, text] of PAGES) {
      const { page } = await open(ctx, `${w.n.url}${path()}`);
      expect(await page.textContent('main'), name).toContain(text);
      if (name === 'entry') {
        expect((await page.textContent('#verify-status'))?.replace(/\s+/g, ' ').trim()).toMatch(
          /^Not verified: .*JavaScript/,
        );
        await page.screenshot({ path: join(SCREENSHOTS, 'entry-no-js.png'), fullPage: true });
      }
    }
    await ctx.close();
  });

  it('fit a 375 px wide screen, send the CSP, break no CSP rule and pass axe-core', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 740 } });
    for (const [name, path] of PAGES) {
      const res = await fetch(`${w.n.url}${path()}`);
      expect(res.headers.get('content-security-policy'), name).toMatch(/script-src 'self'/);
      const { page, problems } = await open(ctx, `${w.n.url}${path()}`);
      if (name === 'entry') await status(page);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width, `${name} is ${width} px wide`).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-375px.png`), fullPage: true });
      // axe is injected over the DevTools protocol, which the page's CSP does not govern.
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const r = await (globalThis as any).axe.run();
        return r.violations
          .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
          .map((v: any) => `${v.id}: ${v.help} (${v.nodes.length})`);
      });
      expect(violations, name).toEqual([]);
      expect(problems, name).toEqual([]);
    }
    await ctx.close();
  });
});
