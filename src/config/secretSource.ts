// Reads secret references for the core: environment variables and files (Kubernetes mounts secrets
// as files and rotates them in place, so nothing here caches).
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { SecretSource } from "../core/secrets.js";

export const MAX_SECRET_FILE_BYTES = 1024 * 1024;

export function processSecretSource(env: NodeJS.ProcessEnv, cwd: string): SecretSource {
  return {
    env: (name) => env[name],
    file: (path, fromFile) => {
      const base = isAbsolute(fromFile) ? dirname(fromFile) : dirname(resolve(cwd, fromFile));
      const full = isAbsolute(path) ? path : resolve(base, path);
      try {
        const st = statSync(full);
        if (!st.isFile()) return { ok: false, reason: "not a regular file" };
        if (st.size > MAX_SECRET_FILE_BYTES) return { ok: false, reason: `larger than ${MAX_SECRET_FILE_BYTES} bytes` };
        // One trailing newline is an artefact of how the file was written, not part of the secret.
        return { ok: true, value: readFileSync(full, "utf8").replace(/\r?\n$/, "") };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, reason: code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code ?? error) };
      }
    },
  };
}
