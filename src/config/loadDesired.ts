// The shell around the pure load -> validate steps: read the directory, resolve secrets from this
// process's environment and files, and return every problem at once.
import { parseSources } from "../core/load.js";
import { formatLocatedError, type DesiredState, type LocatedError } from "../core/types.js";
import { validateDocuments } from "../core/validate.js";
import { readConfigDir } from "./readConfigDir.js";
import { processSecretSource } from "./secretSource.js";

export interface DesiredLoad {
  readonly state: DesiredState;
  /** Problems as printable lines (`file:line:col: path: message`). Any problem means nothing is called. */
  readonly errors: string[];
  readonly located: LocatedError[];
  readonly secrets: string[];
  readonly documentCount: number;
  readonly fileCount: number;
}

export function loadDesired(configDir: string, env: NodeJS.ProcessEnv, cwd: string): DesiredLoad {
  const read = readConfigDir(configDir, cwd);
  const parsed = parseSources(read.files);
  const validated = validateDocuments(parsed.documents, processSecretSource(env, cwd));
  const located = [...parsed.errors, ...validated.errors];
  return {
    state: validated.state,
    errors: [...read.errors, ...located.map(formatLocatedError)],
    located,
    secrets: validated.secrets,
    documentCount: parsed.documents.length,
    fileCount: read.files.length,
  };
}
