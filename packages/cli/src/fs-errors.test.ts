import { describe, expect, it } from 'vitest';
import { isVetError } from '@vet/core';
import { exitCodeFor, renderErrorHuman } from './exit-codes.js';
import { asIoError } from './fs-errors.js';

function errno(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: boom, ${syscall} '${path ?? ''}'`), {
    code,
    syscall,
    ...(path === undefined ? {} : { path }),
  });
}

describe('asIoError', () => {
  it.each(['EACCES', 'ENOTDIR', 'EISDIR', 'ENOSPC', 'EROFS', 'EPERM', 'EEXIST'])(
    '%s becomes IO_ERROR, exit 2, one line naming the path',
    (code) => {
      const e = asIoError(errno(code, 'open', '/p/x.json'));
      expect(isVetError(e) && e.code).toBe('IO_ERROR');
      expect(exitCodeFor(e)).toBe(2);
      const text = renderErrorHuman(e);
      expect(text).toMatch(new RegExp(`^error: cannot read /p/x\\.json: .* \\(${code}\\)\\nhint: `));
      expect(text).not.toContain('internal error');
    },
  );

  it('says what it did: write, create the directory', () => {
    expect((asIoError(errno('EROFS', 'write', '/ro/f')) as Error).message).toMatch(
      /^cannot write \/ro\/f: read-only|^cannot write \/ro\/f: the file system is read-only/,
    );
    expect((asIoError(errno('ENOSPC', 'mkdir', '/d')) as Error).message).toBe(
      'cannot create the directory /d: no space left on the device (ENOSPC)',
    );
  });

  it('leaves other errors alone (a bug stays a bug)', () => {
    const bug = new TypeError('x is not a function');
    expect(asIoError(bug)).toBe(bug);
    expect(exitCodeFor(asIoError(bug))).toBe(3);
  });
});
