// The JSON Schema (2020-12) of one desired identity provider. It is built from the key table and the
// service constraints so the three can never disagree; `npm run schema` writes it to
// schemas/identity-provider.schema.json for editors, and a test keeps that file in step.
import { PROVIDER_RULES, PROVIDER_TYPES, UNVERIFIED_CHOICES, acceptedInputKeys } from "./providerTypes.js";
import { CONSTRAINTS } from "./serviceConstraints.js";

type JsonSchema = { readonly [key: string]: unknown };

const stringValue = { type: "string", maxLength: CONSTRAINTS.stringValue.max };

function typeRule(type: (typeof PROVIDER_TYPES)[number]): JsonSchema {
  const rules = PROVIDER_RULES[type];
  const details: Record<string, unknown> = {
    type: "object",
    propertyNames: { enum: [...acceptedInputKeys(type)].sort() },
  };
  if (rules.required.length > 0) details["required"] = [...rules.required];
  if (type === "SAML") {
    // cognito-behaviour.md §4.6: exactly one of MetadataURL or MetadataFile.
    details["oneOf"] = UNVERIFIED_CHOICES.samlRejectsBothMetadata
      ? [
          { required: ["MetadataURL"], not: { required: ["MetadataFile"] } },
          { required: ["MetadataFile"], not: { required: ["MetadataURL"] } },
        ]
      : [{ required: ["MetadataURL"] }, { required: ["MetadataFile"] }];
  }
  const then: Record<string, unknown> = { properties: { ProviderDetails: details } };
  const props = then["properties"] as Record<string, unknown>;
  if (rules.nameMustEqualType) props["ProviderName"] = { const: type };
  if (UNVERIFIED_CHOICES.acrMappingOidcOnly && type !== "OIDC") props["AcrMapping"] = false;
  return { if: { type: "object", properties: { ProviderType: { const: type } }, required: ["ProviderType"] }, then: { type: "object", ...then } };
}

export const IDENTITY_PROVIDER_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:cognito-idp-sync:schemas:identity-provider",
  title: "Amazon Cognito user-pool identity provider",
  description:
    "One identity provider in the shape of Cognito's CreateIdentityProviderRequest, as managed by cognito-idp-sync. " +
    "ProviderDetails values may be secret references: ${env:NAME} or ${file:PATH}.",
  type: "object",
  additionalProperties: false,
  required: ["UserPoolId", "ProviderName", "ProviderType", "ProviderDetails"],
  properties: {
    Region: {
      type: "string",
      pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
      description: "AWS region; defaults to the prefix of UserPoolId.",
    },
    UserPoolId: {
      type: "string",
      minLength: CONSTRAINTS.userPoolId.min,
      maxLength: CONSTRAINTS.userPoolId.max,
      pattern: CONSTRAINTS.userPoolId.pattern,
    },
    ProviderName: {
      type: "string",
      minLength: CONSTRAINTS.providerNameCreate.min,
      maxLength: CONSTRAINTS.providerNameCreate.max,
      pattern: CONSTRAINTS.providerNameCreate.pattern,
    },
    ProviderType: { enum: [...PROVIDER_TYPES] },
    ProviderDetails: { type: "object", additionalProperties: stringValue },
    AttributeMapping: {
      type: "object",
      propertyNames: { minLength: CONSTRAINTS.attributeMappingKey.min, maxLength: CONSTRAINTS.attributeMappingKey.max },
      additionalProperties: stringValue,
    },
    IdpIdentifiers: {
      type: "array",
      maxItems: CONSTRAINTS.idpIdentifiersMaxItems,
      uniqueItems: true,
      items: {
        type: "string",
        minLength: CONSTRAINTS.idpIdentifier.min,
        maxLength: CONSTRAINTS.idpIdentifier.max,
        pattern: CONSTRAINTS.idpIdentifier.pattern,
      },
    },
    AcrMapping: {
      type: "object",
      propertyNames: { enum: ["Level1", "Level2", "Level3", "Level4"] },
      additionalProperties: stringValue,
    },
  },
  allOf: PROVIDER_TYPES.map(typeRule),
};
