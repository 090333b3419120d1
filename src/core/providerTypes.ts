// The one table of what Cognito does with each provider type's ProviderDetails keys.
// Both the diff (src/core/plan) and the emulator (src/emulator) read it, so the model of the
// service and the reconciler's idea of "no change" can never drift apart.
// Every fact cites ../shared/docs/cognito-behaviour.md (§ numbers below). Choices where the real
// service is UNVERIFIED are gathered in `UNVERIFIED_CHOICES` so each is one switch.

export const PROVIDER_TYPES = ["SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const SOCIAL_TYPES: readonly ProviderType[] = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];

export function isProviderType(value: unknown): value is ProviderType {
  return typeof value === "string" && (PROVIDER_TYPES as readonly string[]).includes(value);
}

export type Details = Readonly<Record<string, string>>;

/** Behaviours the spec marks UNVERIFIED: each is a single switch (see the README's emulator section). */
export const UNVERIFIED_CHOICES = {
  /** §4.7: "merge" adds `username` to any mapping that lacks it; "whenAbsent" only when AttributeMapping is absent. */
  defaultUsernameMapping: "merge" as "merge" | "whenAbsent",
  /** §4.2: Facebook Graph API version used for derived URLs when `api_version` is not set. */
  facebookDefaultApiVersion: "v17.0",
  /** §4.5: whether OIDC needs a client_secret (public clients). */
  oidcClientSecretRequired: false,
  /** §2.1: AcrMapping accepted only for OIDC. */
  acrMappingOidcOnly: true,
  /** §4.6: SAML with both MetadataURL and MetadataFile is rejected (the CDK rejects it client-side). */
  samlRejectsBothMetadata: true,
  /** §4.8: COGNITO (any case) is a reserved provider name. */
  reservedNames: ["cognito"] as readonly string[],
  /** §3.6: error type when an IdpIdentifier is already used by another provider in the pool. */
  duplicateIdentifierError: "DuplicateProviderException" as "DuplicateProviderException" | "InvalidParameterException",
  /** §3.4: a missing ListIdentityProviders MaxResults defaults to 60 (AWS said it would; the legacy service rejected it). */
  listDefaultMaxResults: 60,
  /** §4.1: user-set values of derived keys (e.g. a custom attributes_url) are stored as given, not overwritten. */
  derivedKeysHonourUserValues: true,
};

export interface ProviderTypeRules {
  readonly type: ProviderType;
  /** Keys a user may send (§4 "in"), including the write-only ones. */
  readonly settable: readonly string[];
  /** Keys that must be present on create and on every update that sends ProviderDetails (§3.1, §3.2). */
  readonly required: readonly string[];
  /** The message Cognito gives when a required key is missing (§3.1), when it is known. */
  readonly requiredMessage: string;
  /** Keys the service adds on describe; the user may also send them (§4.1 TF sends all 9 Google keys). */
  readonly derivedKeys: readonly string[];
  /** Keys returned on describe but rejected on input (§4.5 OIDC, §4.6 SAML, §8.3). */
  readonly readOnly: readonly string[];
  /** Keys accepted on input and never returned (§4.4 Apple private_key). */
  readonly writeOnly: readonly string[];
  /** Keys whose values are secret: compared (if returned) but never printed. */
  readonly sensitive: readonly string[];
  /** The claim the service maps to `username` when the caller leaves it out (§4.7); undefined for SAML. */
  readonly defaultUsernameClaim: string | undefined;
  /** Social types must be named exactly as their type (§3.1, §8.6). */
  readonly nameMustEqualType: boolean;
  /** The derived keys the service adds for the given user input (§4). Pure. */
  derive(input: Details): Record<string, string>;
}

const SOCIAL_REQUIRED_MESSAGE = "client_id, client_secret and authorize_scopes are all required idp details.";

const google: ProviderTypeRules = {
  type: "Google",
  settable: ["client_id", "client_secret", "authorize_scopes"],
  required: ["client_id", "client_secret", "authorize_scopes"],
  requiredMessage: SOCIAL_REQUIRED_MESSAGE,
  derivedKeys: ["attributes_url", "attributes_url_add_attributes", "authorize_url", "oidc_issuer", "token_request_method", "token_url"],
  readOnly: [],
  writeOnly: [],
  sensitive: ["client_secret"],
  defaultUsernameClaim: "sub",
  nameMustEqualType: true,
  // §4.1, terraform acceptance test: provider_details.% = 9 with exactly these values.
  derive: () => ({
    attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
    attributes_url_add_attributes: "true",
    authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
    oidc_issuer: "https://accounts.google.com",
    token_request_method: "POST",
    token_url: "https://www.googleapis.com/oauth2/v4/token",
  }),
};

const facebook: ProviderTypeRules = {
  type: "Facebook",
  settable: ["client_id", "client_secret", "authorize_scopes", "api_version"],
  required: ["client_id", "client_secret", "authorize_scopes"],
  requiredMessage: SOCIAL_REQUIRED_MESSAGE,
  derivedKeys: ["attributes_url", "attributes_url_add_attributes", "authorize_url", "token_request_method", "token_url"],
  readOnly: [],
  writeOnly: [],
  sensitive: ["client_secret"],
  defaultUsernameClaim: "id",
  nameMustEqualType: true,
  // §4.2: URLs follow api_version; without it attributes_url is unversioned (terraform-provider-aws#4831).
  derive: (input) => {
    const version = input["api_version"];
    const v = version ?? UNVERIFIED_CHOICES.facebookDefaultApiVersion;
    return {
      attributes_url: version ? `https://graph.facebook.com/${version}/me?fields=` : "https://graph.facebook.com/me?fields=",
      attributes_url_add_attributes: "true",
      authorize_url: `https://www.facebook.com/${v}/dialog/oauth`,
      token_request_method: "GET",
      token_url: `https://graph.facebook.com/${v}/oauth/access_token`,
    };
  },
};

const loginWithAmazon: ProviderTypeRules = {
  type: "LoginWithAmazon",
  settable: ["client_id", "client_secret", "authorize_scopes"],
  required: ["client_id", "client_secret", "authorize_scopes"],
  requiredMessage: SOCIAL_REQUIRED_MESSAGE,
  derivedKeys: ["attributes_url", "attributes_url_add_attributes", "authorize_url", "token_request_method", "token_url"],
  readOnly: [],
  writeOnly: [],
  sensitive: ["client_secret"],
  defaultUsernameClaim: "user_id",
  nameMustEqualType: true,
  derive: () => ({
    attributes_url: "https://api.amazon.com/user/profile",
    attributes_url_add_attributes: "false",
    authorize_url: "https://www.amazon.com/ap/oa",
    token_request_method: "POST",
    token_url: "https://api.amazon.com/auth/o2/token",
  }),
};

const signInWithApple: ProviderTypeRules = {
  type: "SignInWithApple",
  settable: ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"],
  required: ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"],
  requiredMessage: "client_id, team_id, key_id, private_key and authorize_scopes are all required idp details.",
  derivedKeys: ["attributes_url_add_attributes", "authorize_url", "oidc_issuer", "token_request_method", "token_url"],
  readOnly: [],
  // §4.4: "Describe operations don't return the private key." (terraform-provider-aws#13582)
  writeOnly: ["private_key"],
  sensitive: ["private_key"],
  defaultUsernameClaim: "sub",
  nameMustEqualType: true,
  derive: () => ({
    attributes_url_add_attributes: "false",
    authorize_url: "https://appleid.apple.com/auth/authorize",
    oidc_issuer: "https://appleid.apple.com",
    token_request_method: "POST",
    token_url: "https://appleid.apple.com/auth/token",
  }),
};

const oidc: ProviderTypeRules = {
  type: "OIDC",
  settable: [
    "client_id",
    "client_secret",
    "attributes_request_method",
    "oidc_issuer",
    "authorize_scopes",
    "authorize_url",
    "token_url",
    "attributes_url",
    "jwks_uri",
  ],
  required: UNVERIFIED_CHOICES.oidcClientSecretRequired
    ? ["client_id", "client_secret", "attributes_request_method", "oidc_issuer", "authorize_scopes"]
    : ["client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"],
  requiredMessage: "client_id, attributes_request_method, oidc_issuer and authorize_scopes are all required idp details.",
  derivedKeys: [],
  // §4.5: "They are read-only: attributes_url_add_attributes" (botocore 2022 docs).
  readOnly: ["attributes_url_add_attributes"],
  writeOnly: [],
  sensitive: ["client_secret"],
  defaultUsernameClaim: "sub",
  nameMustEqualType: false,
  // §4.5: discovered endpoints are not written back; only the read-only flag is added.
  derive: () => ({ attributes_url_add_attributes: "false" }),
};

const saml: ProviderTypeRules = {
  type: "SAML",
  settable: [
    "MetadataFile",
    "MetadataURL",
    "IDPSignout",
    "IDPInit",
    "EncryptedResponses",
    "RequestSigningAlgorithm",
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
  ],
  required: [],
  requiredMessage: "At least one of the MetadataURL or MetadataFile should be provided.",
  // §4.6, §8.2: binding URIs come back from the metadata even when the user did not set them.
  derivedKeys: ["SSORedirectBindingURI", "SLORedirectBindingURI"],
  // §8.3: ActiveEncryptionCertificate appears on every SAML IdP and is rejected when echoed (PR #36311).
  readOnly: ["ActiveEncryptionCertificate"],
  writeOnly: [],
  sensitive: [],
  defaultUsernameClaim: undefined,
  nameMustEqualType: false,
  // Binding URIs depend on the metadata XML (src/core/samlMetadata.ts reads it).
  derive: () => ({}),
};

export const PROVIDER_RULES: Readonly<Record<ProviderType, ProviderTypeRules>> = {
  Google: google,
  Facebook: facebook,
  LoginWithAmazon: loginWithAmazon,
  SignInWithApple: signInWithApple,
  OIDC: oidc,
  SAML: saml,
};

/** Keys that are secret for any type: masked in every rendering, whatever the type. */
export const ALWAYS_SENSITIVE_KEYS: readonly string[] = ["client_secret", "private_key"];

export function rulesFor(type: ProviderType): ProviderTypeRules {
  return PROVIDER_RULES[type];
}

/** Every key Cognito accepts on input for the type (settable plus derived; never read-only). */
export function acceptedInputKeys(type: ProviderType): ReadonlySet<string> {
  const rules = rulesFor(type);
  return new Set([...rules.settable, ...rules.derivedKeys]);
}
