/**
 * The one place where errors become messages and exit codes (STYLE §7).
 * 0: vetted. 1: not vetted — a vetting failure, a violation, or a security refusal
 * (integrity, signature, log consistency). 2: no verdict — bad input, usage, network.
 * 3: an internal bug.
 */
import {
  escapeText,
  isVetError,
  toSafeJson,
  VetValidationError,
  type CheckConclusion,
  type VetError,
  type VetErrorCode,
} from '@vet/core';

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

/**
 * Human rendering: `error: file:line: message`, every validation problem, a hint. Messages
 * quote names, URLs and registry or notary answers from outside: every line is escaped.
 */
export function renderErrorHuman(error: unknown): string {
  if (!isVetError(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return (
      `error: internal error: ${escapeText(e.message)}\n` +
      `This is a bug in vet. Please report it with the command you ran and this trace:\n${(e.stack ?? '').split('\n').map(escapeText).join('\n')}\n`
    );
  }
  const prefix = isSecurityError(error) ? 'error (security)' : 'error';
  const lines = [...headLines(error, prefix), ...causeLines(error)];
  if (error.hint) lines.push(`hint: ${escapeText(error.hint)}`);
  return lines.join('\n') + '\n';
}

function headLines(error: VetError, prefix: string): string[] {
  if (error instanceof VetValidationError && error.problems.length > 1) {
    return [
      `${prefix}: ${escapeText(error.message)}:`,
      ...error.problems.map(
        (p) => `  ${escapeText(`${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`)}`,
      ),
    ];
  }
  // A message that names its file already ("cannot write F: ...") needs no "F: " before it.
  const named = error.file !== undefined && error.line === undefined && error.message.includes(error.file);
  const where = error.location && !named ? `${error.location}: ` : '';
  // Parsers name the file in their message too; say it once.
  const message =
    error.file !== undefined && where && error.message.startsWith(`${error.file}: `)
      ? error.message.slice(error.file.length + 2)
      : error.message;
  return [`${prefix}: ${escapeText(`${where}${message}`)}`];
}

function causeLines(error: VetError): string[] {
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  if (!cause) return [];
  const [first = '', ...rest] = cause.split('\n');
  // A cause the message already quotes adds only what follows its first line (a parser's
  // excerpt of the offending lines, say).
  if (!error.message.includes(first))
    return [`  caused by: ${escapeText(first)}`, ...rest.map((l) => `  ${escapeText(l)}`)];
  while (rest.length > 0 && rest[rest.length - 1]!.trim() === '') rest.pop();
  return rest.map((l) => `  ${escapeText(l)}`);
}

export function renderErrorJson(error: unknown): string {
  if (!isVetError(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return toSafeJson({ error: { code: 'INTERNAL', message: e.message } });
  }
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.file !== undefined) body['file'] = error.file;
  if (error.line !== undefined) body['line'] = error.line;
  if (error.hint !== undefined) body['hint'] = error.hint;
  if (error instanceof VetValidationError) body['problems'] = error.problems;
  if (error.details !== undefined) body['details'] = error.details;
  return toSafeJson({ error: body });
}
