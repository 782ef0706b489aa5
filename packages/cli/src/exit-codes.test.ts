import { describe, expect, it } from 'vitest';
import { VetError } from '@vet/core';
import { renderErrorHuman } from './exit-codes.js';

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
