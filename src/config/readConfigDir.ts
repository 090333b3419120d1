// Finds and reads every *.yaml / *.yml under the config directory. Hidden entries are skipped (this
// also skips Kubernetes' `..data` indirection in mounted ConfigMaps, whose files are linked at the top).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { SourceFile } from "../core/load.js";

export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;

export interface ConfigReadResult {
  readonly files: SourceFile[];
  /** Problems with the directory or a file that stop loading (printed as `path: message`). */
  readonly errors: string[];
}

/** A path as the user should see it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export function readConfigDir(dir: string, cwd: string = process.cwd()): ConfigReadResult {
  const files: SourceFile[] = [];
  const errors: string[] = [];
  const root = isAbsolute(dir) ? dir : join(cwd, dir);
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch {
    return { files, errors: [`${dir}: config directory does not exist`] };
  }
  if (rootStat.isFile()) {
    // A single file is accepted too (handy for trying one document).
    return readOne(root, cwd, files, errors);
  }
  const visit = (path: string, depth: number) => {
    if (depth > 32) return;
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (error) {
      errors.push(`${displayPath(path, cwd)}: cannot read directory (${(error as Error).message})`);
      return;
    }
    for (const name of entries) {
      if (name.startsWith(".")) continue;
      const full = join(path, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue; // a dangling link: nothing to read
      }
      if (st.isDirectory()) visit(full, depth + 1);
      else if (st.isFile() && /\.ya?ml$/i.test(name)) readOne(full, cwd, files, errors);
    }
  };
  visit(root, 0);
  return { files, errors };
}

function readOne(full: string, cwd: string, files: SourceFile[], errors: string[]): ConfigReadResult {
  const shown = displayPath(full, cwd);
  try {
    const size = statSync(full).size;
    if (size > MAX_CONFIG_FILE_BYTES) errors.push(`${shown}: file is ${size} bytes; the limit is ${MAX_CONFIG_FILE_BYTES}`);
    else files.push({ path: shown, text: readFileSync(full, "utf8") });
  } catch (error) {
    errors.push(`${shown}: cannot read file (${(error as Error).message})`);
  }
  return { files, errors };
}
