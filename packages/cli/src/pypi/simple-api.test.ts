import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filesOfVersion, parseSimpleHtml } from './simple-api.js';

const H = 'a'.repeat(64);

describe('PEP 503 HTML project pages', () => {
  const page = 'https://idx.example/simple/demo/';

  it('reads files, hashes from the URL fragment, and data-yanked with and without a reason', () => {
    const html = `<!DOCTYPE html><html><body><h1>Links for demo</h1>
      <a href="../../files/demo-1.0.tar.gz#sha256=${H.toUpperCase()}">demo-1.0.tar.gz</a><br/>
      <A HREF="https://cdn.example/p/demo-1.0-py3-none-any.whl#sha256=${H}" data-requires-python="&gt;=3.8">demo-1.0-py3-none-any.whl</A>
      <a href="demo-2.0.tar.gz" data-yanked="">demo-2.0.tar.gz</a>
      <a href="demo-3.0.zip?x=1&amp;y=2" data-yanked="broken &amp; unsafe">demo-3.0.zip</a>
    </body></html>`;
    const p = parseSimpleHtml(html, page);
    expect(p.files).toEqual([
      {
        filename: 'demo-1.0.tar.gz',
        url: 'https://idx.example/files/demo-1.0.tar.gz',
        hashes: { sha256: H },
        yanked: false,
        version: '1.0',
      },
      {
        filename: 'demo-1.0-py3-none-any.whl',
        url: 'https://cdn.example/p/demo-1.0-py3-none-any.whl',
        hashes: { sha256: H },
        yanked: false,
        version: '1.0',
      },
      {
        filename: 'demo-2.0.tar.gz',
        url: 'https://idx.example/simple/demo/demo-2.0.tar.gz',
        hashes: {},
        yanked: '',
        version: '2.0',
      },
      {
        filename: 'demo-3.0.zip',
        url: 'https://idx.example/simple/demo/demo-3.0.zip?x=1&y=2',
        hashes: {},
        yanked: 'broken & unsafe',
        version: '3.0',
      },
    ]);
    expect(filesOfVersion(p, '1.0.0').map((f) => f.filename)).toEqual(['demo-1.0.tar.gz', 'demo-1.0-py3-none-any.whl']);
  });

  it('honours <base href>, skips anchors that name no distribution file, cannot be parsed or are not http(s)', () => {
    const html = `<base href="https://mirror.example/packages/"><a href="#">demo-1.0.tar.gz</a><a href="../">up</a>
      <a href="http://[bad">demo-4.0.tar.gz</a><a href="demo-1.0.tar.gz">demo-1.0.tar.gz</a><a>no href</a>
      <a href="ftp://mirror.example/demo-5.0.tar.gz">ftp</a><a href="data:text/plain,demo-6.0.tar.gz">data</a>`;
    expect(parseSimpleHtml(html, page).files.map((f) => f.url)).toEqual([
      'https://mirror.example/packages/demo-1.0.tar.gz',
    ]);
  });

  it('the file name comes from the URL, not the anchor text', () => {
    const html = '<a href="/f/demo-5.0.tar.gz">demo-6.0.tar.gz</a>';
    expect(parseSimpleHtml(html, page).files.map((f) => [f.filename, f.version])).toEqual([['demo-5.0.tar.gz', '5.0']]);
  });

  it('hostile markup never throws: whatever parses is a file with a distribution name', () => {
    const attr = fc.constantFrom('href', 'HREF', 'data-yanked', 'data-requires-python', 'x');
    const tag = fc.tuple(
      fc.constantFrom('a', 'A', 'base', 'div', 'script', '!--'),
      fc.array(
        fc.tuple(
          attr,
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom('demo-1.0.tar.gz', '../x-1.0.whl#sha256=ab', 'http://[bad', '#', '&amp;'),
          ),
        ),
      ),
      fc.string({ maxLength: 8 }),
    );
    const html = fc
      .array(tag, { maxLength: 12 })
      .map((ts) =>
        ts.map(([t, as, body]) => `<${t} ${as.map(([k, v]) => `${k}="${v}"`).join(' ')}>${body}</${t}>`).join(''),
      );
    fc.assert(
      fc.property(fc.oneof(html, fc.string({ maxLength: 200 })), (text) =>
        parseSimpleHtml(text, page).files.every((f) => f.version !== undefined && /^https?:/.test(f.url)),
      ),
      { numRuns: 300 },
    );
  });
});
