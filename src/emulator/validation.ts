// Model-constraint checks, reported as Cognito reports them (cognito-behaviour.md §1.4):
// "1 validation error detected: Value 'X' at 'userPoolId' failed to satisfy constraint: ...".
// All constraints are checked first, across every field, before any lookup.
import { CONSTRAINTS, fullMatch } from "../core/serviceConstraints.js";
import { invalidParameter } from "./errors.js";

/** The service prints Smithy's (unanchored, Java) patterns; ours are anchored JS equivalents. */
const SHOWN_PATTERN: Record<string, string> = {
  [CONSTRAINTS.userPoolId.pattern]: "[\\w-]+_[0-9a-zA-Z]+",
  [CONSTRAINTS.providerNameCreate.pattern]: "[^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+",
  [CONSTRAINTS.providerName.pattern]: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\p{Z}]+",
  [CONSTRAINTS.idpIdentifier.pattern]: "[\\w\\s+=.@-]+",
  [CONSTRAINTS.paginationKey.pattern]: "[\\S]+",
  [CONSTRAINTS.poolName.pattern]: "[\\w\\s+=,.@-]+",
};

export class ConstraintChecker {
  readonly #violations: string[] = [];

  #add(value: unknown, at: string, constraint: string, showValue = true): void {
    const v = showValue && value !== undefined && value !== null && typeof value !== "object" ? `Value '${String(value)}' at` : "Value at";
    this.#violations.push(`${v} '${at}' failed to satisfy constraint: ${constraint}`);
  }

  required(value: unknown, at: string): boolean {
    if (value === undefined || value === null) {
      this.#add(undefined, at, "Member must not be null", false);
      return false;
    }
    return true;
  }

  string(value: unknown, at: string, c: { min?: number; max?: number; pattern?: string }, show = true): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "string") {
      this.#add(undefined, at, "Member must be a string", false);
      return;
    }
    if (c.min !== undefined && value.length < c.min) this.#add(value, at, `Member must have length greater than or equal to ${c.min}`, show);
    if (c.max !== undefined && value.length > c.max) this.#add(value, at, `Member must have length less than or equal to ${c.max}`, show);
    if (c.pattern !== undefined && !fullMatch(c.pattern, value)) this.#add(value, at, `Member must satisfy regular expression pattern: ${SHOWN_PATTERN[c.pattern] ?? c.pattern}`, show);
  }

  enumValue(value: unknown, at: string, allowed: readonly string[]): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "string" || !allowed.includes(value)) this.#add(value, at, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }

  integer(value: unknown, at: string, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "number" || !Number.isInteger(value)) this.#add(undefined, at, "Member must be an integer", false);
    else if (value < min) this.#add(value, at, `Member must have value greater than or equal to ${min}`);
    else if (value > max) this.#add(value, at, `Member must have value less than or equal to ${max}`);
  }

  stringMap(value: unknown, at: string, key: { min?: number; max?: number }): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "object" || Array.isArray(value)) {
      this.#add(undefined, at, "Member must be a map", false);
      return;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      // Values may be secrets: never echoed.
      this.string(k, `${at}.${k}.member.key`, key, false);
      this.string(v, `${at}.${k}.member.value`, { max: CONSTRAINTS.stringValue.max }, false);
    }
  }

  list(value: unknown, at: string, maxItems: number, item: { min: number; max: number; pattern: string }): void {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      this.#add(undefined, at, "Member must be a list", false);
      return;
    }
    if (value.length > maxItems) this.#add(undefined, at, `Member must have length less than or equal to ${maxItems}`, false);
    value.forEach((v, i) => this.string(v, `${at}.${i + 1}.member`, item));
  }

  /** Throws InvalidParameterException with every violation, as the service does. */
  done(): void {
    const n = this.#violations.length;
    if (n === 0) return;
    throw invalidParameter(`${n} validation error${n === 1 ? "" : "s"} detected: ${this.#violations.join("; ")}`);
  }
}
