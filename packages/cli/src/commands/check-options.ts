/**
 * Options only `vet check` takes, parsed here so program.ts stays a list of commands and
 * loads nothing heavy: the CI output formats, and later the pull-request view and platforms.
 */
import type { Command } from 'commander';
import { VetError } from '@vet/core';

export const CI_FORMATS = ['github', 'sarif', 'markdown'] as const;
export type CiFormat = (typeof CI_FORMATS)[number];

export function isCiFormat(s: unknown): s is CiFormat {
  return typeof s === 'string' && (CI_FORMATS as readonly string[]).includes(s);
}

/** `{ ciFormat }` for `check --output-format github|sarif|markdown`; other commands refuse them. */
export function ciFormatOption(cmd: Command, value: unknown): { ciFormat?: CiFormat } {
  if (!isCiFormat(value)) return {};
  if (cmd.name() !== 'check') {
    throw new VetError('INVALID_ARGUMENT', `--output-format ${value} is only for vet check`, {
      hint: 'use --output-format human or json with this command',
    });
  }
  return { ciFormat: value };
}

/** The base of the pull-request view (check-base.ts reads it). */
export interface BaseSpec {
  /** A git ref (`origin/main`, a commit). */
  base?: string;
  /** A lockfile path (relative to the working directory). */
  baseLockfile?: string;
}

export function hasBase(spec: BaseSpec | undefined): spec is BaseSpec {
  return spec !== undefined && (spec.base !== undefined || spec.baseLockfile !== undefined);
}

/** `check --base <ref>` / `--base-lockfile <path>` (one or the other). */
export function baseOptions(cmd: Command): BaseSpec {
  const o = cmd.opts<{ base?: string; baseLockfile?: string }>();
  if (o.base !== undefined && o.baseLockfile !== undefined) {
    throw new VetError('INVALID_ARGUMENT', '--base and --base-lockfile name the same thing: give one');
  }
  return {
    ...(o.base !== undefined ? { base: o.base } : {}),
    ...(o.baseLockfile !== undefined ? { baseLockfile: o.baseLockfile } : {}),
  };
}
