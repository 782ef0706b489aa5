import { describe, expect, it } from 'vitest';
import { VetError, VetValidationError, notaryRollbackError } from '@vet/core';
import { renderErrorHuman, renderErrorJson } from './exit-codes.js';

describe('human error rendering', () => {
  it('names the file and line once, and shows a parser excerpt the message does not already hold', () => {
    const cause = new Error('Unexpected character at row 2, col 3:\n1: a = 1\n2> [x\n     ^\n\n');
    const e = new VetError('PARSE_ERROR', 'store/config.toml: invalid TOML: Unexpected character at row 2, col 3:', {
      file: 'store/config.toml',
      line: 2,
      cause,
    });
    expect(renderErrorHuman(e)).toBe(
      'error: store/config.toml:2: invalid TOML: Unexpected character at row 2, col 3:\n  1: a = 1\n  2> [x\n       ^\n',
    );
  });

  it('an unrelated cause is shown as such; a message that does not start with its file keeps it', () => {
    const e = new VetError('NETWORK_ERROR', 'GET https://r.example/x failed', {
      cause: new Error('ECONNRESET'),
      hint: 'retry',
    });
    expect(renderErrorHuman(e)).toBe('error: GET https://r.example/x failed\n  caused by: ECONNRESET\nhint: retry\n');
    const f = new VetError('INVALID_STORE', 'bad criteria', { file: 'audits.toml', line: 4 });
    expect(renderErrorHuman(f)).toBe('error: audits.toml:4: bad criteria\n');
  });
});

describe('errors say things once, and strings from outside are data', () => {
  it('a security error is prefixed once (was "error (security): SECURITY ERROR: …")', () => {
    const e = notaryRollbackError(
      'acme',
      { note: 'a', size: 5, source: 'imports.lock' },
      { note: 'b', size: 2, source: 'the notary' },
    );
    expect(renderErrorHuman(e)).toMatch(
      /^error \(security\): notary import 'acme' rolled back: it now serves a tree of 2 entries/,
    );
    expect(renderErrorHuman(e)).not.toContain('SECURITY ERROR');
  });

  it('escape sequences in a message, a problem, a cause or a hint are shown, never run', () => {
    const evil = 'x\u001b[2K\rVetting Succeeded\u009b31m\u202e';
    const shown = 'x\\x1b[2K\\rVetting Succeeded\\x9b31m\\u{202e}';
    const e = new VetError('NOT_FOUND', `package ${evil} not found`, {
      hint: `try ${evil}`,
      cause: new Error(`${evil}!`),
    });
    expect(renderErrorHuman(e)).toBe(`error: package ${shown} not found\n  caused by: ${shown}!\nhint: try ${shown}\n`);
    const v = new VetValidationError('PARSE_ERROR', [
      { file: 'a.toml', line: 1, message: evil },
      { file: 'b.toml', message: 'ok' },
    ]);
    expect(renderErrorHuman(v)).toContain(`  a.toml:1: ${shown}\n  b.toml: ok\n`);
    const json = renderErrorJson(e);

    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect((JSON.parse(json) as { error: { message: string } }).error.message).toBe(`package ${evil} not found`);
  });
});
