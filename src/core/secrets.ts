// Secret references in ProviderDetails values: `${env:NAME}` and `${file:PATH}` (design.md).
// Resolution is pure given a SecretSource; the shell supplies one that reads env and files, and
// re-reads them on every reconcile so rotated Kubernetes secrets are picked up.

export interface SecretSource {
  env(name: string): string | undefined;
  /** Reads a secret file; `fromFile` is the YAML file the reference is in (relative paths start there). */
  file(path: string, fromFile: string): { ok: true; value: string } | { ok: false; reason: string };
}

export type Resolution = { ok: true; value: string; secret: boolean } | { ok: false; message: string };

const REFERENCE = /\$\{(env|file):([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function hasReference(value: string): boolean {
  return new RegExp(REFERENCE.source).test(value);
}

/** Replaces every reference in `value`; a value that held any reference is secret. */
export function resolveValue(value: string, fromFile: string, source: SecretSource): Resolution {
  let secret = false;
  let failure: string | undefined;
  const out = value.replace(REFERENCE, (_match, kind: string, arg: string) => {
    secret = true;
    if (failure) return "";
    if (kind === "env") {
      if (!ENV_NAME.test(arg)) {
        failure = `\${env:${arg}} is not a valid environment variable name`;
        return "";
      }
      const v = source.env(arg);
      if (v === undefined) failure = `environment variable ${arg} is not set (referenced as \${env:${arg}})`;
      return v ?? "";
    }
    if (arg.trim() === "") {
      failure = "${file:} needs a path";
      return "";
    }
    const r = source.file(arg, fromFile);
    if (!r.ok) {
      failure = `cannot read secret file ${arg}: ${r.reason}`;
      return "";
    }
    return r.value;
  });
  if (failure) return { ok: false, message: failure };
  return { ok: true, value: out, secret };
}

/** Never mask values so short that masking them would garble ordinary text. */
const MIN_MASKED_LENGTH = 4;

/** The set of secret values known in a run; every printed line passes through `mask`. */
export class SecretRegistry {
  readonly #values = new Set<string>();

  add(value: string): void {
    if (value.length >= MIN_MASKED_LENGTH) this.#values.add(value);
    // Multi-line secrets (PEM keys) may be printed line by line: mask each substantial line too.
    for (const line of value.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= 16) this.#values.add(t);
    }
  }

  values(): string[] {
    return [...this.#values];
  }

  mask(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    for (const v of [...this.#values].sort((a, b) => b.length - a.length)) {
      if (out.includes(v)) out = out.split(v).join("***");
      const json = JSON.stringify(v).slice(1, -1);
      if (json !== v && out.includes(json)) out = out.split(json).join("***");
    }
    return out;
  }
}
