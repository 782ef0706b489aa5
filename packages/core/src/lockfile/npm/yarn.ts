/**
 * yarn.lock reader: classic v1 and Berry, both parsed by `@yarnpkg/parsers` parseSyml
 * (spec lockfiles.md §3, §4, §13). Berry is recognised by its `__metadata` entry.
 */
import { parseSyml } from '@yarnpkg/parsers';
import type { DependencyGraph } from '../../graph.js';
import { GraphBuilder } from './builder.js';
import type { NpmManifests } from './manifest.js';
import { asRecord, guarded, isRecord, lineAt, parseError, unsupported, type Json } from './text.js';
import { readYarnBerry } from './yarn-berry.js';
import { readYarnV1 } from './yarn-v1.js';
import { checkNesting } from '../../nesting.js';

/** `manifests`: root package.json under '' plus each workspace member's, keyed by directory. */
export function parseYarnLock(text: string, fileName: string, manifests: NpmManifests): DependencyGraph {
  return guarded(fileName, 'PARSE_ERROR', () => {
    const data = parseSymlText(text, fileName);
    const b = new GraphBuilder();
    const metadata = data['__metadata'];
    if (isRecord(metadata)) {
      const version = metadata['version'];
      if (typeof version !== 'number' && typeof version !== 'string') {
        throw unsupported('yarn.lock __metadata has no version', fileName, undefined);
      }
      readYarnBerry(data, manifests, b);
      return b.build(fileName, `yarn berry v${String(version)}`);
    }
    if (!/^# yarn lockfile v1\s*$/m.test(text.slice(0, 500))) {
      b.warn('yarn.lock has neither "# yarn lockfile v1" nor __metadata; read as yarn classic v1');
    }
    readYarnV1(data, manifests, b);
    return b.build(fileName, 'yarn v1');
  });
}

/** parseSyml throws PEG (v1) or YAML (Berry) errors; both carry a position we turn into a line. */
function parseSymlText(text: string, fileName: string): Json {
  checkNesting(text, fileName, 'yaml');
  let data: unknown;
  try {
    data = parseSyml(text);
  } catch (e) {
    throw parseError(`invalid yarn.lock: ${firstLine(e)}`, fileName, errorLine(text, e), e);
  }
  if (!isRecord(data)) throw parseError('yarn.lock holds no entries', fileName, 1);
  return asRecord(data);
}

function errorLine(text: string, e: unknown): number | undefined {
  const err = asRecord(e);
  const peg = asRecord(asRecord(err['location'])['start']);
  if (typeof peg['line'] === 'number') return peg['line'];
  const mark = asRecord(err['mark']);
  if (typeof mark['position'] === 'number') return lineAt(text, mark['position']);
  return undefined;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
