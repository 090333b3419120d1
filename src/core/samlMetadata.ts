// What Cognito takes from SAML metadata (cognito-behaviour.md §4.6): the HTTP-Redirect binding
// locations of SingleSignOnService (required) and SingleLogoutService (optional). Pure: the
// validator uses it to reject bad MetadataFile values before any API call, and the emulator uses it
// to derive the binding URIs and to refuse what the service refuses, in the service's words.
import { XMLParser, XMLValidator } from "fast-xml-parser";

const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

export interface MetadataBindings {
  readonly sso: string;
  readonly slo?: string | undefined;
}

export type MetadataReading = { ok: true; bindings: MetadataBindings } | { ok: false; message: string };

type XmlNode = { [key: string]: unknown };

function findAll(node: unknown, name: string, out: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) for (const n of node) findAll(n, name, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node as XmlNode)) {
      if (k === name) (Array.isArray(v) ? v : [v]).forEach((x) => out.push(x as XmlNode));
      findAll(v, name, out);
    }
  }
  return out;
}

function redirectLocation(nodes: XmlNode[]): string | undefined {
  const hit = nodes.find((n) => n["@_Binding"] === REDIRECT && typeof n["@_Location"] === "string");
  return hit?.["@_Location"] as string | undefined;
}

/** Messages are the service's (§3.1, ory/mocksaml#103, ssoready/dummyidp#10). */
export function readMetadata(xml: string): MetadataReading {
  const unmarshall = { ok: false, message: "Unable to unmarshall metadata" } as const;
  if (xml.trim() === "" || XMLValidator.validate(xml) !== true) return unmarshall;
  // Entities are not expanded: metadata is untrusted input (no entity-expansion bombs).
  const doc: unknown = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false }).parse(xml);
  if (findAll(doc, "EntityDescriptor").length === 0) return unmarshall;
  const sso = redirectLocation(findAll(doc, "SingleSignOnService"));
  if (!sso) return { ok: false, message: "No SingleSignOn Http redirect binding location found in metadata." };
  return { ok: true, bindings: { sso, slo: redirectLocation(findAll(doc, "SingleLogoutService")) } };
}
