/**
 * A refusal by one protocol rule. Whatever both sides of the notary protocol decide (the
 * envelope encoding here, the log's state machine in notary/) refuses with a stable rule
 * code in SCREAMING_SNAKE: the notary puts it into its JSON error, a client's replay into
 * its error details, and tests assert it.
 */
import { VetError, type VetErrorCode, type VetErrorOptions } from '../errors.js';

export class RuleRefusal<Rule extends string = string> extends VetError {
  readonly rule: Rule;

  constructor(code: VetErrorCode, rule: Rule, message: string, options: VetErrorOptions = {}) {
    super(code, message, { ...options, details: { ...options.details, rule } });
    this.name = 'RuleRefusal';
    this.rule = rule;
  }
}

export function isRuleRefusal(e: unknown): e is RuleRefusal {
  return e instanceof RuleRefusal;
}
