/**
 * Progress on stderr while fetching: a self-rewriting line on a terminal, and a single count line
 * otherwise (so CI logs and redirected output are not flooded).
 */

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  tick(detail?: string): void;
  done(): void;
}

export const silentProgress: Progress = { tick() {}, done() {} };

export function createProgress(stream: ProgressStream, total: number, label: string): Progress {
  let count = 0;
  if (!stream.isTTY) {
    if (total > 0) stream.write(`${label}: ${total} to fetch\n`);
    return { tick: () => void count++, done() {} };
  }
  const render = (detail?: string): void => {
    stream.write(`\r\x1b[K${label} ${count}/${total}${detail ? ` ${detail}` : ''}`);
  };
  render();
  return {
    tick(detail) {
      count++;
      render(detail);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
