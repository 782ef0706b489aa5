/**
 * The page shell every HTML page shares, and the headers that go with it: a strict
 * Content-Security-Policy (no inline script or style; the one script and the one stylesheet
 * are files of this server), no external host anywhere, a viewport for phones.
 */
import { html, type Html } from './html.js';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const HTML_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
  vary: 'accept',
};

export function page(title: string, origin: string, main: Html, opts: { script?: boolean } = {}): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${origin}</title>
        <link rel="stylesheet" href="/web/style.css" />
        ${opts.script === true && html`<script type="module" src="/web/verify.js"></script>`}
      </head>
      <body>
        <header>
          <nav aria-label="site">
            <a href="/">${origin}</a> <a href="/search">Search</a> <a href="/pending">Pending</a>
          </nav>
        </header>
        <main>${main}</main>
        <footer>
          <p>
            A vet notary: an append-only, signed log of package audits. Every page is also JSON (<code
              >Accept: application/json</code
            >).
          </p>
        </footer>
      </body>
    </html> `.text;
}
