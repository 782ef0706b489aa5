/**
 * The one place where errors become messages and exit codes (STYLE §7).
 * 0: vetted. 1: not vetted — a vetting failure, a violation, or a security refusal
 * (integrity, signature, log consistency). 2: no verdict — bad input, usage, network.
 * 3: an internal bug.
 */
import { isVetError, VetValidationError, type CheckConclusion, type VetError, type VetErrorCode } from '@vet/core';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

const SECURITY_CODES: ReadonlySet<VetErrorCode> = new Set([
  'INTEGRITY_MISMATCH',
  'UNSAFE_ARCHIVE',
  'SIGNATURE_INVALID',
  'LOG_INCONSISTENT',
  'CHECKPOINT_STALE',
  'DIGEST_MISMATCH',
]);

/** A check's verdict as an exit code: 0 exactly when the report's conclusion is success. */
export function exitCodeForConclusion(conclusion: CheckConclusion): number {
  return conclusion === 'success' ? EXIT_OK : EXIT_FAILED;
}

export function exitCodeFor(error: unknown): number {
  if (isVetError(error)) {
    if (error.code === 'INTERNAL') return EXIT_INTERNAL;
    return SECURITY_CODES.has(error.code) ? EXIT_FAILED : EXIT_BAD_INPUT;
  }
  return EXIT_INTERNAL;
}

export function isSecurityError(error: VetError): boolean {
  return SECURITY_CODES.has(error.code);
}

/** Human rendering: `error: file:line: message`, every validation problem, a hint. */
export function renderErrorHuman(error: unknown): string {
  if (!isVetError(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return (
      `error: internal error: ${e.message}\n` +
      `This is a bug in vet. Please report it with the command you ran and this trace:\n${e.stack ?? ''}\n`
    );
  }
  const lines: string[] = [];
  const prefix = isSecurityError(error) ? 'error (security)' : 'error';
  if (error instanceof VetValidationError && error.problems.length > 1) {
    lines.push(`${prefix}: ${error.message}:`);
    for (const p of error.problems) {
      lines.push(`  ${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`);
    }
  } else {
    const where = error.location ? `${error.location}: ` : '';
    // Parsers name the file in their message too; say it once.
    const message =
      error.file !== undefined && where && error.message.startsWith(`${error.file}: `)
        ? error.message.slice(error.file.length + 2)
        : error.message;
    lines.push(`${prefix}: ${where}${message}`);
  }
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  if (cause) {
    const [first = '', ...rest] = cause.split('\n');
    // A cause the message already quotes adds only what follows its first line (a parser's
    // excerpt of the offending lines, say).
    if (!error.message.includes(first)) lines.push(`  caused by: ${cause}`);
    else {
      while (rest.length > 0 && rest[rest.length - 1]!.trim() === '') rest.pop();
      lines.push(...rest.map((l) => `  ${l}`));
    }
  }
  if (error.hint) lines.push(`hint: ${error.hint}`);
  return lines.join('\n') + '\n';
}

export function renderErrorJson(error: unknown): string {
  if (!isVetError(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return JSON.stringify({ error: { code: 'INTERNAL', message: e.message } }, null, 2) + '\n';
  }
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.file !== undefined) body['file'] = error.file;
  if (error.line !== undefined) body['line'] = error.line;
  if (error.hint !== undefined) body['hint'] = error.hint;
  if (error instanceof VetValidationError) body['problems'] = error.problems;
  if (error.details !== undefined) body['details'] = error.details;
  return JSON.stringify({ error: body }, null, 2) + '\n';
}
