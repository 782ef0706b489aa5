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
