// An emulator on an ephemeral port with a real SDK client pointed at it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { CreateUserPoolCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { createCognitoClient } from "../../src/aws/client.js";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";

export interface TestEmulator {
  readonly emulator: RunningEmulator;
  readonly client: CognitoIdentityProviderClient;
  createPool(customAttributes?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  const client = createCognitoClient({ region: "us-east-1", endpoint: emulator.url });
  return {
    emulator,
    client,
    createPool: async (customAttributes = []) => {
      const r = await client.send(
        new CreateUserPoolCommand({ PoolName: "test-pool", Schema: customAttributes.map((Name) => ({ Name, AttributeDataType: "String", Mutable: true })) }),
      );
      return r.UserPool?.Id as string;
    },
    close: async () => {
      client.destroy();
      await emulator.close();
    },
  };
}

export interface EmulatorWorkspace {
  readonly emulator: RunningEmulator;
  readonly client: CognitoIdentityProviderClient;
  /** A scratch directory for config files, removed after the file's tests. */
  readonly dir: string;
}

/** Starts an emulator, an SDK client and a scratch directory before a test file's tests, and stops them after. */
export function useEmulatorWorkspace(prefix: string): EmulatorWorkspace {
  let t: TestEmulator | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    t = await startTestEmulator();
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("useEmulatorWorkspace: used outside a test");
    return v;
  };
  return {
    get emulator() {
      return ready(t).emulator;
    },
    get client() {
      return ready(t).client;
    },
    get dir() {
      return ready(dir);
    },
  };
}
