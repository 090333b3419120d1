// `cognito-idp-sync emulator`: the embedded Cognito emulator as a standalone server. Runs until
// SIGTERM/SIGINT; the emulator module owns the listening line and shutdown.
import { emulatorCommand as runEmulator } from "../../emulator/index.js";
import type { Output } from "../io.js";

export async function emulatorCommand(options: { port: number; host: string; state?: string; faults?: string }, output: Output): Promise<number> {
  await runEmulator({ port: options.port, host: options.host, state: options.state, faults: options.faults }, (line: string) => output.out(`${line}\n`));
  return 0;
}
