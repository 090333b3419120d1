import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export interface ClientOptions {
  region: string;
  /** Any Cognito-compatible endpoint, e.g. the embedded emulator's http://127.0.0.1:PORT. */
  endpoint?: string | undefined;
  /** Per-request socket timeout in ms; a timed-out call is retried by p-retry like a 5xx. */
  requestTimeoutMs?: number | undefined;
}

// Static credentials are only used against a custom endpoint when nothing else is configured,
// so the emulator works on a machine with no AWS setup; real AWS uses the default chain.
const EMULATOR_CREDENTIALS = { accessKeyId: "AKIAEMULATOREXAMPLE0", secretAccessKey: "emulator-not-a-secret" };

export function createCognitoClient(options: ClientOptions): CognitoIdentityProviderClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const useStatic = options.endpoint !== undefined && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
  return new CognitoIdentityProviderClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(useStatic ? { credentials: EMULATOR_CREDENTIALS } : {}),
    // p-retry is the one retry layer (design.md "Talking to Cognito"): attempts are counted once.
    maxAttempts: 1,
    // Without throwOnRequestTimeout the handler only warns and keeps waiting (smithy node-http-handler).
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000, throwOnRequestTimeout: true },
  });
}
