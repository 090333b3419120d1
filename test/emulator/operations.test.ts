// The emulator through the real AWS SDK over HTTP: each behaviour of cognito-behaviour.md that the
// reconciler depends on, and each error type reaching the SDK as its own exception class.
import {
  ConcurrentModificationException,
  CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand,
  DeleteUserPoolCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolCommand,
  DuplicateProviderException,
  GetIdentityProviderByIdentifierCommand,
  InternalErrorException,
  InvalidParameterException,
  LimitExceededException,
  ListIdentityProvidersCommand,
  ListUserPoolsCommand,
  CreateUserPoolCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UnsupportedIdentityProviderException,
  UpdateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

let t: TestEmulator;
let pool: string;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  t.emulator.setFaults({});
  pool = await t.createPool(["dept"]);
});

const google = (over: Partial<CreateIdentityProviderCommandInput> = {}): CreateIdentityProviderCommandInput => ({
  UserPoolId: pool,
  ProviderName: "Google",
  ProviderType: "Google",
  ProviderDetails: { client_id: "cid", client_secret: "csecret", authorize_scopes: "email openid" },
  ...over,
});

async function rejects(p: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { name: string };
  }
  throw new Error("expected the call to fail");
}

describe("user pools", () => {
  it("creates pools with region-prefixed ids, lists, describes and deletes them", async () => {
    expect(pool).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    const d = await t.client.send(new DescribeUserPoolCommand({ UserPoolId: pool }));
    expect(d.UserPool?.Arn).toBe(`arn:aws:cognito-idp:us-east-1:123456789012:userpool/${pool}`);
    expect(d.UserPool?.SchemaAttributes?.map((a) => a.Name)).toContain("custom:dept");
    expect(d.UserPool?.CreationDate).toBeInstanceOf(Date);
    const listed = await t.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(listed.UserPools?.map((p) => p.Id)).toContain(pool);
    await t.client.send(new CreateIdentityProviderCommand(google()));
    await t.client.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    const e = await rejects(t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" })));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
    expect(e.message).toBe(`User pool ${pool} does not exist.`);
    expect(e.$metadata?.httpStatusCode).toBe(400);
  });

  it("refuses to delete a pool with deletion protection", async () => {
    const p = await t.client.send(new CreateUserPoolCommand({ PoolName: "protected", DeletionProtection: "ACTIVE" }));
    const e = await rejects(t.client.send(new DeleteUserPoolCommand({ UserPoolId: p.UserPool?.Id })));
    expect(e).toBeInstanceOf(InvalidParameterException);
  });
});

describe("identity providers", () => {
  it("adds Google's derived keys and the default username mapping, and returns the secret", async () => {
    const created = await t.client.send(new CreateIdentityProviderCommand(google({ AttributeMapping: { email: "email" } })));
    const d = (await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" }))).IdentityProvider!;
    expect(d.ProviderDetails).toEqual({
      client_id: "cid",
      client_secret: "csecret",
      authorize_scopes: "email openid",
      attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
      attributes_url_add_attributes: "true",
      authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
      oidc_issuer: "https://accounts.google.com",
      token_request_method: "POST",
      token_url: "https://www.googleapis.com/oauth2/v4/token",
    });
    expect(d.AttributeMapping).toEqual({ email: "email", username: "sub" });
    expect(d.CreationDate).toEqual(d.LastModifiedDate);
    expect(created.IdentityProvider?.ProviderDetails).toEqual(d.ProviderDetails);
  });

  it("derives Facebook URLs from api_version", async () => {
    await t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: { client_id: "1", client_secret: "s", authorize_scopes: "email", api_version: "v19.0" } }));
    const d = (await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Facebook" }))).IdentityProvider!;
    expect(d.ProviderDetails?.["authorize_url"]).toBe("https://www.facebook.com/v19.0/dialog/oauth");
    expect(d.ProviderDetails?.["attributes_url"]).toBe("https://graph.facebook.com/v19.0/me?fields=");
    expect(d.AttributeMapping).toEqual({ username: "id" });
  });

  it("never returns Apple's private_key", async () => {
    await t.client.send(
      new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "SignInWithApple", ProviderType: "SignInWithApple", ProviderDetails: { client_id: "c", team_id: "T", key_id: "K", private_key: "PK", authorize_scopes: "email" } }),
    );
    const d = (await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "SignInWithApple" }))).IdentityProvider!;
    expect(d.ProviderDetails?.["private_key"]).toBeUndefined();
    expect(d.ProviderDetails?.["oidc_issuer"]).toBe("https://appleid.apple.com");
  });

  it("takes SAML binding URIs from the metadata and adds ActiveEncryptionCertificate, which it refuses on input", async () => {
    const md = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><IDPSSODescriptor>
      <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp/sso"/></IDPSSODescriptor></EntityDescriptor>`;
    await t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "corp", ProviderType: "SAML", ProviderDetails: { MetadataFile: md }, AttributeMapping: { email: "mail" } }));
    const d = (await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "corp" }))).IdentityProvider!;
    expect(Object.keys(d.ProviderDetails ?? {}).sort()).toEqual(["ActiveEncryptionCertificate", "MetadataFile", "SSORedirectBindingURI"]);
    expect(d.ProviderDetails?.["SSORedirectBindingURI"]).toBe("https://idp/sso");
    expect(d.AttributeMapping).toEqual({ email: "mail" });
    const e = await rejects(t.client.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "corp", ProviderDetails: d.ProviderDetails })));
    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe("ActiveEncryptionCertificate is not a valid key for SAML identity provider details.");
    for (const [bad, message] of [
      ["not xml", "Unable to unmarshall metadata"],
      ["<EntityDescriptor><IDPSSODescriptor/></EntityDescriptor>", "No SingleSignOn Http redirect binding location found in metadata."],
    ]) {
      const err = await rejects(t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "bad", ProviderType: "SAML", ProviderDetails: { MetadataFile: bad! } })));
      expect(err.message).toBe(message);
    }
    const none = await rejects(t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "bad", ProviderType: "SAML", ProviderDetails: {} })));
    expect(none.message).toBe("At least one of the MetadataURL or MetadataFile should be provided.");
  });

  it("replaces ProviderDetails wholesale on update, keeps CreationDate and bumps LastModifiedDate", async () => {
    await t.client.send(new CreateIdentityProviderCommand(google({ IdpIdentifiers: ["a"] })));
    const before = (await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" }))).IdentityProvider!;
    const missing = await rejects(t.client.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google", ProviderDetails: { client_id: "new" } })));
    expect(missing.message).toBe("client_id, client_secret and authorize_scopes are all required idp details.");
    await t.client.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google", ProviderDetails: { client_id: "new", client_secret: "s2", authorize_scopes: "openid" } }));
    const after = (await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" }))).IdentityProvider!;
    expect(after.ProviderDetails?.["client_id"]).toBe("new");
    expect(after.IdpIdentifiers).toEqual(["a"]); // not sent: unchanged
    expect(after.CreationDate).toEqual(before.CreationDate);
    expect(after.LastModifiedDate!.getTime()).toBeGreaterThan(before.LastModifiedDate!.getTime());
  });

  it("pages ListIdentityProviders 60 at a time and rejects bad tokens and page sizes", async () => {
    for (let i = 0; i < 130; i++) {
      await t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: `oidc-${i}`, ProviderType: "OIDC", ProviderDetails: { client_id: "c", attributes_request_method: "GET", oidc_issuer: "https://i", authorize_scopes: "openid" } }));
    }
    const names: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await t.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60, NextToken: token }));
      sizes.push(page.Providers!.length);
      names.push(...page.Providers!.map((p) => p.ProviderName!));
      token = page.NextToken;
      expect(token).not.toBe("");
    } while (token);
    expect(sizes).toEqual([60, 60, 10]);
    expect(new Set(names).size).toBe(130);
    expect((await rejects(t.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60, NextToken: "garbage" })))).name).toBe("InvalidParameterException");
    const zero = await rejects(t.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 0 })));
    expect(zero.message).toBe("1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect((await rejects(t.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 61 })))).name).toBe("InvalidParameterException");
  });

  it("enforces 300 providers per pool", async () => {
    for (let i = 0; i < 300; i++) {
      await t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: `p-${i}`, ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://idp.example.com/md" } }));
    }
    const e = await rejects(t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "one-more", ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://x.example.com" } })));
    expect(e).toBeInstanceOf(LimitExceededException);
  });

  it("finds a provider by identifier and keeps identifiers unique in the pool", async () => {
    await t.client.send(new CreateIdentityProviderCommand(google({ IdpIdentifiers: ["example.com"] })));
    const found = await t.client.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: "example.com" }));
    expect(found.IdentityProvider?.ProviderName).toBe("Google");
    const dup = await rejects(t.client.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "corp", ProviderType: "SAML", ProviderDetails: { MetadataURL: "https://i.example.com" }, IdpIdentifiers: ["example.com"] })));
    expect(dup).toBeInstanceOf(DuplicateProviderException);
    expect((await rejects(t.client.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: "nope" })))).name).toBe("ResourceNotFoundException");
  });

  it("validates as the service does, constraints first, with its messages", async () => {
    const cases: [CreateIdentityProviderCommandInput, string, string][] = [
      [google({ UserPoolId: "no-underscore" }), "InvalidParameterException", "1 validation error detected: Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"],
      [google({ ProviderName: "Gogle" }), "InvalidParameterException", "Provider Gogle cannot be of type Google."],
      [google({ UserPoolId: "us-east-1_Missing1" }), "ResourceNotFoundException", "User pool us-east-1_Missing1 does not exist."],
      [google({ ProviderDetails: { client_id: "x", client_secret: "y", authorize_scopes: "z", bogus: "1" } }), "InvalidParameterException", "bogus is not a valid key for Google identity provider details."],
      [google({ AttributeMapping: { "custom:zen_groups": "groups" } }), "InvalidParameterException", "AttributeMapping contains invalid mapping: [custom:zen_groups]"],
      [google({ AttributeMapping: { Email: "email" } }), "InvalidParameterException", "AttributeMapping contains invalid mapping: [Email]"],
      [{ ...google(), ProviderName: "ab_c", ProviderType: "OIDC" }, "InvalidParameterException", "1 validation error detected: Value 'ab_c' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+"],
      [{ ...google(), ProviderName: "COGNITO", ProviderType: "OIDC" }, "InvalidParameterException", "COGNITO is a reserved provider name."],
      [google({ IdpIdentifiers: Array.from({ length: 51 }, (_, i) => `id${i}`) }), "InvalidParameterException", "1 validation error detected: Value at 'idpIdentifiers' failed to satisfy constraint: Member must have length less than or equal to 50"],
      [{ ...google(), ProviderType: "SAML", ProviderName: "corp", AcrMapping: { Level1: "x" }, ProviderDetails: { MetadataURL: "https://x" } }, "InvalidParameterException", "AcrMapping is only supported for OIDC identity providers."],
    ];
    for (const [input, type, message] of cases) {
      const e = await rejects(t.client.send(new CreateIdentityProviderCommand(input)));
      expect([e.name, e.message]).toEqual([type, message]);
    }
    await t.client.send(new CreateIdentityProviderCommand(google()));
    const dup = await rejects(t.client.send(new CreateIdentityProviderCommand(google())));
    expect(dup).toBeInstanceOf(DuplicateProviderException);
    expect(dup.message).toBe(`Google already exists in user pool ${pool}`);
    expect(await rejects(t.client.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: "COGNITO" })))).toBeInstanceOf(UnsupportedIdentityProviderException);
    expect(await rejects(t.client.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: "nope" })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("faults over the wire", () => {
  it("scripted errors reach the SDK as their exception classes with the right status", async () => {
    await t.client.send(new CreateIdentityProviderCommand(google()));
    t.emulator.setFaults({
      script: [
        { operation: "UpdateIdentityProvider", error: "ConcurrentModificationException" },
        { operation: "DescribeIdentityProvider", error: "InternalErrorException" },
        { operation: "DescribeIdentityProvider", error: "TooManyRequestsException" },
      ],
    });
    const cm = await rejects(t.client.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google", IdpIdentifiers: [] })));
    expect(cm).toBeInstanceOf(ConcurrentModificationException);
    const ie = await rejects(t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" })));
    expect(ie).toBeInstanceOf(InternalErrorException);
    expect(ie.$metadata?.httpStatusCode).toBe(500);
    const tm = await rejects(t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" })));
    expect(tm).toBeInstanceOf(TooManyRequestsException);
    expect(tm.$metadata?.httpStatusCode).toBe(400);
    await t.client.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Google" }));
  });

  it("a dropped connection is a network error in the SDK, and every outcome is counted", async () => {
    t.emulator.resetStats();
    t.emulator.setFaults({ script: [{ operation: "ListIdentityProviders", drop: true }] });
    const e = await rejects(t.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 })));
    expect(e.message).toMatch(/socket hang up|ECONNRESET/);
    await t.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 }));
    const res = await fetch(`${t.emulator.url}/_emulator/stats`);
    expect(await res.json()).toEqual({ calls: { ListIdentityProviders: { dropped: 1, ok: 1 } } });
    await fetch(`${t.emulator.url}/_emulator/stats/reset`, { method: "POST" });
    expect(t.emulator.stats()).toEqual({ calls: {} });
  });

  it("answers unknown operations and bad JSON with clear errors", async () => {
    const post = (target: string, body: string) => fetch(t.emulator.url, { method: "POST", headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" }, body });
    const unknown = await post("AWSCognitoIdentityProviderService.AdminDeleteEverything", "{}");
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(unknown.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await post("awscognitoidentityproviderservice.listidentityproviders", "{not json");
    expect(await bad.json()).toEqual({ __type: "SerializationException", message: "Start of structure or map found where not expected." });
  });
});
