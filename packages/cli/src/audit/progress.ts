/**
 * Progress on stderr while fetching: one self-rewriting line with the count done and the bytes
 * received, only on a terminal. Silent when stderr is not a TTY or `CI` is set (CI logs and
 * redirected output get no progress at all; the report says what happened).
 */
import { escapeText } from '@vet/core';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  tick(detail?: string): void;
  /** Bytes received (from the HTTP client). */
  bytes(n: number): void;
  done(): void;
}

export const silentProgress: Progress = { tick() {}, bytes() {}, done() {} };

/** `CI` set to anything but an empty string, `0` or `false`, as CI services set it. */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env['CI'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** `1.2 MiB`, `340 KiB`, `12 B`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function createProgress(
  stream: ProgressStream,
  total: number,
  label: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Progress {
  if (!stream.isTTY || isCi(env) || total === 0) return silentProgress;
  let count = 0;
  let received = 0;
  let last: string | undefined;
  const render = (): void => {
    stream.write(`\r\x1b[K${label} ${count}/${total}, ${formatBytes(received)}${last ? ` ${escapeText(last)}` : ''}`);
  };
  render();
  return {
    tick(detail) {
      count++;
      last = detail;
      render();
    },
    bytes(n) {
      received += n;
      render();
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
