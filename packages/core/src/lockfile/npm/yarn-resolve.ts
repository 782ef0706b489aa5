/**
 * Descriptor lookup shared by the yarn classic and Berry readers (spec lockfiles.md §3, §4).
 * Blocks are keyed by comma-separated descriptors (`name@range`); a dependency `name: range`
 * resolves to the block whose key lists `name@range`. When that misses, the root manifest's
 * `resolutions` may have rewritten it (reselect pins `esbuild` to 0.23.0, so `esbuild@npm:^0.21.3`
 * is not a key), and in yarn classic a workspace member is referred to by a plain range.
 */
import type { GraphBuilder } from './builder.js';
import { splitNameAt } from './source.js';
import { stringMap } from './text.js';

export class DescriptorIndex {
  private readonly ids = new Map<string, string>();
  private readonly resolutions: Map<string, string>;
  private readonly membersByName = new Map<string, string>();

  constructor(resolutions: unknown) {
    this.resolutions = resolutionTargets(stringMap(resolutions));
  }

  /** Register every descriptor of a block key (`"a@^1, a@^2"` or parseSyml's pre-split keys). */
  addBlock(key: string, id: string): void {
    for (const descriptor of splitDescriptors(key)) this.ids.set(descriptor, id);
  }

  addMember(name: string, id: string): void {
    this.membersByName.set(name, id);
  }

  /** Node id for dependency `name: range`, applying resolutions and workspace names on a miss. */
  resolve(name: string, range: string): string | undefined {
    const direct = this.ids.get(`${name}@${range}`);
    if (direct !== undefined) return direct;
    const pinned = this.resolutions.get(name);
    if (pinned !== undefined) {
      const hit = this.ids.get(`${name}@${pinned}`) ?? this.ids.get(`${name}@npm:${pinned}`);
      if (hit !== undefined) return hit;
    }
    return this.membersByName.get(name);
  }

  /** Resolve or warn; optional dependencies may legitimately be absent (other platforms). */
  resolveOrWarn(b: GraphBuilder, from: string, name: string, range: string, optional: boolean): string | undefined {
    const id = this.resolve(name, range);
    if (id === undefined && !optional)
      b.warn(`yarn.lock: "${from}" depends on "${name}@${range}", which no block resolves`);
    return id;
  }
}

export function splitDescriptors(key: string): string[] {
  return key
    .split(',')
    .map((d) => d.trim().replace(/^"|"$/g, ''))
    .filter((d) => d !== '');
}

/**
 * `resolutions` keys are package names, optionally behind a parent path (`parent/name`,
 * `**\/name`) or with a range (`name@npm:^1`); each is reduced to the name it pins.
 */
function resolutionTargets(resolutions: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [pattern, value] of Object.entries(resolutions)) {
    const segments = pattern.split('/');
    const last = segments.pop() ?? '';
    const scope = segments[segments.length - 1];
    const target = scope?.startsWith('@') ? `${scope}/${last}` : last;
    out.set(splitNameAt(target)?.name ?? target, value);
  }
  return out;
}
