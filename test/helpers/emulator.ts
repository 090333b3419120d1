// An emulator on an ephemeral port with a real SDK client pointed at it.
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
