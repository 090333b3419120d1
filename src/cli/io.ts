// Where the CLI writes. Everything printed passes through the secret registry's mask, the last
// line of defence behind diffs that never carry sensitive values in the first place.
import { SecretRegistry } from "../core/secrets.js";

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

export interface Output {
  readonly secrets: SecretRegistry;
  out(text: string): void;
  err(text: string): void;
}

export function maskedOutput(io: CliIO, secrets = new SecretRegistry()): Output {
  return {
    secrets,
    out: (t) => io.stdout(secrets.mask(t)),
    err: (t) => io.stderr(secrets.mask(t)),
  };
}
