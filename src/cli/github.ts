// GitHub Actions integration: `::add-mask::` for every resolved secret before anything else is
// printed, `::error file=…,line=…,col=…::` annotations for located errors, and the step summary.
import { appendFileSync } from "node:fs";
import type { LocatedError } from "../core/types.js";

export function inGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env["GITHUB_ACTIONS"] === "true";
}

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** One mask per secret and per line of a multi-line secret (the runner masks line by line). */
export function addMaskCommands(secrets: readonly string[]): string {
  const values = new Set<string>();
  for (const s of secrets) {
    for (const line of s.split(/\r?\n/)) if (line.trim() !== "") values.add(line);
  }
  return [...values].map((v) => `::add-mask::${escapeData(v)}\n`).join("");
}

export function errorAnnotation(e: LocatedError): string {
  const message = e.path ? `${e.path}: ${e.message}` : e.message;
  return `::error file=${escapeProperty(e.location.file)},line=${e.location.line},col=${e.location.col}::${escapeData(message)}\n`;
}

export function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  const file = env["GITHUB_STEP_SUMMARY"];
  if (file) appendFileSync(file, markdown.endsWith("\n") ? markdown : markdown + "\n");
}
